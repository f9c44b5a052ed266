# SPDX-License-Identifier: GPL-2.0
#
# map646: module, tool, tests. `make help` lists the targets.

TOP := $(CURDIR)
# Kernel to build against: the running one when its headers are installed,
# otherwise the ABI Debian's linux-image-amd64 currently points at.
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else $(TOP)/selftests/vm/kver.sh; fi)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
VERSION := $(shell cat $(TOP)/VERSION)

.PHONY: all module tools unit check demo clean install dkms-install style sparse help

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(TOP) modules

tools:
	$(MAKE) -C tools

unit:
	$(MAKE) -C selftests/host run

check:
	selftests/vm/check.sh

demo:
	selftests/vm/demo.sh

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install
	depmod -a $(KVER)
	$(MAKE) -C tools install PREFIX=$(PREFIX)

dkms-install:
	rm -rf /usr/src/map646-$(VERSION)
	mkdir -p /usr/src/map646-$(VERSION)
	cp -r Kbuild Makefile VERSION kmod uapi /usr/src/map646-$(VERSION)/
	sed 's/@VERSION@/$(VERSION)/' dkms.conf > /usr/src/map646-$(VERSION)/dkms.conf
	dkms add map646/$(VERSION)
	dkms build map646/$(VERSION) -k $(KVER)
	dkms install map646/$(VERSION) -k $(KVER)

style:
	selftests/style.sh $(KVER)

sparse:
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 modules

clean:
	$(MAKE) -C $(KDIR) M=$(TOP) clean || true
	$(MAKE) -C tools clean
	$(MAKE) -C selftests/host clean
	rm -rf build

help:
	@echo "make            module + map646ctl (KVER=$(KVER))"
	@echo "make demo       boot a guest and show traffic through map646"
	@echo "make check      install deps, build, host unit tests, guest selftests"
	@echo "make install    install module (+depmod) and map646ctl"
	@echo "make dkms-install  register and build the module with DKMS"
	@echo "make style      checkpatch --strict;  make sparse: sparse C=2"
