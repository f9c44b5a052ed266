#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What the translator must not translate: an IPv4 destination without a
# mapping, an IPv6 source without a mapping, an IPv6 destination outside the
# prefix, anything while no prefix is set. Each is dropped (nothing reaches
# the other side) and counted in its drop counter.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │                       │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │       2001:db8:1::99/64  │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │       (not mapped)       │
#  │                       │   │ 2001:db8:99::/64 dev map646    │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 16
topo_standard || ktap_bail "topology setup failed"
steps "ip -n $SERVER addr add 2001:db8:1::99/64 dev eth0 nodad" \
	"ip -n $XLAT -6 route add 2001:db8:99::/64 dev map646" ||
	ktap_bail "setup failed"

# the IPv6 stack may send its own chatter (MLD) into the device, counted as
# IPv6 drops: IPv6-side drop counters are checked for at least N
delta() { stats_delta "$TMP/s0" "$TMP/s1" | awk -v n="$1" '$1 == n { print $2 }'; }
before() { stats_save "$TMP/s0"; }
after() {
	stats_save "$TMP/s1"
	stats_delta "$TMP/s0" "$TMP/s1" | sed 's/^/# delta /'
}
stats_save "$TMP/start"

# IPv4 destination 192.0.2.99: routed to the device, not in the table
before
cap_start "$SERVER" "icmp6 and ip6[40] == 128"
check_eq "v4-unmapped-dst-no-reply" 0 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 1 192.0.2.99)"
cap_stop 1
check_eq "v4-unmapped-dst-nothing-at-server6" "" "$(cat "$TMP/cap.out")"
after
check_eq "drop_no_mapping_v4+3" 3 "$(delta drop_no_mapping_v4)"

# IPv6 source 2001:db8:1::99: not in the table
before
cap_start "$CLIENT" "icmp and icmp[icmptype] == icmp-echo"
check_eq "v6-unmapped-src-no-reply" 0 \
	"$(ping_recv "$SERVER" -6 -c 3 -i 0.2 -W 1 -I 2001:db8:1::99 "$CLIENT_IP6")"
cap_stop 1
check_eq "v6-unmapped-src-nothing-at-client4" "" "$(cat "$TMP/cap.out")"
after
check_ge "drop_no_mapping_v6+3" 3 "$(delta drop_no_mapping_v6)"

# IPv6 destination outside the prefix (routed to the device all the same)
before
check_eq "v6-dst-outside-prefix-no-reply" 0 \
	"$(ping_recv "$SERVER" -6 -c 3 -i 0.2 -W 1 2001:db8:99::7)"
after
check_ge "drop_not_in_prefix+3" 3 "$(delta drop_not_in_prefix)"

# no prefix: nothing is translated, either way
check "prefix-set-none" xctl prefix set none
check_eq "prefix-show-none" none "$(xctl prefix show)"
before
check_eq "v4-no-prefix-no-reply" 0 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 1 "$SERVER_PUB")"
after
check_eq "v4-drop_no_prefix+3" 3 "$(delta drop_no_prefix)"
before
check_eq "v6-no-prefix-no-reply" 0 "$(ping_recv "$SERVER" -6 -c 3 -i 0.2 -W 1 "$CLIENT_IP6")"
after
check_ge "v6-drop_no_prefix+3" 3 "$(delta drop_no_prefix)"

# none of the above was translated
stats_save "$TMP/s1"
check_eq "nothing-translated" "" \
	"$(stats_delta "$TMP/start" "$TMP/s1" | grep '^xlat_')"

# the prefix back: traffic flows again
xctl prefix set "$PREFIX"
check_eq "prefix-restored-traffic-flows" 1 "$(ping_recv "$CLIENT" -c 1 -W 2 "$SERVER_PUB")"
