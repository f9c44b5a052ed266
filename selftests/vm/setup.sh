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
		cpio kmod xz-utils zstd file libmnl-dev libssl-dev pkg-config python3-scapy
		tcpdump iperf3 iputils-ping socat curl iproute2 ethtool make gcc sparse bird2 nftables
		clang libclang-rt-14-dev dkms dh-dkms debhelper lintian python3-yaml
		python3-jsonschema etcd-server etcd-client libcurl4-openssl-dev libjson-c-dev"
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

# The kernel's own netlink tooling (ynl: tools/net/ynl and the schemas of
# Documentation/netlink) from Debian's linux-source-6.12, for the YNL spec
# of the map646 family (selftests/ynl_spec.py, map646_ynl.sh). Only those
# two directories are kept, in build/ynl.
YNL=$TOP/build/ynl
YNL_SRC=linux-source-6.12
if [ ! -f "$YNL/tools/net/ynl/cli.py" ]; then
	say "extracting ynl from $YNL_SRC"
	tmp=$(mktemp -d)
	(cd "$tmp" && { apt-get download -qq -o APT::Sandbox::User=root $YNL_SRC ||
		{ apt-get update -qq && apt-get download -qq -o APT::Sandbox::User=root $YNL_SRC; } ||
		"$VM/apt-suite.sh" bookworm-backports apt-get download -qq $YNL_SRC; } >/dev/null)
	mkdir -p "$tmp/src"
	dpkg-deb --fsys-tarfile "$tmp"/${YNL_SRC}_*.deb | tar -xO --wildcards '*/linux-source-*.tar.xz' |
		tar -xJ --strip-components=1 -C "$tmp/src" --wildcards '*/tools/net/ynl/*' '*/Documentation/netlink/*'
	rm -rf "$YNL.new"
	mkdir -p "$YNL.new/tools/net"
	mv "$tmp/src/tools/net/ynl" "$YNL.new/tools/net/"
	mv "$tmp/src/Documentation" "$YNL.new/"
	rm -rf "$tmp" "$YNL"
	mv "$YNL.new" "$YNL"
fi
