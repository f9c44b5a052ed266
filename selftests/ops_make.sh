#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The top-level Makefile as an operator or a packager meets it, on the host
# (KTAP): it runs no apt unless asked (apt-get and apt on PATH are
# stand-ins that record any call and fail; apt-cache one that knows no
# package, as on a machine whose apt lists are empty), stops with a hint where
# kernel headers are missing, `make -C tools install` / `uninstall` leave
# nothing behind, and `make dkms-install` can run twice, then
# `make dkms-uninstall` removes it; the example configurations the package
# ships pass `map646ctl config check`. Works on a copy of the tree; DKMS runs
# in a private mount namespace with overlays on /usr/src, /var/lib/dkms and
# /lib/modules: nothing stays on the host.
# usage: selftests/ops_make.sh KVER   (a kernel whose headers are installed)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
KVER=${1:?kernel ABI}
V=$(cat "$TOP/VERSION")
T=$(mktemp -d /tmp/ops_make.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0 fail=0

result() {	# NAME STATUS [DETAIL]
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n $1"
	else
		[ -n "${3:-}" ] && sed 's/^/# /' <<<"$3"
		echo "not ok $n $1"
		fail=$((fail + 1))
	fi
}

echo "TAP version 13"
echo "1..6"
mkdir -p "$T/src" "$T/bin"
git -C "$TOP" ls-files -z | (cd "$TOP" && xargs -0 cp --parents -t "$T/src")
for c in apt-get apt; do
	printf '#!/bin/sh\necho "%s $*" >>%s/apt.calls\nexit 1\n' "$c" "$T" >"$T/bin/$c"
done
printf '#!/bin/sh\necho "apt-cache $*" >>%s/apt-cache.calls\n' "$T" >"$T/bin/apt-cache"
chmod +x "$T"/bin/*
noapt() { PATH=$T/bin:$PATH "$@"; }

# the targets that need no kernel do not look for one; looking for one
# (make module on a machine without the running kernel's headers) asks
# apt-cache, never apt-get
out=$(noapt make -C "$T/src" tools help clean 2>&1)
st=$?
[ -s "$T/apt.calls" ] || [ -s "$T/apt-cache.calls" ] && st=1
[ -d "/lib/modules/$(uname -r)/build" ] || noapt make -n -C "$T/src" module >/dev/null 2>&1
[ -s "$T/apt.calls" ] && st=1
result "no-apt" $st "$(cat "$T"/*.calls 2>/dev/null; tail -n 5 <<<"$out")"

# a kernel without headers: a hint, no download
out=$(noapt make -C "$T/src" module KVER=0.0.0-none 2>&1)
st=$?
[ $st != 0 ] && grep -q 'install linux-headers-0.0.0-none' <<<"$out" && [ ! -s "$T/apt.calls" ]
result "no-headers-hint" $? "$out"

# the tools' install and uninstall
out=$(make -C "$T/src/tools" install uninstall DESTDIR="$T/root" PREFIX=/usr 2>&1)
st=$?
left=$(find "$T/root" ! -type d)
[ $st = 0 ] && [ -z "$left" ]
result "tools-install-uninstall" $? "$left
$(tail -n 5 <<<"$out")"

# the example configurations (docs/examples, in the package's examples)
out=$(make -C "$T/src/tools" 2>&1 && for f in "$T"/src/docs/examples/map646.conf \
	"$T"/src/docs/examples/*/map646.conf; do "$T/src/tools/map646ctl" config check "$f" || exit 1; done 2>&1)
result "example-configs-valid" $? "$out"

# dkms-install twice, then dkms-uninstall, in a private mount namespace
mkdir -p "$T/ov"
out=$(unshare -m bash -euc '
	T=$1 KVER=$2 V=$3
	for d in /usr/src /var/lib/dkms /lib/modules; do
		n=${d//\//_}
		mkdir -p "$T/ov/$n.u" "$T/ov/$n.w"
		mount -t overlay overlay -o "lowerdir=$d,upperdir=$T/ov/$n.u,workdir=$T/ov/$n.w" "$d"
	done
	make -C "$T/src" dkms-install KVER="$KVER"
	make -C "$T/src" dkms-install KVER="$KVER"
	dkms status "map646/$V" -k "$KVER" | tee "$T/dkms.status"
	make -C "$T/src" dkms-uninstall KVER="$KVER"
	dkms status map646 | tee "$T/dkms.after"
' ops_make "$T" "$KVER" "$V" 2>&1)
st=$?
[ $st = 0 ] && [ "$(grep -c installed "$T/dkms.status" 2>/dev/null)" = 1 ]
result "dkms-install-twice" $? "$(tail -n 15 <<<"$out")"
[ $st = 0 ] && [ -f "$T/dkms.after" ] && [ ! -s "$T/dkms.after" ]
result "dkms-uninstall" $? "$(cat "$T/dkms.after" 2>/dev/null)"

echo "# ops_make: $((n - fail)) passed, $fail failed"
[ $fail = 0 ]
