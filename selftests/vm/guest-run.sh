#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest: every program in TEST_PROGS of selftests/Makefile, one
# after the other (kselftest convention). Test N's output goes to
# $OUT/NAME.log, "STATUS SECONDS" to $OUT/NAME.rc; a progress line per test
# goes to the console. At the end, on a kernel with kmemleak, two scans and
# their report (empty: no leak) to $OUT/kmemleak.txt; the kernel log to
# $OUT/dmesg.txt.
# usage: guest-run.sh [TEST...]   (default: all of TEST_PROGS)
# env: OUT (default /tmp/out), TEST_TIMEOUT (per test, default 300 s; a
#      test's own "# timeout: SECONDS" line may raise it)
set -u
ST=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-/tmp/out}
if [ $# -gt 0 ]; then
	tests="$*"
else
	tests=$(make -s --no-print-directory -C "$ST" \
		--eval 'print-tests: ; @echo $(TEST_PROGS)' print-tests)
fi
[ -n "$tests" ] || { echo "guest-run: no TEST_PROGS in $ST/Makefile"; exit 2; }
n=$(wc -w <<<"$tests")
i=0 bad=0
# Under QEMU/TCG a vCPU now and then runs into the int3 of a kernel text
# patch another vCPU has already finished, and the kernel oopses ("Oops:
# int3", seen in netif_rx_internal and ip6_input_finish on 6.12). Most
# patches in a run come from ping: each one that starts or exits with
# SO_TIMESTAMP flips netstamp_needed_key. One socket holding SO_TIMESTAMP
# for the whole run keeps that key on, so pings patch nothing. (29 is
# SO_TIMESTAMP on x86; Python 3.11's socket module has no name for it.)
/usr/bin/python3 -c 'import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 29, 1)
time.sleep(1 << 30)' &
stamp_pid=$!
sleep 0.5
kill -0 $stamp_pid 2>/dev/null || echo "guest: no socket holds SO_TIMESTAMP (see above)"
for t in $tests; do
	i=$((i + 1))
	name=$(basename "$t" .sh)
	start=${EPOCHREALTIME/./}
	case $t in /*) prog=$t ;; *) prog=$ST/$t ;; esac
	# a test may ask for more than the default with a "# timeout: SECONDS"
	# line (scaled as TEST_TIMEOUT is, for slow kernels)
	limit=${TEST_TIMEOUT:-300}
	own=$(sed -n 's/^# timeout: \([0-9]\+\)$/\1/p' "$prog" | head -n 1)
	[ -n "$own" ] && [ $((own * ${TEST_TIMEOUT:-300} / 300)) -gt "$limit" ] &&
		limit=$((own * ${TEST_TIMEOUT:-300} / 300))
	timeout -k 5 "$limit" "$prog" </dev/null >"$OUT/$name.log" 2>&1
	rc=$?
	secs=$(((${EPOCHREALTIME/./} - start) / 100000))
	secs=$((secs / 10)).$((secs % 10))
	echo "$rc $secs" >"$OUT/$name.rc"
	[ $rc = 0 ] || bad=$((bad + 1))
	echo "guest: [$i/$n] $name: $(grep -cE '^ok [0-9]+ ' "$OUT/$name.log") ok," \
		"$(grep -cE '^not ok [0-9]+ ' "$OUT/$name.log") not ok, status $rc, $secs s"
	# a test that leaked namespaces must not disturb the next one
	for ns in $(ip netns list | awk '{ print $1 }'); do ip netns del "$ns"; done
done
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
if [ -e /sys/kernel/debug/kmemleak ]; then
	# an object is reported once unreferenced for 5 s: scan, wait, scan
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$OUT/kmemleak.txt"
	echo "guest: kmemleak: $(grep -c '^unreferenced object' "$OUT/kmemleak.txt") leaks"
fi
dmesg >"$OUT/dmesg.txt"
sync
[ $bad = 0 ]
