#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Translated packets follow the routing table as it changes, on every
# path (XLAT_PATHS). Path prerouting remembers each mapping's route to its
# server (kmod/route.c): a more specific route, a policy rule, an
# unreachable route or a new route MTU must take effect at once, and a
# link that a remembered route used must be deletable. A route with
# several nexthops (ECMP) spreads the clients of one server over them.
#
#  ┌──────────────────┐   ┌─────────────────────────────────┐   ┌─────────────────────────┐
#  │ client4          │   │ xlat                            │   │ server6 (A)             │
#  │ 198.51.100.7/24 ─┼───┼─ to-c4         to-s6 ───────────┼───┼─ 2001:db8:1::10/64      │
#  │                  │   │                                 │   └─────────────────────────┘
#  │                  │   │ map646 192.0.2.10 <->           │   ┌─────────────────────────┐
#  │                  │   │        2001:db8:1::10           │   │ serverB                 │
#  │                  │   │ to-sb 2001:db8:b::1/64 ─────────┼───┼─ 2001:db8:b::10/64      │
#  └──────────────────┘   │ (route 2001:db8:1::10/128 via   │   │  + 2001:db8:1::10/128   │
#                         │  2001:db8:b::10: to B)          │   │  (the same address)     │
#                         └─────────────────────────────────┘   └─────────────────────────┘
#
# Which server answered is told by its ICMPv6 echo counter (Icmp6InEchos).
. "$(dirname "$0")/lib.sh"

set -- $XLAT_PATHS
ktap_plan $((10 * $# + 3))
topo_standard || ktap_bail "topology setup failed"
topo_server_b || ktap_bail "server B"

echos() { in_ns "$1" awk '$1 == "Icmp6InEchos" { print $2 }' /proc/net/snmp6; }
# answered_by: which server the client's next 3 echoes reach ("A", "B",
# "none"; "A+B" or a count short of 3 is a failure the name shows)
answered_by() {
	local a b got who=""
	a=$(echos "$SERVER") b=$(echos "$SERVERB")
	got=$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 1 "$SERVER_PUB")
	a=$(($(echos "$SERVER") - a)) b=$(($(echos "$SERVERB") - b))
	[ $a -gt 0 ] && who=A
	[ $b -gt 0 ] && who=${who:+$who+}B
	[ -n "$who" ] || who=none
	[ "$got" = 3 ] || [ "$who" = none ] || who="$who($got/3 answered, A $a, B $b)"
	echo "$who"
}
# too_big SIZE: the MTU the translator's Fragmentation Needed names for a
# DF ping of SIZE bytes of data, or "fits" when the echo is answered
too_big() {
	local out
	in_ns "$CLIENT" ip route flush cache
	out=$(in_ns "$CLIENT" ping -n -c 2 -i 0.3 -W 1 -M do -s "$1" "$SERVER_PUB" 2>&1)
	if [[ $out =~ mtu\ =\ ([0-9]+) ]] || [[ $out =~ mtu=([0-9]+) ]]; then
		echo "${BASH_REMATCH[1]}"
	elif [[ $out =~ \ 2\ received ]]; then
		echo fits
	else
		echo "neither: $(tail -n 2 <<<"$out" | xargs)"
	fi
}

# ECMP: two nexthops to the server's address (A and B both hold it); 16
# clients, each hashed on its own (translated) source, use both. First:
# once a namespace has had a policy rule, nothing is remembered there.
for i in $(seq 20 35); do
	q ip -n "$CLIENT" addr add 198.51.100.$i/24 dev eth0 || ktap_bail "client addresses"
done
q ip -n "$XLAT" -6 route add "$SERVER_IP6/128" nexthop via "$SERVER_IP6" dev to-s6 \
	nexthop via 2001:db8:b::10 dev to-sb || ktap_bail "multipath route"
for fp in $XLAT_PATHS; do
	xlat_path "$fp" || ktap_bail "path $fp"
	a=$(echos "$SERVER") b=$(echos "$SERVERB")
	for i in $(seq 20 35); do
		ping_recv "$CLIENT" -c 1 -W 1 -I 198.51.100.$i "$SERVER_PUB" >/dev/null
	done
	a=$(($(echos "$SERVER") - a)) b=$(($(echos "$SERVERB") - b))
	diag "path $fp: 16 clients, $a to A, $b to B"
	check_eq "$fp: ecmp-clients-spread-over-both" "both 16" \
		"$([ $a -gt 0 ] && [ $b -gt 0 ] && echo both || echo one) $((a + b))"
done
q ip -n "$XLAT" -6 route del "$SERVER_IP6/128"

for fp in $XLAT_PATHS; do
	xlat_path "$fp" || ktap_bail "path $fp"
	check_eq "$fp: to-A" A "$(answered_by)"
	q ip -n "$XLAT" -6 route add "$SERVER_IP6/128" via 2001:db8:b::10 dev to-sb
	check_eq "$fp: more-specific-route-to-B" B "$(answered_by)"
	q ip -n "$XLAT" -6 route del "$SERVER_IP6/128"
	check_eq "$fp: route-deleted-back-to-A" A "$(answered_by)"
	q ip -n "$XLAT" -6 route add "$SERVER_IP6/128" via 2001:db8:b::10 dev to-sb table 100
	q ip -n "$XLAT" -6 rule add from 64:ff9b::/96 lookup 100 priority 100
	check_eq "$fp: policy-rule-to-B" B "$(answered_by)"
	q ip -n "$XLAT" -6 rule del priority 100
	q ip -n "$XLAT" -6 route del "$SERVER_IP6/128" table 100
	check_eq "$fp: rule-deleted-back-to-A" A "$(answered_by)"
	q ip -n "$XLAT" -6 route add unreachable "$SERVER_IP6/128"
	check_eq "$fp: unreachable-route" none "$(answered_by)"
	q ip -n "$XLAT" -6 route del unreachable "$SERVER_IP6/128"
	# 1400 bytes of echo data: 1428 as IPv4, 1448 as IPv6
	check_eq "$fp: fits-mtu-1500" fits "$(too_big 1400)"
	q ip -n "$XLAT" -6 route add "$SERVER_IP6/128" dev to-s6 mtu 1400
	check_eq "$fp: route-mtu-1400-frag-needed-1380" 1380 "$(too_big 1400)"
	q ip -n "$XLAT" -6 route del "$SERVER_IP6/128"
	check_eq "$fp: route-mtu-gone-fits-again" fits "$(too_big 1400)"
done

# a remembered route through a link that goes away must not pin the link
# (the kernel says "waiting for to-sb to become free" after 10 s if it did)
dmesg_mark
xlat_path prerouting
q ip -n "$XLAT" -6 route add "$SERVER_IP6/128" via 2001:db8:b::10 dev to-sb
check_eq "remembered-route-via-B" B "$(answered_by)"
ns_del "$SERVERB"
check "link-deleted-back-to-A" wait_for 10 eval '[ "$(answered_by)" = A ]'
sleep 11
check "no-link-pinned-kernel-log-clean" eval \
	"! dmesg_new | grep -E 'waiting for .* to become free|$KERNEL_BAD'"
