#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prefix mappings (RFC 7757): a block of public IPv4 addresses mapped to a
# block of server addresses, address N to address N. UDP from the IPv4
# client to the first, a middle and the last address of a block, each
# received by a socket bound to its own IPv6 address only, answered back
# from the same IPv4 address; the longest match wins (a nested block, a
# single mapping inside a block); a server hairpins from one block to
# another; all of it on every path (on path prerouting the hooks take the
# blocks, the device transmits nothing of it); refusals, per-block counters, JSON; the whole state with blocks
# and map66 mappings saved and loaded back (one swap), and a file the
# kernel refuses changing nothing.
#
#  ┌───────────────────────┐   ┌─────────────────────────────────────────────┐   ┌────────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                                        │   │ server6                    │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24                      │   │                            │
#  │                       │   │         to-s6 2001:db8:1::1/64 ─────────────┼───┼─ eth0 2001:db8:1::10/64    │
#  └───────────────────────┘   │ map646: prefix 64:ff9b::/96                 │   │  + ::100 ::108 ::10f ::101 │
#                              │  192.0.2.16/28 <-> 2001:db8:1::100/124   A  │   │    ::202 ::301 ::77 ::105  │
#                              │  192.0.2.32/28 <-> 2001:db8:1::200/124   B  │   │    ::10a                   │
#                              │  192.0.2.20/30 <-> 2001:db8:1::300/126  (in A)  └────────────────────────────┘
#                              │  192.0.2.26    <-> 2001:db8:1::77       (in A)
#                              └─────────────────────────────────────────────┘
. "$(dirname "$0")/lib.sh"

PROBE="$ST/sockprobe.py"

