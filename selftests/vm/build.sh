#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build map646.ko and map646ctl against the guest kernel's headers (any
# compiler warning fails the build), then install the module into the guest
# kernel tree build/vm/kroot (extra/, depmod) so that `modprobe map646` and
# autoloading work in the guest. Build output: build/vm/build.log.
# usage: KVER=... build.sh
set -u
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
B=$TOP/build/vm
KVER=${KVER:-$("$VM/kver.sh")}
LOG=$B/build.log
mkdir -p "$B"
make -C "$TOP" module tools KVER="$KVER" WERROR=1 >"$LOG" 2>&1
rc=$?
if [ $rc != 0 ] || grep -qiE '(^|[^a-z_])(warning|error):' "$LOG"; then
	grep -iE -B2 -A3 '(^|[^a-z_])(warning|error):' "$LOG" | head -n 60
	[ $rc = 0 ] && echo "build: compiler warnings (treated as errors)"
	tail -n 5 "$LOG"
	echo "build: failed, full log in $LOG"
	exit 1
fi
EXTRA=$B/kroot/lib/modules/$KVER/extra
mkdir -p "$EXTRA"
install -m 644 "$TOP/map646.ko" "$EXTRA/map646.ko"
depmod -b "$B/kroot" "$KVER"
