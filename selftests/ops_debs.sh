#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host side of selftests/map646_ops_deb.sh, before the guest boots: build
# the map646-dkms and map646-tools packages (make deb, into build/deb),
# and the same packages again as an older version, VERSION~old1 (into
# build/deb/old), for the upgrade the test makes; then let DKMS build the
# module from each map646-dkms package for the guest's kernel KVER and
# pack it as a binaries-only DKMS tarball, build/deb/map646-VERSION.dkms.tar.gz.
# In the guest, map646-dkms's postinst finds that tarball in
# /usr/share/map646-dkms and installs the prebuilt module instead of
# compiling (compiling under TCG takes minutes).
# DKMS runs in a private mount namespace with its trees on a tmpfs: nothing
# of it (the dkms tree, its signing key) stays on the host.
# usage: selftests/ops_debs.sh KVER    (log: build/deb.log)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
KVER=${1:?kernel ABI}
V=$(cat "$TOP/VERSION")
OLD=$V~old1
D=$TOP/build/deb
LOG=$TOP/build/deb.log
fail() { tail -n 30 "$LOG"; echo "ops_debs: $*"; exit 1; }

make -C "$TOP" deb >"$LOG" 2>&1 || fail "make deb failed"

# the older version: the same tree, its version and changelog moved back
mkdir -p "$D/old"
cp -a "$D/map646-$V" "$D/old/map646-$OLD"
(
	cd "$D/old/map646-$OLD"
	echo "$OLD" >VERSION
	{
		printf 'map646 (%s) unstable; urgency=medium\n\n' "$OLD"
		printf '  * The version selftests/map646_ops_deb.sh upgrades from.\n\n'
		printf ' -- map646 developers <map646@example.org>  %s\n\n' "$(date -R)"
		cat debian/changelog
	} >debian/changelog.new
	mv debian/changelog.new debian/changelog
	dpkg-buildpackage -us -uc -b
) >>"$LOG" 2>&1 || fail "building the $OLD packages failed"

# prebuilt DKMS tarballs of both
for ver in "$V" "$OLD"; do
	dir=$D
	[ "$ver" = "$V" ] || dir=$D/old
	rm -rf "$D/root"
	dpkg-deb -x "$dir/map646-dkms_${ver}_all.deb" "$D/root"
	unshare -m bash -euc '
		mount -t tmpfs dkms /var/lib/dkms
		dkms add -m map646 -v "$1" --sourcetree "$2/usr/src"
		dkms build -m map646 -v "$1" -k "$3" --sourcetree "$2/usr/src"
		dkms mktarball -m map646 -v "$1" -k "$3" --binaries-only \
			--sourcetree "$2/usr/src" --archive "$4"
	' ops_debs "$ver" "$D/root" "$KVER" "$D/map646-$ver.dkms.tar.gz" >>"$LOG" 2>&1 ||
		fail "DKMS build of $ver failed"
done
rm -rf "$D/root"
ls "$D"/*.deb "$D"/old/*.deb "$D"/*.dkms.tar.gz
