#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the module's kbuild inside a chroot that holds the kernel headers and
# the compiler they need (sid's 7.x headers want sid's gcc): the sources are
# copied to /build/map646 in the chroot, the .ko is copied back, and paths in
# the compiler's messages point at the real tree again.
# usage: chroot-kbuild.sh CHROOT KDIR TARGET...   (KDIR: path inside CHROOT)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
C=${1:?chroot}
KDIR=${2:?kernel build dir inside the chroot}
shift 2
[ -f "$C$KDIR/Makefile" ] || { echo "chroot-kbuild: no $KDIR in $C" >&2; exit 1; }
W=$C/build/map646
rm -rf "$W"
mkdir -p "$W"
cp -r "$TOP/Kbuild" "$TOP/VERSION" "$TOP/kmod" "$TOP/uapi" "$W/"
set +e
# objtool reads /proc: mount it in a private mount namespace, which takes
# the mount with it when the build ends
unshare --mount --propagation private /bin/sh -c \
	'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$C" \
	/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	make -C "$KDIR" M=/build/map646 "$@" 2>&1 | sed -u "s#/build/map646/#$TOP/#g"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 0 ]; then
	for ko in "$W"/*.ko; do
		[ -f "$ko" ] && cp "$ko" "$TOP/"
	done
fi
exit "$rc"
