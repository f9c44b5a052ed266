#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration churn while traffic flows, in the standard topology
# (lib.sh), on every path (XLAT_PATHS; case names start with the path):
# iperf3 (TCP) and a ping flood run through the translator while
# the table is loaded, synced away and flushed with 100 000 mappings, single
# mappings come and go, the prefix and the transmit path flip, and the
# device is deleted and created again. Meanwhile a mapping moves between
# two servers with every table load, and two checked UDP streams
# (udp_stream.py) cross it: every packet that arrives must have been
# translated whole by one table or the other (addresses, hop limit,
# checksum, payload), never by a half-updated entry. Pass: that, no kernel
# warning, the translator still translates at the end, and nothing leaks
# (the device deletes free everything: checked by the cleanup case and
# kmemleak runs).
. "$(dirname "$0")/lib.sh"

set -- $XLAT_PATHS
ktap_plan $((10 * $#))
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

# two tables of 10 000 mappings that differ in one: the server's public
# address leads to its first address in A, to a second one in B
SERVER_ALT6=2001:db8:1::11
q ip -n "$SERVER" addr add "$SERVER_ALT6/64" dev eth0 nodad || ktap_bail "second address"
for t in A:$SERVER_IP6 B:$SERVER_ALT6; do
	{
		echo "prefix 64:ff9b::/96"
		echo "map-static $SERVER_PUB ${t#*:}"
		"$PY" -c 'for i in range(10000): print("map-static 10.9.%d.%d 2001:db8:fe::%x" % (i >> 8, i & 255, i))'
	} >"$TMP/${t%%:*}.conf"
done
for i in $(seq 1 20); do echo "load $TMP/B.conf"; echo "load $TMP/A.conf"; done >"$TMP/swap.batch"

# udp_counter NS NAME: a UDP counter of NS's kernel (Udp/Udp6 rows of
# /proc/net/snmp and snmp6)
udp_counter() {
	in_ns "$1" cat /proc/net/snmp /proc/net/snmp6 2>/dev/null |
		awk -v n="$2" '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
			$1 == "Udp:" { v += $col[n] } $1 == "Udp6" n { v += $2 }
			END { print v + 0 }'
}

stream_ok() {	# RESULT GOOD-COMBO-REGEX MIN-PACKETS [MUST-SEE...]
	local r p c
	r=$(cat "$1") || return 1
	p=$(sed -n 's/.*packets=\([0-9]*\).*/\1/p' <<<"$r")
	[[ $r == *" bad_payload=0 dup=0 "* ]] || { echo "damaged or doubled: $r"; return 1; }
	for c in $(cut -d' ' -f4- <<<"$r"); do
		[[ $c =~ $2 ]] || { echo "wrongly translated: $c"; return 1; }
	done
	[ "${p:-0}" -ge "$3" ] || { echo "only ${p:-0} packets, expected >= $3"; return 1; }
	shift 3
	for c in "$@"; do [[ $r == *" $c"* ]] || { echo "never seen: $c"; return 1; }; done
}

# recreate PATH: delete the device and create it again on PATH, 3 times
recreate() {
	local i
	for i in 1 2 3; do
		ip -n "$XLAT" link del map646 || return 1
		xlat_std "$XLAT" && xlat_path "$1" || return 1
	done
}

# churn_on PATH: all of the churn with the device on PATH
churn_on() {
	local p=$1 other=device
	[ "$p" = device ] && other=prerouting
	rm -f "$TMP/stop" "$TMP/recv46" "$TMP/recv64" "$TMP/sent46" "$TMP/sent64"
	xlat_path "$p" || ktap_bail "path $p"
	bg "$SERVER" iperf3 -s -1 >/dev/null 2>&1
	wait_listen "$SERVER" tcp 5201
	bg "$CLIENT" iperf3 -c "$SERVER_PUB" -t 60 -f m >"$TMP/iperf.out" 2>&1
	IPERF=$BG_PID
	bg "$CLIENT" ping -q -f -w 60 "$SERVER_PUB" >"$TMP/ping.out" 2>&1
	PING=$BG_PID

	check "$p: load-sync-flush-100k" steps \
		"xctl load $TMP/big.conf" "xctl sync $TMP/small.conf" \
		"xctl load $TMP/big.conf" "xctl mapping flush" "xctl load $TMP/small.conf"

	# 4to6: the client sends to the server's public address, which 40 loads
	# move between its two IPv6 addresses; 6to4: the server sends from both,
	# one of which is mapped at any time
	csum0=$(($(udp_counter "$CLIENT" InCsumErrors) + $(udp_counter "$SERVER" InCsumErrors)))
	bg "$SERVER" "$PY" "$ST/udp_stream.py" recv 7001 "$TMP/stop" "$TMP/recv46"
	bg "$CLIENT" "$PY" "$ST/udp_stream.py" recv 7002 "$TMP/stop" "$TMP/recv64"
	wait_listen "$SERVER" udp 7001 && wait_listen "$CLIENT" udp 7002
	bg "$CLIENT" "$PY" "$ST/udp_stream.py" send "$CLIENT_IP" "$SERVER_PUB" 7001 200 \
		"$TMP/stop" "$TMP/sent46"
	S46=$BG_PID
	bg "$SERVER" "$PY" "$ST/udp_stream.py" send "$SERVER_IP6,$SERVER_ALT6" "$CLIENT_IP6" 7002 200 \
		"$TMP/stop" "$TMP/sent64"
	S64=$BG_PID
	sleep 1
	check "$p: load-swap-x40-under-udp" xctl -b "$TMP/swap.batch"
	touch "$TMP/stop"
	bg_wait "$S46" 10 && bg_wait "$S64" 10 && wait_for 20 eval "[ -s $TMP/recv46 ] && [ -s $TMP/recv64 ]"
	diag "4to6: $(cat "$TMP/sent46" "$TMP/recv46" 2>/dev/null | xargs)"
	diag "6to4: $(cat "$TMP/sent64" "$TMP/recv64" 2>/dev/null | xargs)"
	# every packet whole and translated by one of the two tables, each table
	# seen; in 4to6 (the public address is always mapped) at most 1 % lost:
	# the ping flood and iperf3 fill queues too
	sent46=$(sed -n 's/sent=//p' "$TMP/sent46") sent64=$(sed -n 's/sent=//p' "$TMP/sent64")
	check "$p: 4to6-every-packet-whole" stream_ok "$TMP/recv46" \
		"^64:ff9b::c633:6407>2001:db8:1::1[01]/63=[0-9]+\$" $((${sent46:-1} * 99 / 100)) \
		"64:ff9b::c633:6407>$SERVER_IP6/63=" "64:ff9b::c633:6407>$SERVER_ALT6/63="
	check "$p: 6to4-every-packet-whole" stream_ok "$TMP/recv64" \
		"^$SERVER_PUB>$CLIENT_IP/63=[0-9]+\$" $((${sent64:-4} / 4))
	check_eq "$p: no-checksum-errors" "$csum0" \
		"$(($(udp_counter "$CLIENT" InCsumErrors) + $(udp_counter "$SERVER" InCsumErrors)))"
	check "$p: add-del-300-pairs" xctl -b "$TMP/addel.batch"
	check "$p: prefix-and-path-flips" steps \
		"xctl settings set prefix 2001:db8:64::/96" "xctl settings set path $other" \
		"xctl settings set prefix 64:ff9b::/96" "xctl settings set path $p" \
		"xctl settings set prefix none" "xctl settings set prefix 64:ff9b::/96"
	check "$p: device-delete-recreate-x3" recreate "$p"
	bg_kill "$PING"
	bg_kill "$IPERF"
	check "$p: kernel-log-clean" dmesg_clean
	check_eq "$p: still-translating" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
}

for p in $XLAT_PATHS; do
	churn_on "$p"
done
