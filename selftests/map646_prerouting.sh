#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The prerouting path (the default): packets are translated by the
# device's PRE_ROUTING hooks before the stack routes them, in the standard
# topology (lib.sh), with nftables counters in the translator:
#
#  ┌───────────────────────┐   ┌──────────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                                 │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24               │   │                          │
#  │                       │   │               to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646 192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  │                       │   │ nft: forward counters; prerouting    │   │                          │
#  │                       │   │  drops of UDP port 7 at raw (-300)   │   │                          │
#  │                       │   │  and port 8 at mangle (-150)         │   │                          │
#  └───────────────────────┘   └──────────────────────────────────────┘   └──────────────────────────┘
#
# - traffic both ways is translated while the device transmits nothing
#   and FORWARD sees nothing (with path device, both see every packet);
# - TTL / hop limit 1 expire at the translator (Time Exceeded from it);
# - the hooks sit between raw and mangle: a raw rule still drops, a
#   mangle rule is too late;
# - what the host sends itself still goes through the device;
# - the retired fast-path setting: off is path device, on is refused.
. "$(dirname "$0")/lib.sh"

ktap_plan 19
topo_standard || ktap_bail "topology setup failed"

q in_ns "$XLAT" nft -f - <<-EOF || ktap_bail "nftables"
	table inet m646test {
		counter forwarded {}
		chain at_forward { type filter hook forward priority 0; counter name forwarded; }
		chain at_raw { type filter hook prerouting priority raw; udp dport 7 drop; }
		chain at_mangle { type filter hook prerouting priority mangle; udp dport 8 drop; }
	}
EOF

tx() { ip -n "$XLAT" -s -j link show map646 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'; }
fwd() { in_ns "$XLAT" nft -j list counter inet m646test forwarded | "$PY" -c 'import json,sys; print([o for o in json.load(sys.stdin)["nftables"] if "counter" in o][0]["counter"]["packets"])'; }
path_is() { [ "$(xctl settings show | awk '$1 == "path" { print $2 }')" = "$1" ]; }

check "default-path-prerouting" path_is prerouting

# both directions, 20 echoes each: the hooks translate all of them
tx0=$(tx) f0=$(fwd) x46=$(stat_get xlat_4to6) x64=$(stat_get xlat_6to4)
check_eq "4to6-echoes" 20 "$(ping_recv "$CLIENT" -c 20 -i 0.05 -W 2 "$SERVER_PUB")"
check_eq "6to4-echoes" 20 "$(ping_recv "$SERVER" -6 -c 20 -i 0.05 -W 2 "$CLIENT_IP6")"
check_ge "translated-both-ways" 80 "$(($(stat_get xlat_4to6) - x46 + $(stat_get xlat_6to4) - x64))"
check_eq "device-transmitted-nothing" 0 "$(($(tx) - tx0))"
check_eq "forward-chain-saw-nothing" 0 "$(($(fwd) - f0))"

# TTL / hop limit 1: the stack answers, from the translator, and nothing
# leaves towards the other side
x46=$(stat_get xlat_4to6) x64=$(stat_get xlat_6to4)
in_ns "$CLIENT" ping -n -c 1 -W 2 -t 1 "$SERVER_PUB" >"$TMP/ping.out" 2>&1
check "4to6-ttl1-time-exceeded-from-translator" grep -q "From $CLIENT_GW .*Time to live exceeded" "$TMP/ping.out"
in_ns "$SERVER" ping -6 -n -c 1 -W 2 -t 1 "$CLIENT_IP6" >"$TMP/ping.out" 2>&1
check "6to4-hlim1-time-exceeded-from-translator" grep -q "From $SERVER_GW6 .*Time exceeded" "$TMP/ping.out"
check_eq "expired-not-translated" 0 "$(($(stat_get xlat_4to6) - x46 + $(stat_get xlat_6to4) - x64))"

# priority: after raw, before mangle
udp_send() { in_ns "$CLIENT" socat -u - "UDP4:$SERVER_PUB:$1" <<<"x"; }
x46=$(stat_get xlat_4to6)
udp_send 7
check_eq "raw-rule-drops-before-translation" 0 "$(($(stat_get xlat_4to6) - x46))"
udp_send 8
check_eq "mangle-rule-is-after-translation" 1 "$(($(stat_get xlat_4to6) - x46))"

# the translator's own packets go through the device
tx0=$(tx)
check_eq "own-packets-translated" 3 "$(ping_recv "$XLAT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
check_ge "own-packets-through-device" 3 "$(($(tx) - tx0))"

# path device: the stack routes every packet to the device and forwards it
q xctl settings set path device || ktap_bail "path device"
tx0=$(tx) f0=$(fwd)
check_eq "device-path-echoes" 5 "$(ping_recv "$CLIENT" -c 5 -i 0.05 -W 2 "$SERVER_PUB")"
check_ge "device-path-through-device" 5 "$(($(tx) - tx0))"
q xctl settings set path prerouting || ktap_bail "path prerouting"

# a load switches the path together with the table (the hooks follow)
echoes_via_device() {
	local t0=$(tx)
	[ "$(ping_recv "$CLIENT" -c 3 -i 0.05 -W 2 "$SERVER_PUB")" = 3 ] &&
		[ $(($(tx) - t0)) "$1" 3 ]
}
q xctl save "$TMP/now.conf" || ktap_bail "save"
grep -v '^path ' "$TMP/now.conf" >"$TMP/default.conf"
{ cat "$TMP/default.conf"; echo "path device"; } >"$TMP/device.conf"
check "load-path-device" eval 'xctl load "$TMP/device.conf" && path_is device && echoes_via_device -ge'
check "load-without-path-is-prerouting" eval 'xctl load "$TMP/default.conf" && path_is prerouting && echoes_via_device -lt'

# the retired fast-path setting
xctl settings set fast-path on >"$TMP/out" 2>&1
rc=$?
diag "$(cat "$TMP/out")"
check "fast-path-on-refused-naming-successors" eval "[ $rc != 0 ] && grep -q 'path prerouting' $TMP/out && path_is prerouting"
check "fast-path-off-is-path-device" eval "xctl settings set fast-path off 2>/dev/null && path_is device"
