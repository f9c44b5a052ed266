#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Translated packets follow the routing table as it changes, on every
# path (XLAT_PATHS). Path prerouting remembers each mapping's route to its
# server (kmod/route.c): a more specific route, a policy rule, an
# unreachable route or a new route MTU must take effect at once, and a
# link that a remembered route used must be deletable.
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
ktap_plan $((9 * $# + 3))
topo_standard || ktap_bail "topology setup failed"
ns_new SERVERB sb || ktap_bail "namespace"
steps "ip link add eth0 netns $SERVERB type veth peer name to-sb netns $XLAT" \
	"ip -n $XLAT addr add 2001:db8:b::1/64 dev to-sb nodad" \
	"ip -n $XLAT link set to-sb up" \
	"in_ns $SERVERB sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0" \
	"ip -n $SERVERB addr add 2001:db8:b::10/64 dev eth0 nodad" \
	"ip -n $SERVERB addr add $SERVER_IP6/128 dev eth0 nodad" \
	"ip -n $SERVERB link set eth0 up" \
	"ip -n $SERVERB -6 route add default via 2001:db8:b::1" ||
	ktap_bail "server B"
wait_for 10 in_ns "$SERVERB" ping -6 -c 1 -W 1 -q 2001:db8:b::1 >/dev/null ||
	ktap_bail "server B cannot reach the translator"

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
