#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the translator does to the packets it takes, and how the device
# counts them:
#  - a packet a tap holds a copy of is not written through: the tap still
#    sees the IPv4 packet with its IPv4 checksum, also when the translation
#    is cut into IPv6 fragments (path device: a tap on the device; path
#    prerouting: on the link the packet came in by);
#  - IPv6 fragments made of an IPv4 packet keep its mark (policy routing)
#    and priority (qdisc classes), on every path (set on the device's
#    egress, or on the link's ingress for the hooks);
#  - tx_packets counts the packets translated, tx_dropped those dropped
#    (each packet once); rx_dropped counts a re-injected packet the stack
#    refused once (path device: the device's own counters);
#  - locally generated packets find the headroom the translation needs
#    (no reallocation: pskb_expand_head is not called for them).
#
#  ┌───────────────────────┐   ┌────────────────────────────────────┐   ┌───────────────────────────┐
#  │ client4               │   │ xlat                               │   │ server6 (A)               │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4             to-s6 ──────────┼───┼─ 2001:db8:1::10/64        │
#  │                       │   │                                    │   └───────────────────────────┘
#  │                       │   │ map646 (standard), clsact egress / │   ┌───────────────────────────┐
#  │                       │   │  to-c4 ingress: skbedit mark 7     │
#  │                       │   │   priority 1:3                     │   │ serverB                   │
#  │                       │   │ to-sb 2001:db8:b::1/64 (prio 1:) ──┼───┼─ 2001:db8:b::10/64        │
#  │                       │   │ fwmark 7: 2001:db8:1::10 via B     │   │  + 2001:db8:1::10/128     │
#  └───────────────────────┘   └────────────────────────────────────┘   └───────────────────────────┘
. "$(dirname "$0")/lib.sh"

set -- $XLAT_PATHS
ktap_plan $((3 * $# + 6))
topo_standard || ktap_bail "topology setup failed"
topo_server_b || ktap_bail "server B"
q tc -n "$XLAT" qdisc add dev to-sb root handle 1: prio || ktap_bail "prio qdisc"

# send4 COUNT SIZE PORT [DST]: datagrams from client4 without DF, 0.1 s apart
send4() {
	in_ns "$CLIENT" "$PY" -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 10, 0)	# IP_MTU_DISCOVER: IP_PMTUDISC_DONT
for i in range(int(sys.argv[1])):
    s.sendto(bytes(int(sys.argv[2])), (sys.argv[4], int(sys.argv[3])))
    time.sleep(0.1)' "$1" "$2" "$3" "${4:-$SERVER_PUB}"
}
# listen NS FILE PORT: log the size of every datagram to [::]:PORT
listen() {
	bg "$1" "$PY" -c 'import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[2])))
out = open(sys.argv[1], "a", buffering=1)
while True:
    out.write("%d\n" % len(s.recv(65536)))' "$2" "$3"
}
link_stat() {
	ip -n "$XLAT" -s -j link show map646 |
		"$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"][sys.argv[1]][sys.argv[2]])' "$1" "$2"
}

# 1. a tap's copy: 1400 bytes without DF become two IPv6 fragments; the
# tap reads its queued copies only after they were all translated. It
# takes what DEV sends (path device: what the device was handed) or
# receives (path prerouting: what the hooks take).
tap_case() {	# PATH DEV PKTTYPE
	local tap dump
	xlat_path "$1" || ktap_bail "path $1"
	rm -f "$TMP/tap.ready" "$TMP/tap.go"
	bg "$XLAT" "$PY" -c 'import os, socket, struct, sys, time
sys.dont_write_bytecode = True	# no __pycache__ in the tree
sys.path.insert(0, sys.argv[3])
from icmp_probe import csum
s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind((sys.argv[4], 3))
open(sys.argv[1], "w").close()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.1)
s.setblocking(False)
good = bad = 0
try:
    while True:
        p, addr = s.recvfrom(65536)
        ihl = (p[0] & 15) * 4
        if addr[2] != int(sys.argv[5]) or p[0] >> 4 != 4 or p[9] != 17:
            continue
        udp = p[ihl:]
        pseudo = p[12:20] + struct.pack("!HH", 17, len(udp))
        if csum(pseudo + udp) == 0:
            good += 1
        else:
            bad += 1
except BlockingIOError:
    pass
print("valid=%d invalid=%d" % (good, bad))' "$TMP/tap.ready" "$TMP/tap.go" "$ST" "$2" "$3" >"$TMP/tap.out"
	tap=$BG_PID
	wait_for 10 test -e "$TMP/tap.ready" || ktap_bail "tap"
	bg "$XLAT" tcpdump -n -i "$2" -c 100 udp >/dev/null 2>&1
	dump=$BG_PID
	in_ns "$CLIENT" ethtool -K eth0 tx off >/dev/null	# checksums in software
	send4 5 1400 7000
	touch "$TMP/tap.go"
	bg_wait $tap 15 || bg_kill $tap
	bg_kill $dump
	in_ns "$CLIENT" ethtool -K eth0 tx on >/dev/null
	check_eq "$1: tap-copy-keeps-its-ipv4-udp-checksum" "valid=5 invalid=0" "$(cat "$TMP/tap.out")"
}
for p in $XLAT_PATHS; do
	case $p in
	device) tap_case device map646 4 ;;	# PACKET_OUTGOING
	*) tap_case "$p" to-c4 0 ;;		# PACKET_HOST
	esac
