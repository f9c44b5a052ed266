#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may use the translator, in the standard topology (lib.sh) with the
# well-known prefix 64:ff9b::/96, each refusal counted under its reason:
#
#  ┌────────────────────────┐   ┌───────────────────────────────┐   ┌─────────────────────────┐
#  │ client4                │   │ xlat                          │   │ server6                 │
#  │ 198.51.100.7 (global)  ├───┤ map646 prefix 64:ff9b::/96    ├───┤ 2001:db8:1::10 (mapped) │
#  │ + 10.9.9.9 (private)   │   │ 192.0.2.10 <-> 2001:db8:1::10 │   │ + 2001:db8:1::99        │
#  │ + 192.0.2.11 (spoofed) │   │ 192.0.2.11 <-> 2001:db8:1::11 │   │   (not mapped)          │
#  └────────────────────────┘   └───────────────────────────────┘   └─────────────────────────┘
#
# - RFC 6052 3.1: the well-known prefix never stands for a non-global IPv4
#   address, in either direction (drop_nonglobal);
# - a packet from outside with a mapped IPv4 address as source is spoofed
#   (drop_spoofed); the same address is fine when the translator itself
#   hairpins it (see map646_rfc7915.sh, 7757-hairpin-server-to-server);
# - an IPv6 source that is not a mapped server is refused (drop_no_mapping_v6);
# on every path (XLAT_PATHS).
. "$(dirname "$0")/lib.sh"

set -- $XLAT_PATHS
ktap_plan $((6 * $#))
topo_standard || ktap_bail "topology setup failed"
steps "ip -n $CLIENT addr add 10.9.9.9/32 dev eth0" \
	"ip -n $CLIENT addr add 192.0.2.11/32 dev eth0" \
	"xctl add 192.0.2.11 2001:db8:1::11" \
	"ip -n $XLAT route add 10.9.9.9/32 via $CLIENT_IP" \
	"ip -n $SERVER addr add 2001:db8:1::99/64 dev eth0 nodad" ||
	ktap_bail "extra addresses"

# stat_delta NAME CMD...: how much counter NAME grew while CMD ran
stat_delta() {
	local name=$1 before after
	shift
	before=$(stat_get "$name")
	"$@" >/dev/null 2>&1
	after=$(stat_get "$name")
	echo $((after - before))
}

tx_dropped() {
	ip -n "$XLAT" -s -j link show map646 |
		"$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["dropped"])'
}

for p in $XLAT_PATHS; do
	xlat_path "$p" || ktap_bail "path $p"
	td0=$(tx_dropped)
	check_eq "$p: global-source-translated" 2 \
		"$(ping_recv "$CLIENT" -c 2 -i 0.2 -W 2 "$SERVER_PUB")"
	check_eq "$p: nonglobal-v4-source-dropped" 3 \
		"$(stat_delta drop_nonglobal in_ns "$CLIENT" ping -c 3 -i 0.2 -W 1 -I 10.9.9.9 "$SERVER_PUB")"
	check_eq "$p: nonglobal-v4-destination-dropped" 3 \
		"$(stat_delta drop_nonglobal in_ns "$SERVER" ping -6 -c 3 -i 0.2 -W 1 64:ff9b::10.9.9.9)"
	check_eq "$p: mapped-source-from-outside-dropped" 3 \
		"$(stat_delta drop_spoofed in_ns "$CLIENT" ping -c 3 -i 0.2 -W 1 -I 192.0.2.11 "$SERVER_PUB")"
	check_eq "$p: unmapped-v6-source-dropped" 3 \
		"$(stat_delta drop_no_mapping_v6 in_ns "$SERVER" ping -6 -c 3 -i 0.2 -W 1 -I 2001:db8:1::99 "$CLIENT_IP6")"
	# the device's tx_dropped: the drops of what it was handed; on path
	# prerouting the hooks drop the first three kinds themselves, and only
	# the unmapped source's packets (let through) reach the device
	[ "$p" = device ] && want=12 || want=3
	check_eq "$p: ip-link-tx-dropped-counts-the-device-drops" "$want" $(($(tx_dropped) - td0))
done
