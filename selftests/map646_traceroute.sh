#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Traceroute from an IPv4 client through a two-hop IPv6 backend: every hop
# answers. The IPv6 router in the middle has no mapping; its Time Exceeded
# comes back from the RFC 7600 dummy address 192.0.0.8, or from the RFC
# 6791 pool when one is set. Both transmit paths.
#
#  ┌──────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐   ┌──────────────────────┐
#  │ client4              │   │ xlat                           │   │ r6 (IPv6 router, no      │   │ server6              │
#  │ eth0 198.51.100.7/24─┼───┼─ to-c4 198.51.100.1/24         │   │     mapping)             │   │                      │
#  │ default via .1       │   │  to-r6 2001:db8:0:1::1/64 ─────┼───┼─ eth0 2001:db8:0:1::2/64 │   │                      │
#  │                      │   │ map646: 64:ff9b::/96,          │   │  eth1 2001:db8:1::1/64 ──┼───┼─ eth0 2001:db8:1::10 │
#  │                      │   │  192.0.2.10 <-> 2001:db8:1::10 │   │ 64:ff9b::/96 via xlat    │   │ default via r6       │
#  │                      │   │ 2001:db8:1::/64 via r6         │   │                          │   │                      │
#  └──────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘   └──────────────────────┘
. "$(dirname "$0")/lib.sh"

set -- $XLAT_PATHS
ktap_plan $(($# + 2))
ns_new CLIENT c4 && ns_new XLAT xl && ns_new R6 r6 && ns_new SERVER s6 ||
	ktap_bail "namespaces"
for ns in $XLAT $R6 $SERVER; do
	q in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.forwarding=1 ||
		ktap_bail "sysctl"
done
steps "in_ns $CLIENT sysctl -qw net.ipv6.conf.all.disable_ipv6=1" \
	"in_ns $XLAT sysctl -qw net.ipv4.ip_forward=1" \
	"ip link add eth0 netns $CLIENT type veth peer name to-c4 netns $XLAT" \
	"ip link add eth0 netns $R6 type veth peer name to-r6 netns $XLAT" \
	"ip link add eth0 netns $SERVER type veth peer name eth1 netns $R6" \
	"ip -n $CLIENT addr add $CLIENT_IP/24 dev eth0" \
	"ip -n $CLIENT link set eth0 up" \
	"ip -n $CLIENT route add default via $CLIENT_GW" \
	"ip -n $XLAT addr add $CLIENT_GW/24 dev to-c4" \
	"ip -n $XLAT addr add 2001:db8:0:1::1/64 dev to-r6 nodad" \
	"ip -n $XLAT link set to-c4 up" \
	"ip -n $XLAT link set to-r6 up" \
	"ip -n $XLAT -6 route add 2001:db8:1::/64 via 2001:db8:0:1::2" \
	"ip -n $R6 addr add 2001:db8:0:1::2/64 dev eth0 nodad" \
	"ip -n $R6 addr add $SERVER_GW6/64 dev eth1 nodad" \
	"ip -n $R6 link set eth0 up" \
	"ip -n $R6 link set eth1 up" \
	"ip -n $R6 -6 route add $PREFIX via 2001:db8:0:1::1" \
	"ip -n $SERVER addr add $SERVER_IP6/64 dev eth0 nodad" \
	"ip -n $SERVER link set eth0 up" \
	"ip -n $SERVER -6 route add default via $SERVER_GW6" \
	"xlat_std $XLAT" || ktap_bail "topology"
wait_for 10 in_ns "$CLIENT" ping -c 1 -W 1 -q "$SERVER_PUB" >/dev/null ||
	ktap_bail "client4 cannot reach server6"

# hops: who answers probes of TTL 1, 2, 3 (ping: "From ADDR ... Time to
# live exceeded", or the echo reply)
hops() {
	local ttl out who list=""
	for ttl in 1 2 3; do
		out=$(in_ns "$CLIENT" ping -n -c 1 -W 2 -t $ttl "$SERVER_PUB" 2>&1)
		if [[ $out =~ From\ ([0-9.]+).*exceeded ]]; then
			who=${BASH_REMATCH[1]}
		elif [[ $out =~ bytes\ from\ ([0-9.]+) ]]; then
			who=${BASH_REMATCH[1]}
		else
			who="*"
		fi
		list="$list $who"
	done
	echo "${list# }"
}

for fp in $XLAT_PATHS; do
	xlat_path "$fp" || ktap_bail "path $fp"
	check_eq "$fp: hops-with-dummy-192.0.0.8" \
		"$CLIENT_GW 192.0.0.8 $SERVER_PUB" "$(hops)"
done
q xctl settings set pool4 203.0.113.8/32
check_eq "pool4-overrides-the-dummy" "$CLIENT_GW 203.0.113.8 $SERVER_PUB" "$(hops)"
q xctl settings set pool4 none
check_eq "pool4-none-dummy-again" "$CLIENT_GW 192.0.0.8 $SERVER_PUB" "$(hops)"
