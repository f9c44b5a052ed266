#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the debug kernel of `make check-debug` once and cache it: Debian's
# linux-source-6.1 configured as allnoconfig + debug-kernel.config (KASAN,
# lockdep, PROVE_RCU, kmemleak, UBSAN, ...), built in build/debug-kernel/obj
# (the tree the module builds against), its bzImage and modules installed
# into build/vm/kroot where the guest finds them. The bzImage is booted
# as it is: on 6.1 a KASAN kernel entered through PVH (the ELF vmlinux)
# triple-faults.
#
# Rebuilt when the fragment or the linux-source package changes; an
# interrupted build resumes where make left it.
#
# usage: debug-kernel.sh    (kernel.sh debug installs the packages it needs:
#                           linux-source-6.1 and the kernel's build tools)
# Prints "KVER=RELEASE KDIR=BUILD-TREE KIMAGE=BZIMAGE" on stdout; progress
# and the build's log (build/debug-kernel/build.log) go to stderr.
# env: JOBS (make -j, default: the number of CPUs)
set -euo pipefail
shopt -s inherit_errexit
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
D=$TOP/build/debug-kernel
SRC=$D/src
OBJ=$D/obj
KROOT=$TOP/build/vm/kroot
FRAGMENT=$VM/debug-kernel.config
PKG=linux-source-6.1
LOG=$D/build.log

say() { echo "debug-kernel: $*" >&2; }
die() { echo "debug-kernel: $*" >&2; exit 1; }

# kbuild TARGET...: make in the source tree with the output in OBJ, logged
kbuild() {
	nice make -C "$SRC" O="$OBJ" -j"${JOBS:-$(nproc)}" "$@" >>"$LOG" 2>&1 ||
		{ tail -n 30 "$LOG" >&2; die "make $* failed (log $LOG)"; }
}

version=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) ||
	die "$PKG is not installed (kernel.sh debug installs it)"
tarball=$(dpkg -L "$PKG" | grep -E "/$PKG\.tar\.(xz|bz2|gz)$" | head -n 1)
[ -f "$tarball" ] || die "no source tarball in package $PKG"
# what the cached build was made from: a change rebuilds it
want="$PKG $version $(sha256sum <"$FRAGMENT" | cut -d' ' -f1)"

mkdir -p "$D"
if [ "$(cat "$SRC/.unpacked" 2>/dev/null)" != "$PKG $version" ]; then
	say "unpacking $PKG $version"
	rm -rf "$SRC" "$OBJ"
	mkdir -p "$SRC"
	tar -xf "$tarball" -C "$SRC" --strip-components=1
	echo "$PKG $version" >"$SRC/.unpacked"
fi

if [ "$(cat "$OBJ/.built" 2>/dev/null)" != "$want" ]; then
	t0=$SECONDS
	: >"$LOG"
	# A build killed midway (a machine restart; make had no chance to
	# delete what it was writing) once resumed into a kernel that oopsed
	# at boot, and a clean build of the same sources did not: start over.
	if [ -e "$OBJ/.building" ]; then
		say "the last build did not finish: starting over"
		rm -rf "$OBJ"
	fi
	if [ "$(cat "$OBJ/.configured" 2>/dev/null)" != "$want" ]; then
		say "configuring (allnoconfig + $(basename "$FRAGMENT"))"
		rm -rf "$OBJ"
		mkdir -p "$OBJ"
		kbuild allnoconfig
		(cd "$SRC" && scripts/kconfig/merge_config.sh -m -O "$OBJ" \
			"$OBJ/.config" "$FRAGMENT") >>"$LOG" 2>&1 || die "merge_config failed (log $LOG)"
		kbuild olddefconfig
		# every option the fragment sets must have survived olddefconfig
		bad=$(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$FRAGMENT" |
			grep -vxF -f "$OBJ/.config" || true)
		[ -z "$bad" ] || die "options of the fragment lost by olddefconfig:"$'\n'"$bad"
		echo "$want" >"$OBJ/.configured"
	fi
	say "building bzImage and modules (log $LOG; 35 min on 2 busy CPUs)"
	touch "$OBJ/.building"
	kbuild bzImage modules
	echo "$want" >"$OBJ/.built"
	rm -f "$OBJ/.building"
	say "built in $((SECONDS - t0)) s"
fi

kver=$(cat "$OBJ/include/config/kernel.release")
[ -n "$kver" ] || die "no kernel release in $OBJ"
image=$KROOT/boot/vmlinuz-$kver
if ! cmp -s "$OBJ/arch/x86/boot/bzImage" "$image" 2>/dev/null; then
	say "installing $kver into $KROOT"
	rm -rf "$KROOT/lib/modules/$kver"
	kbuild INSTALL_MOD_PATH="$KROOT" modules_install
	rm -f "$KROOT/lib/modules/$kver/build" "$KROOT/lib/modules/$kver/source"
	mkdir -p "$KROOT/boot"
	cp "$OBJ/arch/x86/boot/bzImage" "$image.tmp"
	mv "$image.tmp" "$image"
fi
echo "KVER=$kver KDIR=$OBJ KIMAGE=$image"
