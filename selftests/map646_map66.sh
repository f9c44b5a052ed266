#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# map66 (the original map646's map66-static): a server with an internal
# IPv6 address reached at a global one through the translator, packet by
# packet: ICMPv6 echo, UDP and TCP of odd lengths, fragments both ways,
# ICMPv6 errors both ways (their quoted packet rewritten too: the sockets
# see "connection refused"), Packet Too Big about the global address, per-
# mapping counters, the netlink refusals. The table comes from an original
# map646.conf, loaded as it is. On path prerouting (the default) the hooks
# leave these packets to the routes and the device rewrites them; path
# device gives the same results (one hop-limit decrement either way).
#
#  ┌────────────────────────────┐   ┌─────────────────────────────────────┐   ┌──────────────────────────┐
#  │ remote                     │   │ xlat                                │   │ server                   │
#  │ eth0 2001:db8:99::7/64 ────┼───┼─ to-r  2001:db8:99::1/64            │   │                          │
#  │ 2001:db8:ff::/64 via xlat  │   │        to-s6 2001:db8:1::1/64 ──────┼───┼─ eth0 2001:db8:1::10/64  │
#  └────────────────────────────┘   │ map646: map66 2001:db8:ff::10       │   │ default via xlat         │
#                                   │           <-> 2001:db8:1::10        │   └──────────────────────────┘
#                                   │   route 2001:db8:ff::10/128 map646  │
#                                   │   rule from 2001:db8:1::10 table 66 │
#                                   │   table 66: default dev map646      │
#                                   └─────────────────────────────────────┘
. "$(dirname "$0")/lib.sh"

GLOBAL=2001:db8:ff::10
INTERNAL=2001:db8:1::10
REMOTE=2001:db8:99::7
PROBE="$ST/sockprobe.py"

ktap_plan 29
dmesg_mark

ns_new R r66 && ns_new XLAT x66 && ns_new S s66 || ktap_bail "namespaces"
cat >"$TMP/map646.conf" <<EOC
# map646.conf of the original program
mapping-prefix 64:ff9b::
map-static 192.0.2.10 $INTERNAL
map66-static $GLOBAL $INTERNAL
map-static 192.0.2.12 2001:db8:1::12
EOC
steps "in_ns $XLAT sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0" \
	"in_ns $R sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0" \
	"in_ns $S sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0" \
	"ip link add eth0 netns $R type veth peer name to-r netns $XLAT" \
	"ip link add eth0 netns $S type veth peer name to-s6 netns $XLAT" \
	"ip -n $R addr add $REMOTE/64 dev eth0 nodad" \
	"ip -n $R link set eth0 up" \
	"ip -n $R route add 2001:db8:ff::/64 via 2001:db8:99::1" \
	"ip -n $S addr add $INTERNAL/64 dev eth0 nodad" \
	"ip -n $S link set eth0 up" \
	"ip -n $S route add default via 2001:db8:1::1" \
	"ip -n $XLAT addr add 2001:db8:99::1/64 dev to-r nodad" \
	"ip -n $XLAT addr add 2001:db8:1::1/64 dev to-s6 nodad" \
	"ip -n $XLAT link set to-r up" \
	"ip -n $XLAT link set to-s6 up" \
	"ip -n $XLAT link add map646 type map646" \
	"ip -n $XLAT link set map646 up" ||
	ktap_bail "topology"

check config-original-loads xctl load "$TMP/map646.conf"
check_eq save-keeps-map66 "map66-static $GLOBAL $INTERNAL" \
	"$(xctl save | grep map66-static)"
steps "ip -n $XLAT -6 route add $GLOBAL/128 dev map646" \
	"ip -n $XLAT -6 rule add from $INTERNAL lookup 66 pref 100" \
	"ip -n $XLAT -6 route add default dev map646 table 66" ||
	ktap_bail "routes"
wait_for 10 in_ns "$R" ping -c 1 -W 1 -q 2001:db8:99::1 >/dev/null || diag "remote cannot reach xlat"

csum_errors() {
	in_ns "$1" nstat -azs Udp6InCsumErrors TcpInCsumErrors Icmp6InCsumErrors |
		awk 'NR > 1 { s += $2 } END { print s + 0 }'
}

