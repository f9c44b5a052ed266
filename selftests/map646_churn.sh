#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration churn while traffic flows, in the standard topology
# (lib.sh): iperf3 (TCP) and a ping flood run through the translator while
# the table is loaded, synced away and flushed with 100 000 mappings, single
# mappings come and go, the prefix and the transmit path flip, and the
# device is deleted and created again. Pass: no kernel warning, the
# translator still translates at the end, and nothing leaks (the device
# deletes free everything: checked by the cleanup case and kmemleak runs).
. "$(dirname "$0")/lib.sh"

ktap_plan 6
topo_standard || ktap_bail "topology setup failed"
dmesg_mark

# 100 000 mappings in a file, with the server's among them
{
	echo "prefix 64:ff9b::/96"
	echo "map-static $SERVER_PUB $SERVER_IP6"
	"$PY" -c 'for i in range(100000): print("map-static 10.%d.%d.%d 2001:db8:ff::%x:%x" % (i >> 16, (i >> 8) & 255, i & 255, i >> 16, i & 0xffff))'
} >"$TMP/big.conf"
printf 'prefix 64:ff9b::/96\nmap-static %s %s\n' "$SERVER_PUB" "$SERVER_IP6" >"$TMP/small.conf"
for i in $(seq 1 300); do
	echo "mapping add 203.0.113.$((i % 250 + 1)) 2001:db8:ee::$i"
	echo "mapping del 203.0.113.$((i % 250 + 1))"
done >"$TMP/addel.batch"

bg "$SERVER" iperf3 -s -1 >/dev/null 2>&1
wait_listen "$SERVER" tcp 5201
bg "$CLIENT" iperf3 -c "$SERVER_PUB" -t 60 -f m >"$TMP/iperf.out" 2>&1
IPERF=$BG_PID
bg "$CLIENT" ping -q -f -w 60 "$SERVER_PUB" >"$TMP/ping.out" 2>&1
PING=$BG_PID

check "load-sync-flush-100k" steps \
	"xctl load $TMP/big.conf" "xctl sync $TMP/small.conf" \
	"xctl load $TMP/big.conf" "xctl mapping flush" "xctl load $TMP/small.conf"
check "add-del-300-pairs" xctl -b "$TMP/addel.batch"
check "prefix-and-path-flips" steps \
	"xctl settings set prefix 2001:db8:64::/96" "xctl settings set fast-path on" \
	"xctl settings set prefix 64:ff9b::/96" "xctl settings set fast-path off" \
	"xctl settings set prefix none" "xctl settings set prefix 64:ff9b::/96"
recreate() {
	local i
	for i in 1 2 3; do
		ip -n "$XLAT" link del map646 || return 1
		xlat_std "$XLAT" || return 1
	done
}
check "device-delete-recreate-x3" recreate
bg_kill "$PING"
bg_kill "$IPERF"
check "kernel-log-clean" dmesg_clean
check_eq "still-translating" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
