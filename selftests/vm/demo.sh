#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: prepare the host (packages, Debian's kernel), build map646,
# boot a QEMU guest and show an IPv4-only client talking to an IPv6-only
# server through map646 (selftests/demo-guest.sh). Exit status: the demo's.
set -u
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
echo "demo: preparing this host (packages, Debian's kernel for the guest)"
"$VM/setup.sh" || exit 1
KVER=${KVER:-$("$VM/kver.sh")} || exit 1
export KVER
echo "demo: building map646.ko and map646ctl"
"$VM/build.sh" || exit 1
echo "demo: booting a QEMU guest (Linux $KVER), running selftests/demo-guest.sh"
SHOW=1 TIMEOUT=${TIMEOUT:-300} LOG=$TOP/build/vm/demo-console.log \
	OUT=$TOP/build/vm/demo-out "$VM/run-vm.sh" "$TOP/selftests/demo-guest.sh"
