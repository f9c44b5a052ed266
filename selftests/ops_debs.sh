#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host side of selftests/map646_ops_deb.sh, before the guest boots: build
# the map646-dkms and map646-tools packages (make deb, into build/deb),
# then let DKMS build the module from the map646-dkms package for the
# guest's kernel KVER and pack it as a binaries-only DKMS tarball,
# build/deb/map646-VERSION.dkms.tar.gz. In the guest, map646-dkms's
# postinst finds that tarball in /usr/share/map646-dkms and installs the
# prebuilt module instead of compiling (compiling under TCG takes minutes).
# DKMS runs in a private mount namespace with its trees on a tmpfs: nothing
# of it (the dkms tree, its signing key) stays on the host.
# usage: selftests/ops_debs.sh KVER    (log: build/deb.log)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
KVER=${1:?kernel ABI}
V=$(cat "$TOP/VERSION")
D=$TOP/build/deb
make -C "$TOP" deb >"$TOP/build/deb.log" 2>&1 ||
	{ tail -n 30 "$TOP/build/deb.log"; echo "ops_debs: make deb failed"; exit 1; }
rm -rf "$D/root"
dpkg-deb -x "$D/map646-dkms_${V}_all.deb" "$D/root"
unshare -m bash -euc '
	mount -t tmpfs dkms /var/lib/dkms
	dkms add -m map646 -v "$1" --sourcetree "$2/usr/src"
	dkms build -m map646 -v "$1" -k "$3" --sourcetree "$2/usr/src"
	dkms mktarball -m map646 -v "$1" -k "$3" --binaries-only \
		--sourcetree "$2/usr/src" --archive "$4"
' ops_debs "$V" "$D/root" "$KVER" "$D/map646-$V.dkms.tar.gz" >>"$TOP/build/deb.log" 2>&1 ||
	{ tail -n 30 "$TOP/build/deb.log"; echo "ops_debs: DKMS build failed"; exit 1; }
rm -rf "$D/root"
ls "$D"/*.deb "$D"/*.dkms.tar.gz
