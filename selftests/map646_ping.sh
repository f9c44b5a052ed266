#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP echo through the translator, both directions.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │                       │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │                          │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
#
#  client4: ping 192.0.2.10            → server6 answers 64:ff9b::198.51.100.7
#  server6: ping 64:ff9b::198.51.100.7 → client4 answers 192.0.2.10
. "$(dirname "$0")/lib.sh"

ktap_plan 6
topo_standard || ktap_bail "topology setup failed"

stats_save "$TMP/s0"
check_eq "client4-ping-v4-mapped" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
check_eq "server6-ping-v6-client" 3 "$(ping_recv "$SERVER" -6 -c 3 -i 0.2 -W 2 "$CLIENT_IP6")"
# the same client, hex spelling
check_eq "server6-ping-hex-form" 1 "$(ping_recv "$SERVER" -6 -c 1 -W 2 64:ff9b::c633:6407)"
stats_save "$TMP/s1"
stats_delta "$TMP/s0" "$TMP/s1" >"$TMP/d"
sed 's/^/# delta /' "$TMP/d"
# 3 + 1 requests from server6 and 3 from client4, each answered once
check_eq "xlat_4to6-grew" 7 "$(awk '$1 == "xlat_4to6" { print $2 }' "$TMP/d")"
check_eq "xlat_6to4-grew" 7 "$(awk '$1 == "xlat_6to4" { print $2 }' "$TMP/d")"
# (the stack may send its own IPv6 chatter, e.g. MLD, into the device: those
# drops are not this test's business)
check_eq "no-unexpected-drops" "" \
	"$(grep -E '^drop_(no_mapping_v4|no_prefix|malformed|nomem|rx|udp_zero_csum) ' "$TMP/d")"
