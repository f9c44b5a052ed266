#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel-style checks of the module sources, as KTAP lines:
#   checkpatch --strict (from Debian's linux-source, which the headers
#   package lacks: the checkpatch of KVER's series, fetched once into
#   build/linux-source-SERIES), sparse (C=2), and the YNL spec of the
#   netlink family against the uapi header and the policies (ynl_spec.py).
# usage: selftests/style.sh KVER   (env KDIR: its build tree, when not
#        /lib/modules/KVER/build; KCHROOT: the chroot it builds in)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
KVER=${1:?kernel ABI}
series=$(echo "$KVER" | cut -d. -f1-2)
SRC=$TOP/build/linux-source-$series
n=0 fail=0

result() {	# name, status
	n=$((n + 1))
	if [ "$2" = 0 ]; then echo "ok $n $1"; else echo "not ok $n $1"; fail=$((fail + 1)); fi
}

if [ ! -x "$SRC/scripts/checkpatch.pl" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && { apt-get download -qq "linux-source-$series" ||
		"$TOP/selftests/vm/apt-suite.sh" bookworm-backports apt-get download -qq "linux-source-$series" ||
		"$TOP/selftests/vm/apt-suite.sh" sid apt-get download -qq "linux-source-$series"; } >/dev/null 2>&1 &&
	 dpkg-deb --fsys-tarfile linux-source-"$series"_*.deb |
		tar -xO --wildcards '*/linux-source-*.tar.xz' |
		tar -xJ --strip-components=1 -C "$tmp" --wildcards '*/scripts/*' 2>/dev/null)
	mkdir -p "$SRC" && cp -r "$tmp/scripts" "$SRC/" 2>/dev/null
	rm -rf "$tmp"
fi

echo "TAP version 13"
if [ -x "$SRC/scripts/checkpatch.pl" ]; then
	"$SRC/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
		-f "$TOP"/kmod/*.[ch] "$TOP"/uapi/linux/map646.h > "$TOP/build/checkpatch.log" 2>&1
	grep -vE '^total: 0 errors, 0 warnings, 0 checks' "$TOP/build/checkpatch.log" | grep -q . &&
		{ sed 's/^/# /' "$TOP/build/checkpatch.log" | grep -v 'total: 0 errors, 0 warnings, 0 checks'; st=1; } || st=0
	result checkpatch-strict $st
else
	echo "# checkpatch.pl unavailable (linux-source download failed)"
	result checkpatch-strict 1
fi

# The kernel's Makefile runs scripts/checker-valid.sh (7.x) to decide
# whether sparse can be used, and when it cannot, C=2 checks nothing with
# only a make message (no "warning:"). Debian's linux-kbuild packages of
# 7.x lack that script: put the one of the same source series (fetched
# above) into the kernel trees this project extracted under build/.
KDIR=${KDIR:-/lib/modules/$KVER/build}
kroot=${KCHROOT:-}
srctree=$(sed -n 's#^include \(/.*\)/Makefile$#\1#p' "$kroot$KDIR/Makefile" 2>/dev/null | head -n 1)
srctree=$kroot${srctree:-$KDIR}
if grep -q 'scripts/checker-valid\.sh' "$srctree/Makefile" 2>/dev/null &&
	[ ! -e "$srctree/scripts/checker-valid.sh" ] &&
	[ -f "$SRC/scripts/checker-valid.sh" ]; then
	case $(realpath "$srctree/scripts") in
	"$TOP"/build/*)
		install -m 755 "$SRC/scripts/checker-valid.sh" "$srctree/scripts/"
		echo "# sparse: added scripts/checker-valid.sh (from linux-source-$series) to $(realpath "$srctree/scripts")"
		;;
	esac
fi

# no -s: kbuild names every file it hands to sparse ("CHECK ...")
if [ -n "$kroot" ]; then	# headers that need the chroot's compiler
	"$TOP/selftests/vm/chroot-kbuild.sh" "$kroot" "$KDIR" C=2 modules
else
	make -C "$KDIR" M="$TOP" C=2 modules
fi > "$TOP/build/sparse.log" 2>&1
st=$?
grep -E 'warning:|error:|not available or not up to date' "$TOP/build/sparse.log" |
	sed 's/^/# /' | grep . && st=1
# every source of the module (Kbuild's map646-y) must have been checked
for o in $(grep -oE 'kmod/[A-Za-z0-9_]+\.o' "$TOP/Kbuild"); do
	grep -qE "^ +CHECK +(.*/)?${o%.o}\.c\$" "$TOP/build/sparse.log" ||
		{ echo "# sparse: ${o%.o}.c was not checked"; st=1; }
done
result sparse $st

# the YNL spec against the uapi header and the policies of netlink.c
/usr/bin/python3 "$TOP/selftests/ynl_spec.py" "$TOP" > "$TOP/build/ynl-spec.log" 2>&1
st=$?
sed 's/^/# /' "$TOP/build/ynl-spec.log"
result ynl-spec $st
echo "# style: $((n - fail)) passed, $fail failed"
[ $fail = 0 ]
