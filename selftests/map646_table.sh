#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mapping table: `show` lists exactly what was added; `del` (by either
# address) stops the traffic of that mapping and `add` brings it back;
# `flush` empties the table.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │                       │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │                          │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  │                       │   │  + the mappings added below    │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 17
topo_standard || ktap_bail "topology setup failed"

sorted_show() { xctl show | sort; }
reach() { ping_recv "$CLIENT" -c 1 -W 1 "$SERVER_PUB"; }

check_eq "show-initial" "$SERVER_PUB $SERVER_IP6" "$(xctl show)"
check_eq "initial-traffic" 1 "$(reach)"

# several mappings, IPv6 written as the tool prints them (RFC 5952)
MAPS="192.0.2.10 2001:db8:1::10
192.0.2.11 2001:db8:1::11
192.0.2.12 2001:db8:1::a:12
192.0.2.255 2001:db8:1:2:3:4:5:6
198.18.0.1 2001:db8:ffff::
203.0.113.77 2001:db8::cb00:714d
10.1.2.3 fd00::1"
err=0
while read -r v4 v6; do
	[ "$v4" = "$SERVER_PUB" ] && continue
	xctl add "$v4" "$v6" || err=1
done <<<"$MAPS"
check_eq "add-several" 0 "$err"
check_eq "show-lists-exactly-the-added" "$(sort <<<"$MAPS")" "$(sorted_show)"
# unchanged by reading twice, and by the traffic
reach >/dev/null
check_eq "show-stable" "$(sort <<<"$MAPS")" "$(sorted_show)"

# del by IPv4
check "del-by-ipv4" xctl del "$SERVER_PUB"
check_eq "show-without-deleted" "$(grep -v "^$SERVER_PUB " <<<"$MAPS" | sort)" "$(sorted_show)"
check_eq "no-traffic-after-del" 0 "$(reach)"
check "add-back" xctl add "$SERVER_PUB" "$SERVER_IP6"
check_eq "traffic-after-add" 1 "$(reach)"

# del by IPv6
check "del-by-ipv6" xctl del "$SERVER_IP6"
check_eq "no-traffic-after-del-by-ipv6" 0 "$(reach)"
xctl add "$SERVER_PUB" "$SERVER_IP6"
check_eq "show-after-re-add" "$(sort <<<"$MAPS")" "$(sorted_show)"

# flush
check "flush" xctl flush
check_eq "show-empty-after-flush" "" "$(xctl show)"
check_eq "no-traffic-after-flush" 0 "$(reach)"
xctl add "$SERVER_PUB" "$SERVER_IP6"
check_eq "traffic-after-flush-and-add" 1 "$(reach)"