# echoes NS SIZE DEST: "N x hlim H" for the N replies with hop limit H
# (64 at the sender, one router between: 63)
echoes() {
	in_ns "$1" ping -n -c 3 -i 0.2 -W 2 -s "$2" "$3" 2>/dev/null |
		sed -n 's/.* ttl=\([0-9]*\).*/\1/p' | uniq -c | awk '{ print $1 " x hlim " $2 }'
}
tx() { ip -n "$XLAT" -s -j link show map646 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'; }

# path prerouting (the default): the hooks leave map66 traffic to the
# routes, the device rewrites it and sends it out itself
check_eq path-prerouting prerouting "$(xctl settings show | awk '$1 == "path" { print $2 }')"
tx0=$(tx)
check_eq ping-remote-to-global-odd-size "3 x hlim 63" "$(echoes "$R" 1001 "$GLOBAL")"
check_eq ping-server-from-internal "3 x hlim 63" "$(echoes "$S" 57 "$REMOTE")"
check_ge rewritten-by-the-device 12 "$(($(tx) - tx0))"

# UDP of odd and even lengths; the server must see the remote itself
SIZES="1 3 64 999 1001 1400"
bg "$S" "$PY" "$PROBE" udp-server "$INTERNAL" 7001 6 >"$TMP/udp.peers"
SRV=$BG_PID
wait_listen "$S" udp 7001
got=$(in_ns "$R" "$PY" "$PROBE" udp-client "$GLOBAL" 7001 $SIZES | awk '$2 == "ok" { print $1 }' | xargs)
check_eq udp-odd-sizes "$SIZES" "$got"
bg_wait $SRV 5 || bg_kill $SRV
check_eq udp-server-sees-remote "$REMOTE" "$(sort -u "$TMP/udp.peers" | xargs)"

# TCP (segmentation offload on the veths: checksums left to offload)
bg "$S" "$PY" "$PROBE" tcp-server "$INTERNAL" 7100 >"$TMP/tcp.peer"
SRV=$BG_PID
wait_listen "$S" tcp 7100
check_eq tcp-odd-length ok "$(in_ns "$R" "$PY" "$PROBE" tcp-client "$GLOBAL" 7100 300001)"
bg_wait $SRV 5 || bg_kill $SRV
check_eq tcp-server-sees-remote "$REMOTE" "$(cat "$TMP/tcp.peer")"

# 3000 bytes: three fragments each way, rewritten one by one
stats_save "$TMP/f0"
bg "$S" "$PY" "$PROBE" udp-server "$INTERNAL" 7002 1 >/dev/null
SRV=$BG_PID
wait_listen "$S" udp 7002
check_eq fragments-both-ways "3000 ok" "$(in_ns "$R" "$PY" "$PROBE" udp-client "$GLOBAL" 7002 3000)"
bg_wait $SRV 5 || bg_kill $SRV
stats_save "$TMP/f1"
check_ge fragments-rewritten-one-by-one 6 \
	"$(stats_delta "$TMP/f0" "$TMP/f1" | awk '$1 == "xlat_66" { print $2 }')"
check_eq no-checksum-errors "0 0" "$(csum_errors "$R") $(csum_errors "$S")"

# errors: the server's port unreachable reaches the remote's socket, and
# the remote's reaches the server's: their quoted packet was rewritten
check_eq error-from-internal-server refused "$(in_ns "$R" "$PY" "$PROBE" udp-refused "$GLOBAL" 7999)"
check_eq error-from-outside refused "$(in_ns "$S" "$PY" "$PROBE" udp-refused "$REMOTE" 7999)"

# path device: the same rewrites, handed back as received on the device
xlat_path device map646 "$XLAT" || ktap_bail "path device"
check_eq device-path-ping-remote-to-global "3 x hlim 63" "$(echoes "$R" 1001 "$GLOBAL")"
check_eq device-path-ping-server-from-internal "3 x hlim 63" "$(echoes "$S" 57 "$REMOTE")"
bg "$S" "$PY" "$PROBE" udp-server "$INTERNAL" 7004 6 >/dev/null
SRV=$BG_PID
wait_listen "$S" udp 7004
got=$(in_ns "$R" "$PY" "$PROBE" udp-client "$GLOBAL" 7004 $SIZES | awk '$2 == "ok" { print $1 }' | xargs)
check_eq device-path-udp-odd-sizes "$SIZES" "$got"
bg_wait $SRV 5 || bg_kill $SRV
check_eq device-path-error-from-internal-server refused "$(in_ns "$R" "$PY" "$PROBE" udp-refused "$GLOBAL" 7999)"
check_eq device-path-error-from-outside refused "$(in_ns "$S" "$PY" "$PROBE" udp-refused "$REMOTE" 7999)"
xlat_path prerouting map646 "$XLAT" || ktap_bail "path prerouting"

# too big for the server's link: Packet Too Big about the global address
steps "ip -n $XLAT link set to-s6 mtu 1280" "ip -n $S link set eth0 mtu 1280" ||
	diag "link MTU not set"
check_eq pmtu-about-global 1280 "$(in_ns "$R" "$PY" "$PROBE" pmtu "$GLOBAL" 7003 1400)"

json=$(xctl -s -j map66 show)
diag "$json"
check counters-in-and-out "$PY" -c "import json, sys
m = json.loads(sys.argv[1])[0]['stats']
sys.exit(not (m['packets_in'] > 10 and m['packets_out'] > 10 and m['bytes_in'] > 300000))" "$json"

refused() {	# expected message, command...: refused with that message
	local msg=$1 out
	shift
	out=$(xctl "$@" 2>&1) && { diag "accepted: $*"; return 1; }
	grep -qF -- "$msg" <<<"$out" || { diag "$out"; return 1; }
}
check refuse-global-taken refused "global address is already in a map66 mapping" \
	map66 add "$GLOBAL" 2001:db8:1::20
check refuse-same-addresses refused "global and internal address are the same" \
	map66 add 2001:db8:ff::20 2001:db8:ff::20
check refuse-global-mapped-from-ipv4 refused "global address is the IPv6 side of a mapping" \
	map66 add 2001:db8:1::12 2001:db8:1::21
check refuse-ipv4-mapping-to-global refused "holds the global address of a map66 mapping" \
	mapping add 192.0.2.11 "$GLOBAL"
check del-unknown-refused refused "no mapping holds this address" map66 del 2001:db8:ff::99
check_eq del-by-internal "0 map646ctl: no map66 mapping holds $GLOBAL" \
	"$(xctl map66 del "$INTERNAL"; echo "$? $(xctl map66 show "$GLOBAL" 2>&1)")"
check kernel-log-clean dmesg_clean
