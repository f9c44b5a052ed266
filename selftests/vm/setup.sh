#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare this Debian 12 host for building map646 and testing it in a QEMU
# guest. Idempotent: every step is skipped when its result is already there.
#   - installs the build and guest-test packages (only when some are missing)
#   - downloads Debian's kernel image (not installed: it would pull systemd and
#     initramfs-tools) and extracts it into build/vm/kroot
#   - extracts the uncompressed vmlinux (QEMU boots it through PVH: faster)
#   - builds the guest initramfs
# Prints one line per step it does; nothing when everything is in place.
# env: KVER (default: the kernel behind linux-image-amd64, see kver.sh),
#      KIMAGE (set: the kernel boots from this image, no vmlinux to extract)
set -euo pipefail
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
B=$TOP/build/vm
mkdir -p "$B"
export DEBIAN_FRONTEND=noninteractive
say() { echo "setup: $*"; }

# missing_pkgs: the packages of the list that are not installed
missing_pkgs() {
	local p installed pkgs="qemu-system-x86 ${NO_HEADERS-linux-headers-$KVER} busybox-static
		cpio kmod xz-utils zstd file libmnl-dev pkg-config python3-scapy
		tcpdump iperf3 iputils-ping socat curl iproute2 ethtool make gcc sparse bird2
		clang libclang-rt-14-dev dkms dh-dkms debhelper lintian
		etcd-server etcd-client libcurl4-openssl-dev libjson-c-dev"
	installed=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $pkgs 2>/dev/null |
		awk '$1 == "ii" { print $2 }' | xargs) "
	for p in $pkgs; do
		[[ $installed == *" $p "* ]] || echo "$p"
	done
}

# The kernel: KVER from the caller, or the one behind linux-image-amd64.
# When anything has to be fetched, refresh apt's lists first (and with them
# KVER, unless the caller chose it), so a stale list never names a package
# the mirror no longer has.
# Other kernels of the matrix (KERNEL=6.12, sid) bring their build tree
# (KDIR) from kernel.sh: apt installs only the headers of bookworm's own.
[ -z "${KDIR:-}" ] || [ "$KDIR" = "/lib/modules/${KVER:-}/build" ] || NO_HEADERS=
KVER_GIVEN=${KVER:-}
KVER=${KVER:-$("$VM/kver.sh")}
KROOT=$B/kroot
missing=$(missing_pkgs | xargs)
if [ -n "$missing" ] || [ ! -f "$KROOT/boot/vmlinuz-$KVER" ]; then
	say "apt-get update"
	apt-get update -qq
	[ -n "$KVER_GIVEN" ] || KVER=$("$VM/kver.sh")
	missing=$(missing_pkgs | xargs)
fi
if [ -n "$missing" ]; then
	say "installing $missing"
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ ! -f "$KROOT/boot/vmlinuz-$KVER" ]; then
	say "downloading linux-image-$KVER"
	rm -rf "$B/deb"
	mkdir -p "$B/deb" "$KROOT"
	(cd "$B/deb" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$KVER")
	dpkg-deb -x "$B"/deb/linux-image-"$KVER"_*.deb "$KROOT"
	rm -rf "$B/deb"
fi
[ -f "$KROOT/lib/modules/$KVER/modules.dep" ] || depmod -b "$KROOT" "$KVER"

# The bzImage carries an xz (Debian 6.1) or zstd (6.12+) compressed ELF vmlinux.
# A kernel booted from its own image (KIMAGE, the debug kernel) needs none.
VMLINUX=$B/vmlinux-$KVER
if [ -z "${KIMAGE:-}" ] && [ ! -s "$VMLINUX" ]; then
	say "extracting vmlinux"
	bz=$KROOT/boot/vmlinuz-$KVER
	found=0
	for magic in xz zstd; do
		case $magic in
		xz) pat=$'\xFD7zXZ\x00'; dec="xz -dc --single-stream" ;;
		zstd) pat=$'\x28\xb5\x2f\xfd'; dec="zstd -dcq" ;;
		esac
		for off in $(LC_ALL=C grep -abo "$pat" "$bz" | cut -d: -f1); do
			tail -c +$((off + 1)) "$bz" | $dec >"$VMLINUX.tmp" 2>/dev/null || true
			if file "$VMLINUX.tmp" | grep -q ELF; then found=1; break 2; fi
		done
	done
	[ $found = 1 ] || { echo "setup: no vmlinux inside $bz" >&2; exit 1; }
	mv "$VMLINUX.tmp" "$VMLINUX"
fi

INITRD=$B/initrd-$KVER.cpio.gz
if [ ! -s "$INITRD" ] || [ "$VM/mkinitramfs.sh" -nt "$INITRD" ] ||
	[ "$VM/guest-init.sh" -nt "$INITRD" ]; then
	say "building initramfs"
	"$VM/mkinitramfs.sh" "$KROOT" "$KVER" "$INITRD"
fi