done

# 2. mark and priority: marked packets go to server B; fragments too. They
# are set where each path sees the packet: the device's egress (path
# device) or the client link's ingress (the hooks come after it).
steps "ip -n $XLAT -6 route add $SERVER_IP6/128 via 2001:db8:b::10 dev to-sb table 100" \
	"ip -n $XLAT -6 rule add fwmark 7 lookup 100 priority 100" \
	"tc -n $XLAT qdisc add dev map646 clsact" \
	"tc -n $XLAT qdisc add dev to-c4 clsact" ||
	ktap_bail "marks"
class_pkts() {
	tc -n "$XLAT" -s class show dev to-sb |
		awk '/^class prio 1:3 / { f = 1; next } f && $1 == "Sent" { print $4; exit }'
}
listen "$SERVER" "$TMP/a.log" 7001
listen "$SERVERB" "$TMP/b.log" 7001
wait_listen "$SERVER" udp 7001 && wait_listen "$SERVERB" udp 7001 || ktap_bail "listeners"
for p in $XLAT_PATHS; do
	xlat_path "$p" || ktap_bail "path $p"
	[ "$p" = device ] && at="map646 egress" || at="to-c4 ingress"
	q tc -n "$XLAT" filter add dev $at matchall action skbedit mark 7 priority 1:3 ||
		ktap_bail "filter on $at"
	: >"$TMP/a.log"
	: >"$TMP/b.log"
	c0=$(class_pkts)
	send4 3 1400 7001
	wait_for 5 eval '[ $(wc -l <"$TMP/b.log") -ge 3 ]'
	check_eq "$p: fragments-keep-mark-policy-route" "1400 1400 1400 (A: )" \
		"$(xargs <"$TMP/b.log") (A: $(xargs <"$TMP/a.log"))"
	check_eq "$p: fragments-keep-priority-class-1:3" 6 $(($(class_pkts) - c0))
	q tc -n "$XLAT" filter del dev $at
done
q ip -n "$XLAT" -6 rule del priority 100

# 3. and 4.: the device's own counters, on path device (every packet
# passes the device; path prerouting: map646_prerouting.sh)
xlat_path device || ktap_bail "path device"

# 3. interface counters: a packet the device drops is no packet it sent
tp0=$(link_stat tx packets) td0=$(link_stat tx dropped)
ping_recv "$CLIENT" -c 3 -i 0.2 -W 1 192.0.2.99 >/dev/null	# routed, not mapped
check_eq "dropped-not-in-tx_packets" 0 $(($(link_stat tx packets) - tp0))
check_eq "dropped-in-tx_dropped" 3 $(($(link_stat tx dropped) - td0))
tp0=$(link_stat tx packets)
ping_recv "$CLIENT" -c 3 -i 0.2 -W 1 "$SERVER_PUB" >/dev/null
check_eq "translated-in-tx_packets-both-ways" 6 $(($(link_stat tx packets) - tp0))

# 4. the stack refuses the second fragment of each datagram (the device's
# receive queue may hold none); counted once in rx_dropped, as drop_rx
old_backlog=$(sysctl -n net.core.netdev_max_backlog)
rd0=$(link_stat rx dropped) dr0=$(stat_get drop_rx)
sysctl -qw net.core.netdev_max_backlog=0
send4 4 1400 7001
sysctl -qw net.core.netdev_max_backlog="$old_backlog"
rd=$(($(link_stat rx dropped) - rd0)) dr=$(($(stat_get drop_rx) - dr0))
diag "4 datagrams, 8 fragments: rx_dropped +$rd, drop_rx +$dr"
check_ge "reinjection-drops-happened" 1 "$dr"
check_eq "rx_dropped-counts-each-once" "$dr" "$rd"

# 5. 200 datagrams from a socket on the translator: room for the IPv6
# header is there from the start (kprobe hits on pskb_expand_head)
expands=$(in_ns "$XLAT" bash -c "mkdir -p $TMP/tr && mount -t tracefs nodev $TMP/tr &&
	echo 'p:map646_headroom pskb_expand_head' >>$TMP/tr/kprobe_events &&
	echo 1 >$TMP/tr/events/kprobes/map646_headroom/enable &&
	$PY -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(200):
    s.sendto(bytes(100), (\"$SERVER_PUB\", 7002))' &&
	awk '\$1 == \"map646_headroom\" { print \$2 }' $TMP/tr/kprobe_profile
	echo 0 >$TMP/tr/events/kprobes/map646_headroom/enable
	echo '-:map646_headroom' >>$TMP/tr/kprobe_events" 2>&1)
diag "pskb_expand_head called $expands times for 200 local datagrams"
if [[ $expands =~ ^[0-9]+$ ]] && [ "$expands" -lt 50 ]; then
	ktap_ok "local-packets-not-reallocated"
else
	ktap_fail "local-packets-not-reallocated" "pskb_expand_head: ${expands:-?}"
fi
