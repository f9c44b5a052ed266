#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Prepare one kernel of the test matrix: its build tree for the module and its
# image for the guest. The kernel ABI is always the one the suite's
# linux-image-amd64 metapackage points at today.
#
#   6.1  (bookworm, default)  headers installed with apt by setup.sh
#   6.12 (bookworm-backports) image, headers, -common and kbuild packages
#                             downloaded and extracted into build/kernels/KVER
#                             (installing them would pull systemd and
#                             initramfs-tools); built with the host's gcc-12
#   sid  (7.x)                headers need sid's compiler: a debootstrap sid
#                             chroot in build/sid-chroot builds the module
#   debug                     Debian's linux-source-6.1 built with KASAN,
#                             lockdep, kmemleak... (debug-kernel.sh, cached)
#
# Images are extracted into build/vm/kroot (boot/vmlinuz-KVER and
# lib/modules/KVER), where setup.sh finds them.
#
# usage: kernel.sh [KERNEL]    KERNEL: 6.1|bookworm, 6.12|backports, sid|7,
#                              debug, or the ABI one of those points at today
# Prints one line of shell assignments, also readable by make:
#   KERNEL=6.12 KVER=6.12.95+deb12-amd64 KDIR=/path/to/headers KCHROOT= KIMAGE= KSLOW=1
# KCHROOT: the chroot the module must be built in, empty for the host.
# KIMAGE: the image to boot when it is not the vmlinux setup.sh extracts
# from build/vm/kroot/boot/vmlinuz-KVER (empty then).
# KSLOW: about how many times slower than the stock kernel it runs the
# tests (lib.sh's M646_SLOW; time limits are multiplied by it).
# Progress goes to stderr.
set -euo pipefail
shopt -s inherit_errexit
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
KROOT=$TOP/build/vm/kroot
SUITE_APT=$VM/apt-suite.sh
export DEBIAN_FRONTEND=noninteractive

say() { echo "kernel: $*" >&2; }
die() { echo "kernel: $*" >&2; exit 1; }

# ABI behind SUITE's linux-image-amd64 (sid's also depends on linux-base-amd64)
suite_kver() {
	"$SUITE_APT" "$1" apt-cache depends linux-image-amd64 |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | head -n 1
}

# the dependencies of package $2 in suite $1 whose names match $3
suite_deps() {
	"$SUITE_APT" "$1" apt-cache depends "$2" |
		sed -n 's/^ *|\?Depends: \([^ <>]*\)$/\1/p' | grep -E "$3" || true
}

# host packages a kernel needs beyond setup.sh's (pahole: BTF of the module)
need() {
	local p missing=
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	say "installing$missing"
	apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends \
		$missing >/dev/null 2>&1 ||
		{ apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
			--no-install-recommends $missing >/dev/null; }
}

# download packages of SUITE into a fresh temporary directory (printed)
download() {
	local suite=$1 d
	shift
	mkdir -p "$TOP/build/kernels"
	d=$(mktemp -d "$TOP/build/kernels/dl.XXXXXX") || die "mktemp failed"
	chmod 755 "$d"	# apt's download sandbox user must write here
	(cd "$d" && "$SUITE_APT" "$suite" apt-get download -qq "$@" >&2) ||
		{ rm -rf "$d"; die "apt-get download $* from $suite failed"; }
	echo "$d"
}

