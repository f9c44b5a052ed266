#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Segmentation offload across the translator. A UDP GSO packet is a batch
# of datagrams of the application's size (gso_size): the server must get
# exactly the datagrams the client wrote, also when they no longer fit the
# IPv6 link whole (DF=0: fragmented, reassembled by the server). TCP
# segments may be cut smaller to fit the IPv6 route; every byte arrives.
# The segment count a GSO packet carries (gso_segs) stays true: a qdisc on
# the next link counts each segment as a packet.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4               │   │ xlat                           │   │ server6                  │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24 (pfifo) │   │                          │
#  │ (TSO, UDP GSO on)     │   │   to-s6 2001:db8:1::1/64 (pfifo)┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646 (standard)              │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

set -- $XLAT_PATHS
ktap_plan $((8 * $#))
topo_standard || ktap_bail "topology setup failed"
steps "tc -n $XLAT qdisc add dev to-s6 root pfifo" \
	"tc -n $XLAT qdisc add dev to-c4 root pfifo" || ktap_bail "qdiscs"

# qdisc_pkts DEV: packets the qdisc on DEV in xlat has sent (a GSO packet
# counts as its gso_segs)
qdisc_pkts() {
	tc -n "$XLAT" -s -j qdisc show dev "$1" root |
		"$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["packets"])'
}

# udp_case NAME SIZE SEGS DF: 4 writes of SEGS datagrams of SIZE bytes,
# client4 -> server6; the server sees the same datagrams, the qdisc on
# to-s6 at least one packet per datagram
udp_case() {
	local name=$1 want got p0
	rm -f "$TMP/udp.out"
	bg "$SERVER" "$PY" "$ST/udp_gso.py" recv 7000 2 >"$TMP/udp.out"
	local rcv=$BG_PID
	wait_listen "$SERVER" udp 7000 || ktap_bail "udp receiver"
	p0=$(qdisc_pkts to-s6)
	want=$(in_ns "$CLIENT" "$PY" "$ST/udp_gso.py" send "$SERVER_PUB" 7000 "$2" "$3" 4 "$4")
	bg_wait $rcv 20 || bg_kill $rcv
	got=$(cat "$TMP/udp.out")
	diag "$name: sent $want"
	check_eq "$name: server-gets-the-datagrams-sent" "$want" "${got:-nothing}"
	check_ge "$name: qdisc-counts-every-segment" $((4 * $3)) $(($(qdisc_pkts to-s6) - p0))
}

SIZE=$((2 * 1024 * 1024 + 1234))
head -c $SIZE /dev/urandom >"$TMP/data"
SUM=$(sha256sum <"$TMP/data" | cut -d' ' -f1)
# tcp_case NAME LISTEN_NS LISTEN_ADDR CONNECT_NS CONNECT_ADDR PORT DEV:
# the connecting side sends; the qdisc on DEV, towards the listener, must
# count about one packet per segment (at most 1500 bytes each)
tcp_case() {
	local name=$1 lns=$2 laddr=$3 cns=$4 caddr=$5 port=$6 dev=$7 fam=4 srv rc p0 got
	[[ $laddr == *:* ]] && fam=6
	rm -f "$TMP/recv"
	bg "$lns" socat -u "TCP$fam-LISTEN:$port,bind=$laddr,reuseaddr" "CREATE:$TMP/recv"
	srv=$BG_PID
	wait_listen "$lns" tcp "$port" || ktap_bail "nothing listens on $port"
	p0=$(qdisc_pkts "$dev")
	in_ns "$cns" timeout 60 socat -u "OPEN:$TMP/data" "TCP:$caddr:$port"
	rc=$?
	bg_wait $srv 30 || rc=$((rc + 100))
	got=$(sha256sum <"$TMP/recv" 2>/dev/null | cut -d' ' -f1)
	check_eq "$name: every-byte" "$SUM (status 0)" "$got (status $rc)"
	check_ge "$name: qdisc-counts-every-segment" $((SIZE / 1500)) $(($(qdisc_pkts "$dev") - p0))
}

for fp in $XLAT_PATHS; do
	xlat_path "$fp" || ktap_bail "path $fp"
	# 1200 + 48 fits the 1500-byte IPv6 link; 1460 + 48 does not
	udp_case "$fp: udp-gso-1200-df" 1200 8 df
	udp_case "$fp: udp-gso-1460-no-df" 1460 8 nodf
done
# TCP cut smaller: the route to the server takes 1400 bytes, TSO on
q ip -n "$XLAT" -6 route add "$SERVER_IP6/128" dev to-s6 mtu 1400 || ktap_bail "route mtu"
for fp in $XLAT_PATHS; do
	xlat_path "$fp" || ktap_bail "path $fp"
	tcp_case "$fp: tcp-4to6-route-mtu-1400" "$SERVER" "[$SERVER_IP6]" "$CLIENT" "$SERVER_PUB" 5001 to-s6
	tcp_case "$fp: tcp-6to4" "$CLIENT" "$CLIENT_IP" "$SERVER" "[$CLIENT_IP6]" 5002 to-c4
done
