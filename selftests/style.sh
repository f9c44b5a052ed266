#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel-style checks of the module sources, as KTAP lines:
#   checkpatch --strict (from Debian's linux-source, which the headers
#   package lacks: the checkpatch of KVER's series, fetched once into
#   build/linux-source-SERIES) and sparse (C=2).
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

if [ -n "${KCHROOT:-}" ]; then	# headers that need the chroot's compiler
	"$TOP/selftests/vm/chroot-kbuild.sh" "$KCHROOT" "$KDIR" -s C=2 modules
else
	make -s -C "${KDIR:-/lib/modules/$KVER/build}" M="$TOP" C=2 modules
fi > "$TOP/build/sparse.log" 2>&1
st=$?
grep -E 'warning:|error:' "$TOP/build/sparse.log" | sed 's/^/# /' | grep . && st=1
result sparse $st
echo "# style: $((n - fail)) passed, $fail failed"
[ $fail = 0 ]
