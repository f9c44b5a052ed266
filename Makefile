# SPDX-License-Identifier: GPL-2.0
#
# map646: module, tool, tests. `make help` lists the targets.

TOP := $(CURDIR)
# Kernel to build against: the running one when its headers are installed,
# otherwise the ABI Debian's linux-image-amd64 currently points at.
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else $(TOP)/selftests/vm/kver.sh; fi)
KDIR ?= /lib/modules/$(KVER)/build
# Another kernel of the test matrix: KERNEL=6.1|6.12|sid|debug (or KVER=ABI
# of one of them, when its headers are not installed). selftests/vm/kernel.sh
# fetches or builds it and names its build tree; KCHROOT: the chroot the
# module builds in; KIMAGE, KSLOW: how the guest boots it, how slow it is.
ifeq ($(origin KERNEL),undefined)
KERNEL := $(if $(wildcard $(KDIR)/Makefile),,$(KVER))
endif
ifneq ($(KERNEL),)
KINFO := $(shell $(TOP)/selftests/vm/kernel.sh $(KERNEL))
ifeq ($(filter KVER=%,$(KINFO)),)
$(error selftests/vm/kernel.sh $(KERNEL) failed)
endif
KVER := $(patsubst KVER=%,%,$(filter KVER=%,$(KINFO)))
KDIR := $(patsubst KDIR=%,%,$(filter KDIR=%,$(KINFO)))
KCHROOT := $(patsubst KCHROOT=%,%,$(filter KCHROOT=%,$(KINFO)))
KIMAGE := $(patsubst KIMAGE=%,%,$(filter KIMAGE=%,$(KINFO)))
KSLOW := $(patsubst KSLOW=%,%,$(filter KSLOW=%,$(KINFO)))
export KERNEL KVER KDIR KCHROOT KIMAGE KSLOW
endif
PREFIX ?= /usr/local
VERSION := $(shell cat $(TOP)/VERSION)

.PHONY: all module tools unit fuzz check check-debug stress bench demo clean distclean install dkms-install deb style sparse help

all: module tools

module:
ifeq ($(KCHROOT),)
	$(MAKE) -C $(KDIR) M=$(TOP) modules
else
	selftests/vm/chroot-kbuild.sh $(KCHROOT) $(KDIR) modules
endif

tools:
	$(MAKE) -C tools

unit:
	$(MAKE) -C selftests/host run

# libFuzzer on the translation core for FUZZ_TIME seconds
FUZZ_TIME ?= 300
fuzz:
	$(MAKE) -C selftests/fuzz run FUZZ_TIME=$(FUZZ_TIME)

check:
	selftests/vm/check.sh

# make check on a kernel built with KASAN, lockdep, PROVE_RCU, kmemleak,
# UBSAN (selftests/vm/debug-kernel.sh; the first run builds it)
check-debug:
	$(MAKE) check KERNEL=debug

# map646_stress.sh alone with STRESS_SCALE times the transfers it makes
# in make check (docs/testing.md); the guest's limits grow with it
STRESS_SCALE ?= 10
stress:
	STRESS_SCALE=$(STRESS_SCALE) TEST_TIMEOUT=$$((120 * $(STRESS_SCALE) + 300)) \
		TIMEOUT=$$((120 * $(STRESS_SCALE) + 900)) selftests/vm/check.sh map646_stress.sh

bench:
	selftests/bench/bench.sh

demo:
	selftests/vm/demo.sh

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)
	$(MAKE) -C tools install PREFIX=$(PREFIX)

dkms-install:
	rm -rf /usr/src/map646-$(VERSION)
	install -d /usr/src/map646-$(VERSION)/kmod /usr/src/map646-$(VERSION)/uapi/linux
	install -m 0644 Kbuild Makefile VERSION /usr/src/map646-$(VERSION)/
	install -m 0644 kmod/*.[ch] /usr/src/map646-$(VERSION)/kmod/
	install -m 0644 uapi/linux/map646.h /usr/src/map646-$(VERSION)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > /usr/src/map646-$(VERSION)/dkms.conf
	dkms add map646/$(VERSION)
	dkms build map646/$(VERSION) -k $(KVER)
	dkms install map646/$(VERSION) -k $(KVER)

# map646-dkms and map646-tools .deb files in build/deb, built from a copy
# of the tree (dpkg-buildpackage writes beside the source), lintian-checked
deb:
	rm -rf build/deb
	mkdir -p build/deb/map646-$(VERSION)
	cp -r Kbuild Makefile VERSION dkms.conf kmod uapi tools doc dist debian \
		build/deb/map646-$(VERSION)/
	$(MAKE) -C build/deb/map646-$(VERSION)/tools clean
	cd build/deb/map646-$(VERSION) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error build/deb/*.changes

style:
	selftests/style.sh $(KVER)

sparse:
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 modules

# Not kbuild's "M=$(TOP) clean": it deletes every *.ko, *.o and *.a below
# $(TOP), build/ included (the guest's kernel modules, the sid chroot).
clean:
	find $(TOP) $(TOP)/kmod -maxdepth 1 -type f \( -name '*.o' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '.*.cmd' -o -name '.*.d' \) -delete
	rm -f $(TOP)/Module.symvers $(TOP)/modules.order
	$(MAKE) -C tools clean
	$(MAKE) -C selftests/host clean
	$(MAKE) -C selftests/bench clean

# build/ also caches downloaded kernels, the sid chroot and guest images
distclean: clean
	rm -rf build

help:
	@echo "make            module + map646ctl (KVER=$(KVER))"
	@echo "make demo       boot a guest and show traffic through map646"
	@echo "make check      install deps, build, host unit tests, guest selftests"
	@echo "                KERNEL=6.12 or KERNEL=sid: against another kernel"
	@echo "make check-debug  make check on a KASAN/lockdep/kmemleak kernel (built once)"
	@echo "make stress     send-and-close TCP stress alone, STRESS_SCALE=$(STRESS_SCALE) x make check's"
	@echo "make fuzz       libFuzzer on the translation core (FUZZ_TIME=$(FUZZ_TIME) s)"
	@echo "make bench      map646 vs native forwarding, Jool, TAYGA in a guest (~20 min)"
	@echo "make install    install module (+depmod) and map646ctl"
	@echo "make dkms-install  register and build the module with DKMS"
	@echo "make deb        map646-dkms and map646-tools packages in build/deb"
	@echo "make style      checkpatch --strict;  make sparse: sparse C=2"