set -- $XLAT_PATHS
hooks=0
[[ " $XLAT_PATHS " == *" prerouting "* ]] && hooks=1
ktap_plan $((25 + 7 * $# + hooks))
dmesg_mark
topo_standard || ktap_bail "topology setup failed"
for a in 100 108 10f 101 202 301 77 105 10a; do
	q ip -n "$SERVER" addr add 2001:db8:1::$a/64 dev eth0 nodad || ktap_bail "addresses"
done

check add-block-a xctl mapping add 192.0.2.16/28 2001:db8:1::100/124
check add-block-b xctl mapping add 192.0.2.32/28 2001:db8:1::200/124
check add-nested-block xctl mapping add 192.0.2.20/30 2001:db8:1::300/126
check add-single-in-block xctl mapping add 192.0.2.26 2001:db8:1::77

PORT=7300
# reach NAME DEST BOUND: a datagram from the client to DEST lands on the
# socket bound to BOUND only, comes from the client, and its echo comes
# back from DEST
reach() {
	local name=$1 dest=$2 bound=$3 srv out
	PORT=$((PORT + 1))
	bg "$SERVER" "$PY" "$PROBE" udp-server "$bound" $PORT 1 >"$TMP/$name.peer"
	srv=$BG_PID
	wait_listen "$SERVER" udp $PORT
	out=$(in_ns "$CLIENT" "$PY" "$PROBE" udp-client "$dest" $PORT 101)
	bg_wait $srv 5 || bg_kill $srv
	check_eq "$name" "101 ok from 64:ff9b::c633:6407" "$out from $(cat "$TMP/$name.peer")"
}

tx() { ip -n "$XLAT" -s -j link show map646 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["packets"])'; }

# on every path; on path prerouting (the default) the hooks take blocks
# as they take single mappings: the device transmits none of it
for p in $XLAT_PATHS; do
	xlat_path "$p" || ktap_bail "path $p"
	sfx=-$p
	[ "$p" = prerouting ] && sfx=
	tx0=$(tx)
	reach first-address$sfx 192.0.2.16 2001:db8:1::100
	reach middle-address$sfx 192.0.2.24 2001:db8:1::108
	reach last-address$sfx 192.0.2.31 2001:db8:1::10f
	reach longest-match-nested-block$sfx 192.0.2.21 2001:db8:1::301
	reach longest-match-single$sfx 192.0.2.26 2001:db8:1::77
	reach single-mapping-unchanged$sfx "$SERVER_PUB" "$SERVER_IP6"
	[ "$p" = prerouting ] && check_eq blocks-taken-by-the-hooks 0 "$(($(tx) - tx0))"

	# hairpin: 2001:db8:1::101 (192.0.2.17 in A) to 192.0.2.34 (::202 in B)
	PORT=$((PORT + 1))
	bg "$SERVER" "$PY" "$PROBE" udp-server 2001:db8:1::202 $PORT 1 >"$TMP/hairpin.peer"
	SRV=$BG_PID
	wait_listen "$SERVER" udp $PORT
	out=$(in_ns "$SERVER" env SRC=2001:db8:1::101 "$PY" "$PROBE" udp-client 64:ff9b::192.0.2.34 $PORT 99)
	bg_wait $SRV 5 || bg_kill $SRV
	check_eq hairpin-between-blocks$sfx "99 ok from 64:ff9b::c000:211" "$out from $(cat "$TMP/hairpin.peer")"
done
xlat_path prerouting || ktap_bail "path prerouting"

refused() {	# expected message, command...: refused with that message
	local msg=$1 out
	shift
	out=$(xctl "$@" 2>&1) && { diag "accepted: $*"; return 1; }
	grep -qF -- "$msg" <<<"$out" || { diag "$out"; return 1; }
}
check refuse-same-ipv4-block refused "IPv4 block is already mapped" \
	mapping add 192.0.2.16/28 2001:db8:1::400/124
check refuse-same-ipv6-block refused "IPv6 block is already mapped" \
	mapping add 192.0.2.48/28 2001:db8:1::200/124
check refuse-shorter-ipv6-suffix refused "is larger than the IPv6 block" \
	mapping add 192.0.2.48/28 2001:db8:1::400/125
check refuse-untranslatable-block refused "block holds addresses that cannot be translated" \
	mapping add 127.0.0.0/28 2001:db8:1::400/124

json=$(xctl -s -j mapping show)
diag "$json"
check counters-per-block "$PY" -c "import json, sys
m = {e['ipv4']: e for e in json.loads(sys.argv[1])}
a, n, paths = m['192.0.2.16/28']['stats'], m['192.0.2.20/30']['stats'], int(sys.argv[2])
sys.exit(not (a['packets_4to6'] == 4 * paths and a['packets_6to4'] == 4 * paths and
              n['packets_4to6'] == paths and m['192.0.2.32/28']['ipv6'] == '2001:db8:1::200/124'))" "$json" $#

check del-nested-block xctl mapping del 192.0.2.20/30
reach outer-block-after-del 192.0.2.21 2001:db8:1::105

# the tool refuses what it can tell is wrong before asking the kernel
xctl mapping add 192.0.2.48/28 2001:db8:1::1 2>/dev/null
check_eq block-to-one-address-usage 2 $?
xctl map66 add ::1 2001:db8:1::10 2>/dev/null
check_eq map66-loopback-refused 1 $?

# the whole state, blocks and map66 mappings too: saved, flushed, loaded
# in one swap, saved again: the same file
check add-map66 xctl map66 add 2001:db8:ff::10 2001:db8:1::10
check save-file xctl save "$TMP/saved.conf"
check_eq save-writes-blocks 2 "$(grep -cE '^map-static 192.0.2.(16/28 2001:db8:1::100/124|32/28 2001:db8:1::200/124)$' "$TMP/saved.conf")"
check_eq save-writes-map66 "map66-static 2001:db8:ff::10 2001:db8:1::10" "$(grep '^map66-static' "$TMP/saved.conf")"
check flush-all xctl mapping flush
check_eq flush-takes-map66 "" "$(xctl map66 show)"
check config-both-kinds-reload xctl load "$TMP/saved.conf"
xctl save "$TMP/again.conf"
check save-load-round-trip diff "$TMP/saved.conf" "$TMP/again.conf"

# a file only the kernel can refuse (a map66 global address that is the
# IPv6 side of a 4<->6 mapping: config check compares each kind with
# itself), with a changed setting: the refused line is named, and neither
# the table nor the settings change
before=$(xctl settings show)
sed 's/^tos copy$/tos zero/' "$TMP/saved.conf" >"$TMP/refused.conf"
echo "map66-static 2001:db8:1::77 2001:db8:1::11" >>"$TMP/refused.conf"
out=$(xctl load "$TMP/refused.conf" 2>&1)
check_eq load-refused-exit 1 $?
diag "$out"
check load-refused-names-line grep -qF "refused.conf:$(wc -l <"$TMP/refused.conf"): the mapping refused" <<<"$out"
check_eq load-refused-changes-nothing "$before" "$(xctl settings show)"
check kernel-log-clean dmesg_clean
