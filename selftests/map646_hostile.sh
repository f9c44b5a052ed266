#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile packets, straight into the device's transmit path (hostile.py:
# AF_PACKET on map646, so nothing in the IP stack filters them first), in
# the standard topology (lib.sh). 10 000 per family. Every packet must be
# translated or dropped under a reason: the counters add up to what the
# device was handed. No WARN/BUG (checked for the whole run by check.sh,
# and here on the spot). Traffic still flows afterwards.
. "$(dirname "$0")/lib.sh"

N=${HOSTILE_COUNT:-10000}
ktap_plan 4
topo_standard || ktap_bail "topology setup failed"
dmesg_mark

# packets handed to the device: sent (translated) or dropped
tx_packets() {
	ip -n "$XLAT" -s -j link show map646 |
		"$PY" -c 'import json,sys; tx = json.load(sys.stdin)[0]["stats64"]["tx"]; print(tx["packets"] + tx["dropped"])'
}
# every xmit is counted once: translated, or dropped under one reason
counted() {
	xctl stats | awk '$1 ~ /^(xlat_|drop_)/ && $1 != "drop_rx" { s += $2 } END { print s + 0 }'
}

tx0=$(tx_packets) c0=$(counted)
out=$(in_ns "$XLAT" "$PY" "$ST/hostile.py" map646 "$N")
diag "$out"
read -r _ s4 _ s6 <<<"$out"
tx1=$(tx_packets) c1=$(counted)
check_ge "most-packets-handed-to-device" $((2 * N * 8 / 10)) "$((tx1 - tx0))"
check_eq "every-packet-counted-once" "$((tx1 - tx0))" "$((c1 - c0))"
xctl stats | grep -v ' 0$' | sed 's/^/# /'
check "kernel-log-clean" dmesg_clean
check_eq "still-translating" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
diag "handed $((tx1 - tx0)) of $((s4 + s6)) written"
