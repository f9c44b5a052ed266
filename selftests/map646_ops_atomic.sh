#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `map646ctl load` replaces the table atomically: a ping stream to a mapping
# present in both files loses no packet while the table is replaced 100
# times, alternating between two files of 1000 mappings that share it.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24          │   │                          │
#  │ ping 192.0.2.10,      │   │          to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │ flood, bursts of 100, │   │ map646: load b.conf, a.conf,   │   │                          │
#  │ until the loads       │   │  b.conf, ... (100 times); both │   │                          │
#  │ are done              │   │  map 192.0.2.10 <-> ...::10    │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

LOADS=100
ktap_plan 5
topo_standard || ktap_bail "topology setup failed"

# a.conf and b.conf: the shared mapping, then 1000 others that differ
for f in a b; do
	awk -v f=$f 'BEGIN { print "mapping-prefix 64:ff9b::"
		print "map-static 192.0.2.10 2001:db8:1::10"
		for (i = 0; i < 1000; i++)
			printf "map-static 10.%d.%d.%d 2001:db8:%s::%x\n",
				f == "a" ? 1 : 2, i / 256, i % 256, f == "a" ? "a" : "b", i + 1 }' >"$TMP/$f.conf"
done
check "first-load" xctl load "$TMP/a.conf"

# the 100 loads, from one map646ctl batch: b, a, b, ...
for ((i = 0; i < LOADS; i++)); do
	if [ $((i % 2)) = 0 ]; then echo "load $TMP/b.conf"; else echo "load $TMP/a.conf"; fi
done >"$TMP/loads.batch"
loader() {
	xctl -b "$TMP/loads.batch" >"$TMP/load.err" 2>&1
	echo $? >"$TMP/loads.rc"
	mv "$TMP/loads.rc" "$TMP/loads.done"
}
loader &
_pids+=($!)

sent=0 recv=0 bursts=0
until [ -e "$TMP/loads.done" ]; do
	out=$(in_ns "$CLIENT" ping -n -q -f -c 100 -W 2 "$SERVER_PUB" 2>&1)
	s=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' <<<"$out")
	r=$(sed -n 's/.* \([0-9]\+\) received.*/\1/p' <<<"$out")
	sent=$((sent + ${s:-0})) recv=$((recv + ${r:-0})) bursts=$((bursts + 1))
done
diag "$LOADS loads (map646ctl -b) during $bursts bursts: $sent echoes sent, $recv answered"
check_eq "all-loads-done" 0 "$(cat "$TMP/loads.done")"
check_eq "no-load-failed" "" "$(cat "$TMP/load.err")"
check_ge "pings-sent" 100 "$sent"
check_eq "zero-loss" "$sent" "$recv"
