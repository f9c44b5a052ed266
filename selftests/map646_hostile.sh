#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile packets (hostile.py), 10 000 per family and way in, in the
# standard topology (lib.sh), on every path (XLAT_PATHS):
#
#  - into the device's transmit path (AF_PACKET on map646, so nothing in
#    the IP stack filters them first), which both paths have;
#  - on path prerouting, also from client4 and server6 over their links,
#    into the translator's receive path and its PRE_ROUTING hooks.
#
# nftables counts the packets for the mapped address and for the prefix
# at raw priority (before the hooks) and at mangle (after them). Every
# packet the device was handed, and every packet the hooks took (raw -
# mangle: on path prerouting, the servers' answers to what was translated
# too), is counted once by the translator, translated or dropped under one
# reason.
#
# No WARN/BUG (checked for the whole run by check.sh, and here on the
# spot). Traffic still flows afterwards.
. "$(dirname "$0")/lib.sh"

N=${HOSTILE_COUNT:-10000}
set -- $XLAT_PATHS
ktap_plan $((3 * $# + 2 + 2))
topo_standard || ktap_bail "topology setup failed"
dmesg_mark

q in_ns "$XLAT" nft -f - <<-EOF || ktap_bail "nftables"
	table inet m646test {
		counter before_hooks {}
		counter after_hooks {}
		chain at_raw {
			type filter hook prerouting priority raw;
			ip daddr $SERVER_PUB counter name before_hooks
			ip6 daddr $PREFIX counter name before_hooks
		}
		chain at_mangle {
			type filter hook prerouting priority mangle;
			ip daddr $SERVER_PUB counter name after_hooks
			ip6 daddr $PREFIX counter name after_hooks
		}
	}
EOF

# packets handed to the device: sent (translated) or dropped
tx_packets() {
	ip -n "$XLAT" -s -j link show map646 |
		"$PY" -c 'import json,sys; tx = json.load(sys.stdin)[0]["stats64"]["tx"]; print(tx["packets"] + tx["dropped"])'
}
# every packet is counted once: translated, or dropped under one reason
counted() {
	xctl stats | awk '$1 ~ /^(xlat_|drop_)/ && $1 != "drop_rx" { s += $2 } END { print s + 0 }'
}
nft_count() {
	in_ns "$XLAT" nft -j list counter inet m646test "$1" |
		"$PY" -c 'import json,sys; print([o for o in json.load(sys.stdin)["nftables"] if "counter" in o][0]["counter"]["packets"])'
}
mac_of() { ip -n "$1" -j link show "$2" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])'; }

# snap: the counters (device handed, translator counted, hooks reached and
# passed); delta: what the last snap moved, as "HANDED TAKEN COUNTED"
snap() { SNAP="$(tx_packets) $(counted) $(nft_count before_hooks) $(nft_count after_hooks)"; }
delta() {
	local a b
	read -r -a a <<<"$SNAP"
	snap
	read -r -a b <<<"$SNAP"
	diag "handed to the device $((b[0] - a[0])), reached the hooks $((b[2] - a[2])), taken by them $((b[2] - a[2] - b[3] + a[3])), counted $((b[1] - a[1]))" >&2
	echo "$((b[0] - a[0])) $((b[2] - a[2] - b[3] + a[3])) $((b[1] - a[1]))"
}

# into the transmit path
for p in $XLAT_PATHS; do
	xlat_path "$p" || ktap_bail "path $p"
	snap
	out=$(in_ns "$XLAT" "$PY" "$ST/hostile.py" map646 "$N")
	diag "$p, device: $out"
	read -r handed taken counted <<<"$(delta)"
	check_ge "$p: device: most-packets-handed-to-device" $((2 * N * 8 / 10)) "$handed"
	check_eq "$p: device: every-packet-counted-once" "$((handed + taken))" "$counted"
	check_eq "$p: device: still-translating" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
done

# into the receive path, on path prerouting
xlat_path prerouting || ktap_bail "path prerouting"
snap
out4=$(in_ns "$CLIENT" "$PY" "$ST/hostile.py" eth0 "$N" 4 "$(mac_of "$XLAT" to-c4)")
out6=$(in_ns "$SERVER" "$PY" "$ST/hostile.py" eth0 "$N" 6 "$(mac_of "$XLAT" to-s6)")
diag "prerouting, links: $out4, $out6"
read -r handed taken counted <<<"$(delta)"
# the receive path drops what is malformed in its eyes before the hooks
check_ge "prerouting: links: hooks-took-a-quarter" $((2 * N / 4)) "$taken"
check_eq "prerouting: links: every-packet-counted-once" "$((handed + taken))" "$counted"

xctl stats | grep -v ' 0$' | sed 's/^/# /'
check "kernel-log-clean" dmesg_clean
check_eq "still-translating" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
