# SPDX-License-Identifier: GPL-2.0
#
# map646: module, tool, tests. `make help` lists the targets.
#
# Only `make check`, `check-debug`, `bench`, `demo` and a KERNEL=... of the
# test matrix install or download anything (apt); the other targets build
# from what the machine has, and those that need no kernel (tools, unit,
# deb, clean, help...) do not even look for one.

TOP := $(CURDIR)
PREFIX ?= /usr/local
VERSION := $(shell cat $(TOP)/VERSION)
# WERROR=1 (make check): compiler warnings fail the build
WERROR ?=

# The targets that build or install the module need a kernel tree.
KERNEL_GOALS := all module install uninstall dkms-install dkms-uninstall style sparse
ifneq ($(filter $(KERNEL_GOALS),$(or $(MAKECMDGOALS),all))$(KERNEL),)
# Kernel to build against: the running one when its headers are installed,
# otherwise the ABI Debian's linux-image-amd64 points at (apt-cache only).
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else $(TOP)/selftests/vm/kver.sh; fi)
KDIR ?= /lib/modules/$(KVER)/build
# Another kernel of the test matrix: KERNEL=6.1|6.12|sid|debug (or KVER=ABI
# of one of them, when its headers are not installed). selftests/vm/kernel.sh
# fetches or builds it and names its build tree; KCHROOT: the chroot the
# module builds in; KIMAGE, KSLOW: how the guest boots it, how slow it is.
ifeq ($(origin KERNEL),undefined)
ifeq ($(wildcard $(KDIR)/Makefile),)
$(error no kernel build tree in $(KDIR): install \
	linux-headers-$(or $(KVER),$(shell uname -r)), or name a tree (KDIR=...), \
	or let make fetch a kernel of the test matrix (KERNEL=6.1|6.12|sid))
endif
KERNEL :=
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
endif

.PHONY: all module tools unit fuzz check check-debug stress bench demo clean \
	distclean install uninstall dkms-install dkms-uninstall deb style sparse help

all: module tools

module:
ifeq ($(KCHROOT),)
	$(MAKE) -C $(KDIR) M=$(TOP) modules
else
	selftests/vm/chroot-kbuild.sh $(KCHROOT) $(KDIR) modules WERROR=$(WERROR)
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

# the module into /lib/modules/KVER/extra, the tool with its man pages,
# completion, units and documentation below PREFIX
install: all
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)
	$(MAKE) -C tools install PREFIX=$(PREFIX)

# what install installed (a loaded module stays loaded until rmmod)
uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/extra/map646.ko
	depmod $(if $(DESTDIR),-b $(DESTDIR)) -a $(KVER)
	$(MAKE) -C tools uninstall PREFIX=$(PREFIX)

# The module source registered with DKMS, built and installed for KVER;
# run again, it replaces what an earlier run registered.
DKMS_SRC := /usr/src/map646-$(VERSION)
dkms-install: dkms-uninstall
	install -d $(DKMS_SRC)/kmod $(DKMS_SRC)/uapi/linux
	install -m 0644 Kbuild Makefile VERSION $(DKMS_SRC)/
	install -m 0644 kmod/*.[ch] $(DKMS_SRC)/kmod/
	install -m 0644 uapi/linux/map646.h $(DKMS_SRC)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DKMS_SRC)/dkms.conf
	dkms add map646/$(VERSION)
	dkms build map646/$(VERSION) -k $(KVER)
	dkms install map646/$(VERSION) -k $(KVER)

# this version's module out of DKMS, for every kernel, and its source
dkms-uninstall:
	if dkms status map646/$(VERSION) | grep -q .; then \
		dkms remove map646/$(VERSION) --all; fi
	rm -rf $(DKMS_SRC)

# The source package and the map646-dkms and map646-tools .deb files in
# build/deb, built from a copy of the tree's sources (dpkg-buildpackage
# writes beside them), lintian-checked
DEB_FILES := Kbuild Makefile VERSION README.md dkms.conf kmod/*.[ch] uapi \
	tools/*.[ch] tools/Makefile dist debian docs/*.md docs/man docs/examples
deb:
	rm -rf build/deb
	mkdir -p build/deb/map646-$(VERSION)
	cp -r --parents $(DEB_FILES) build/deb/map646-$(VERSION)/
	cd build/deb/map646-$(VERSION) && dpkg-buildpackage -us -uc
	lintian --fail-on warning,info --info build/deb/*.changes

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
	@echo "make            module + map646ctl (for the running kernel, or KVER=...)"
	@echo "make demo       boot a guest and show traffic through map646"
	@echo "make check      install deps, build, host unit tests, guest selftests"
	@echo "                KERNEL=6.12 or KERNEL=sid: against another kernel"
	@echo "make check-debug  make check on a KASAN/lockdep/kmemleak kernel (built once)"
	@echo "make stress     send-and-close TCP stress alone, STRESS_SCALE=$(STRESS_SCALE) x make check's"
	@echo "make fuzz       libFuzzer on the translation core (FUZZ_TIME=$(FUZZ_TIME) s)"
	@echo "make bench      map646 vs native forwarding, Jool, TAYGA in a guest (~20 min)"
	@echo "make install    install module (+depmod) and map646ctl; make uninstall"
	@echo "make dkms-install  register, build, install the module with DKMS"
	@echo "                (again: replaces it); make dkms-uninstall"
	@echo "make deb        map646-dkms and map646-tools packages in build/deb"
	@echo "make style      checkpatch --strict;  make sparse: sparse C=2"
