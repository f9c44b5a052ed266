#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP through the translator: random datagrams of several sizes (1 to 1400
# bytes) echoed back, opened from either side; each echo must equal what was
# sent and come from the expected address.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │                       │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │                          │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
#
#  client4 → 192.0.2.10:7001                (echo server in server6)
#  server6 → [64:ff9b::198.51.100.7]:7002   (echo server in client4)
. "$(dirname "$0")/lib.sh"

SIZES="1 64 200 512 1000 1280 1400"

ktap_plan 6
topo_standard || ktap_bail "topology setup failed"

# echo server: ADDR PORT COUNT; prints the address each datagram came from
# client: ADDR PORT SIZE...; prints "SIZE ok|lost|bad" per datagram
UDP_PY='
import ipaddress, os, socket, sys
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
if mode == "server":
    s.bind((addr, port))
    s.settimeout(30)
    for _ in range(int(sys.argv[4])):
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)
        print(peer[0], flush=True)
else:
    s.settimeout(2)
    for size in map(int, sys.argv[4:]):
        data = os.urandom(size)
        s.sendto(data, (addr, port))
        try:
            back, peer = s.recvfrom(65535)
            ok = back == data and ipaddress.ip_address(peer[0]) == ipaddress.ip_address(addr)
            print(size, "ok" if ok else "bad from %s, %d bytes" % (peer[0], len(back)))
        except socket.timeout:
            print(size, "lost")
'

# udp_echo NAME SERVER_NS SERVER_ADDR CLIENT_NS DEST_ADDR PORT EXPECTED_PEER
udp_echo() {
	local name=$1 sns=$2 saddr=$3 cns=$4 dest=$5 port=$6 peer=$7 n srv got
	n=$(wc -w <<<"$SIZES")
	bg "$sns" "$PY" -c "$UDP_PY" server "$saddr" "$port" "$n" >"$TMP/$name.peers"
	srv=$BG_PID
	if ! wait_listen "$sns" udp "$port"; then
		ktap_fail "$name" "echo server not bound"
		ktap_fail "$name-peer-is-$peer" "echo server not bound"
		return
	fi
	in_ns "$cns" "$PY" -c "$UDP_PY" client "$dest" "$port" $SIZES >"$TMP/$name.out" 2>&1
	sed 's/^/# /' "$TMP/$name.out"
	got=$(awk '$2 == "ok" { print $1 }' "$TMP/$name.out" | xargs)
	check_eq "$name" "$SIZES" "$got"
	bg_wait $srv 5 || bg_kill $srv
	got=$(sort -u "$TMP/$name.peers" | xargs)
	check_eq "$name-peer-is-$peer" "$peer" "$got"
}

stats_save "$TMP/s0"
udp_echo udp-client4-to-server6 "$SERVER" "$SERVER_IP6" "$CLIENT" "$SERVER_PUB" 7001 64:ff9b::c633:6407
udp_echo udp-server6-to-client4 "$CLIENT" "$CLIENT_IP" "$SERVER" "$CLIENT_IP6" 7002 "$SERVER_PUB"
stats_save "$TMP/s1"
stats_delta "$TMP/s0" "$TMP/s1" >"$TMP/d"
sed 's/^/# delta /' "$TMP/d"
n=$(wc -w <<<"$SIZES")
check_eq "xlat_4to6+$((2 * n))" $((2 * n)) "$(awk '$1 == "xlat_4to6" { print $2 }' "$TMP/d")"
check_eq "xlat_6to4+$((2 * n))" $((2 * n)) "$(awk '$1 == "xlat_6to4" { print $2 }' "$TMP/d")"