# extract the image packages in directory $1 into KROOT; the modules of
# split (sid) packages live under usr/lib/modules
install_image() {
	local dl=$1 kver=$2 f t
	t=$(mktemp -d "$TOP/build/kernels/img.XXXXXX") || die "mktemp failed"
	for f in "$dl"/*.deb; do dpkg-deb -x "$f" "$t"; done
	mkdir -p "$KROOT/boot" "$KROOT/lib/modules"
	if [ -d "$t/usr/lib/modules/$kver" ]; then
		rm -rf "$KROOT/lib/modules/$kver"
		mv "$t/usr/lib/modules/$kver" "$KROOT/lib/modules/$kver"
	elif [ -d "$t/lib/modules/$kver" ]; then
		rm -rf "$KROOT/lib/modules/$kver"
		mv "$t/lib/modules/$kver" "$KROOT/lib/modules/$kver"
	fi
	for f in "$t/boot/vmlinuz-$kver" "$KROOT/lib/modules/$kver/vmlinuz"; do
		[ -f "$f" ] && { cp "$f" "$KROOT/boot/vmlinuz-$kver.tmp"; break; }
	done
	rm -rf "$t"
	[ -f "$KROOT/boot/vmlinuz-$kver.tmp" ] || die "no vmlinuz in the $kver image packages"
	depmod -b "$KROOT" "$kver"
	mv "$KROOT/boot/vmlinuz-$kver.tmp" "$KROOT/boot/vmlinuz-$kver"
}

# linux-image-KVER: the package itself, or (sid) the packages it is split
# into: vmlinuz, modules, and modules.builtin/System.map/config
image_pkgs() {
	local suite=$1 kver=$2 deps p split=
	deps=$(suite_deps "$suite" "linux-image-$kver" '^linux-')
	for p in "linux-binary-$kver" "linux-modules-$kver" "linux-base-$kver"; do
		grep -qxF "$p" <<<"$deps" && split="$split $p"
	done
	echo "${split:-linux-image-$kver}"
}

prepare_backports() {
	local suite=bookworm-backports kver k dl pkgs
	kver=$(suite_kver $suite)
	[ -n "$kver" ] || die "$suite: no linux-image-amd64"
	k=$TOP/build/kernels/$kver
	KVER=$kver KDIR=$k/usr/src/linux-headers-$kver KCHROOT=
	need dwarves
	if [ ! -f "$k/.ready" ]; then
		say "$suite: downloading headers of $kver"
		pkgs="linux-headers-$kver $(suite_deps $suite "linux-headers-$kver" \
			'^linux-(headers-.*-common|kbuild-.*)$')"
		dl=$(download $suite $pkgs)
		rm -rf "$k"
		mkdir -p "$k"
		for f in "$dl"/*.deb; do dpkg-deb -x "$f" "$k"; done
		rm -rf "$dl"
		# the headers' Makefile includes the -common tree by absolute path
		sed -i "s#^include /usr/src/#include $k/usr/src/#" "$KDIR/Makefile"
		grep -q "^include $k/" "$KDIR/Makefile" || die "unexpected $KDIR/Makefile"
		touch "$k/.ready"
	fi
	if [ ! -f "$KROOT/boot/vmlinuz-$kver" ]; then
		say "$suite: downloading image $kver"
		dl=$(download $suite $(image_pkgs $suite "$kver"))
		install_image "$dl" "$kver"
		rm -rf "$dl"
	fi
}

prepare_sid() {
	local suite=sid kver c dl uri
	kver=$(suite_kver $suite)
	[ -n "$kver" ] || die "$suite: no linux-image-amd64"
	c=$TOP/build/sid-chroot
	KVER=$kver KDIR=/usr/src/linux-headers-$kver KCHROOT=$c
	if [ ! -f "$c/.ready" ]; then
		need debootstrap
		uri=$("$SUITE_APT" $suite --uri)
		say "debootstrap sid into $c (about 30 s)"
		rm -rf "$c.new"
		debootstrap --variant=minbase $suite "$c.new" "$uri" >"$TOP/build/sid-debootstrap.log" 2>&1 ||
			{ tail -n 20 "$TOP/build/sid-debootstrap.log" >&2; die "debootstrap failed"; }
		echo 'Acquire::Check-Valid-Until "false";' >"$c.new/etc/apt/apt.conf.d/90map646"
		rm -rf "$c"
		mv "$c.new" "$c"
		touch "$c/.ready"
	fi
	if [ ! -f "$c$KDIR/Makefile" ] || [ ! -x "$c/usr/bin/sparse" ]; then
		say "sid chroot: installing gcc, make, pahole, sparse, linux-headers-$kver"
		chroot "$c" apt-get update -qq >&2
		# no pty for dpkg: the chroot has no /dev/pts (apt would print
		# "E: Can not write log", harmless but alarming)
		chroot "$c" apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 \
			gcc make dwarves sparse "linux-headers-$kver" >/dev/null ||
			die "installing linux-headers-$kver in the sid chroot failed"
		chroot "$c" apt-get clean
	fi
	if [ ! -f "$KROOT/boot/vmlinuz-$kver" ]; then
		say "$suite: downloading image $kver"
		dl=$(download $suite $(image_pkgs $suite "$kver"))
		install_image "$dl" "$kver"
		rm -rf "$dl"
	fi
}

KERNEL=${1:-6.1}
case $KERNEL in
*-*)	# an ABI: find the suite whose metapackage points at it
	k=
	if [ "$KERNEL" = "$("$VM/kver.sh" --update)" ]; then k=6.1
	elif [ "$KERNEL" = "$(suite_kver bookworm-backports)" ]; then k=6.12
	elif [ "$KERNEL" = "$(suite_kver sid)" ]; then k=sid
	fi
	[ -n "$k" ] || die "$KERNEL is not the current kernel of bookworm, bookworm-backports or sid"
	KERNEL=$k
	;;
esac
case $KERNEL in
6.1 | bookworm)
	KERNEL=6.1
	KVER=$("$VM/kver.sh" --update)
	KDIR=/lib/modules/$KVER/build KCHROOT=
	;;
6.12 | backports | bookworm-backports)
	KERNEL=6.12
	prepare_backports
	;;
sid | 7 | 7.*)
	KERNEL=sid
	prepare_sid
	;;
debug)
	# KASAN, kmemleak and lockdep make networking 13-25 times slower
	# (NOTES of the shared harness; measured again by make check-debug)
	need linux-source-6.1 bc bison flex libelf-dev libssl-dev
	out=$("$VM/debug-kernel.sh") || die "debug kernel build failed"
	eval "$out"
	KCHROOT= KSLOW=8
	;;
*)
	die "unknown KERNEL '$KERNEL' (6.1, 6.12, sid or debug)"
	;;
esac
echo "KERNEL=$KERNEL KVER=$KVER KDIR=$KDIR KCHROOT=$KCHROOT KIMAGE=${KIMAGE:-} KSLOW=${KSLOW:-1}"
