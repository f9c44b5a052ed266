#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Addresses no router forwards (RFC 6890: 0/8, 127/8, 169.254/16,
# 192.0.0.0/24, 224/4, 240/4 and 255.255.255.255) never cross the
# translator, whatever the prefix: a mapped server sending to
# PREFIX::127.0.0.1 or PREFIX::255.255.255.255 must not reach the
# translator's own sockets (on every path), and an IPv4
# packet from such a source never becomes an IPv6 one. Each is counted
# (drop_unforwardable). The standard topology with a network-specific
# prefix (the well-known prefix has a stricter rule of its own):
#
#  ┌───────────────────────┐   ┌─────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4               │   │ xlat                            │   │ server6                  │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24          │   │                          │
#  │ (listens udp 7000)    │   │          to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 2001:db8:64::/96 │   │ (listens udp 7002)       │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10  │   │                          │
#  │                       │   │ listens udp 0.0.0.0:7000,       │   │                          │
#  │                       │   │   127.0.0.1:7001                │   │                          │
#  │                       │   │ raw IPv4 sender (sources)       │   │                          │
#  └───────────────────────┘   └─────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

NSP=2001:db8:64::
# the destinations a server tries (port 7000, 127.0.0.1 also on 7001)
DSTS="127.0.0.1 255.255.255.255 0.0.0.1 169.254.1.1 192.0.0.8 224.0.0.1 240.0.0.1"
# the IPv4 sources a local process on the translator tries
SRCS="127.0.0.1 0.1.2.3 169.254.1.1 224.0.0.5 240.0.0.1"
set -- $XLAT_PATHS
ktap_plan $((7 * $#))
topo_standard || ktap_bail "topology setup failed"
steps "xctl prefix set $NSP/96" \
	"ip -n $XLAT -6 route del $PREFIX dev map646" \
	"ip -n $XLAT -6 route add $NSP/96 dev map646" ||
	ktap_bail "network-specific prefix"

# listen NS FILE PORT[@ADDR]...: log "PORT SOURCE" for every datagram
listen() {
	local ns=$1 out=$2
	shift 2
	bg "$ns" "$PY" -c '
import select, socket, sys
socks = []
for spec in sys.argv[2:]:
    port, _, addr = spec.partition("@")
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    socks.append(s)
out = open(sys.argv[1], "a", buffering=1)
while True:
    for s in select.select(socks, [], [])[0]:
        data, src = s.recvfrom(2048)
        out.write("%d %s\n" % (s.getsockname()[1], src[0]))
' "$out" "$@"
}
# send6 ADDR PORT: one datagram from the server
send6() {
	in_ns "$SERVER" "$PY" -c 'import socket, sys
socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b"x", (sys.argv[1], int(sys.argv[2])))' "$1" "$2"
}
# send4_from SRC: one UDP datagram SRC -> 192.0.2.10:7002 written whole by
# a process on the translator (IP_HDRINCL: the stack checks no source)
send4_from() {
	in_ns "$XLAT" "$PY" -c 'import socket, struct, sys
sys.dont_write_bytecode = True	# no __pycache__ in the tree
sys.path.insert(0, sys.argv[3])
from icmp_probe import csum
src, dst = socket.inet_aton(sys.argv[1]), socket.inet_aton(sys.argv[2])
udp = struct.pack("!HHHH", 4000, 7002, 9, 0) + b"x"
udp = udp[:6] + struct.pack("!H", csum(src + dst + struct.pack("!HH", 17, 9) + udp) or 0xffff) + udp[8:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, src, dst)
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(ip + udp, (sys.argv[2], 0))' "$1" "$SERVER_PUB" "$ST"
}
unfwd() { stat_get drop_unforwardable || echo "no counter"; }
# since OLD: how much drop_unforwardable rose since it read OLD
since() {
	local v
	v=$(unfwd)
	if [[ $v$1 =~ ^[0-9]+$ ]]; then echo $((v - $1)); else echo "$v"; fi
}

listen "$XLAT" "$TMP/xlat.log" 7000@0.0.0.0 7001@127.0.0.1
listen "$CLIENT" "$TMP/client.log" 7000@0.0.0.0
listen "$SERVER" "$TMP/server.log" 7002@::
wait_listen "$XLAT" udp 7001 && wait_listen "$CLIENT" udp 7000 &&
	wait_listen "$SERVER" udp 7002 || ktap_bail "listeners"

for fp in $XLAT_PATHS; do
	xlat_path "$fp" || ktap_bail "path $fp"
	# the way works: the client gets what the server sends it
	: >"$TMP/client.log"
	send6 "$NSP$CLIENT_IP" 7000
	check "$fp: server-reaches-client" wait_file "$TMP/client.log" "^7000 $SERVER_PUB\$" 5
	: >"$TMP/xlat.log"
	u0=$(unfwd) n=0
	for d in $DSTS; do
		send6 "$NSP$d" 7000 && n=$((n + 1))
	done
	send6 "${NSP}127.0.0.1" 7001 && n=$((n + 1))
	sleep 1
	check_eq "$fp: translator-sockets-get-nothing" "" "$(cat "$TMP/xlat.log")"
	check_eq "$fp: each-counted-drop_unforwardable" "$n" "$(since "$u0")"
	check_eq "$fp: client-got-nothing-more" "7000 $SERVER_PUB" "$(cat "$TMP/client.log")"

	# IPv4 sources: a routable one crosses, the others are dropped
	: >"$TMP/server.log"
	send4_from 198.51.100.99
	check "$fp: routable-source-crosses" wait_file "$TMP/server.log" "^7002 ${NSP}c633:6463\$" 5
	u0=$(unfwd) n=0
	for s in $SRCS; do
		send4_from "$s" && n=$((n + 1))
	done
	sleep 1
	check_eq "$fp: no-such-source-reaches-server" "7002 ${NSP}c633:6463" "$(cat "$TMP/server.log")"
	check_eq "$fp: sources-counted-drop_unforwardable" "$n" "$(since "$u0")"
done
diag "$(xctl stats | grep -v ' 0$' | xargs)"
