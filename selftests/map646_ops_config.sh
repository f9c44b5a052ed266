#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Operating map646 from config files: load, sync, save, batch, JSON output,
# per-mapping counters, config errors (file:line, nothing applied), the
# short forms of map646ctl 0.1, a 100 000-mapping load, and the table
# change notifications (map646ctl monitor).
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24          │   │                          │
#  │                       │   │          to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646, table from t.conf:     │   │ (2001:db8:1::11 absent)  │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  │                       │   │  192.0.2.11 <-> 2001:db8:1::11 │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 28
topo_standard || ktap_bail "topology setup failed"

# json EXPR: evaluate a Python expression on the JSON document on stdin (d)
json() { "$PY" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
# mstat N KEY...: the "stats" KEYs of mapping 192.0.2.N, from -j -s
mstat() {
	local n=$1
	shift
	xctl -j -s mapping show | json "' '.join(str({m['ipv4']: m['stats'] for m in d}['192.0.2.$n'][k]) for k in '$*'.split())"
}

cat >"$TMP/t.conf" <<'CONF'
# the original map646.conf syntax, with comments
mapping-prefix 64:ff9b::
map-static 192.0.2.10 2001:db8:1::10	# the web server
include t-more.conf
route4 192.0.2.0/24
CONF
echo "map-static 192.0.2.11 2001:db8:1::11" >"$TMP/t-more.conf"

check "load" xctl load "$TMP/t.conf"
check_eq "load-table" "192.0.2.10 2001:db8:1::10
192.0.2.11 2001:db8:1::11" "$(xctl mapping show | sort)"
check_eq "routes-from-config" "-4 192.0.2.0/24
-6 64:ff9b::/96" "$(xctl config routes "$TMP/t.conf")"
check_eq "json-settings" "map646 2 64:ff9b::/96" \
	"$(xctl -j settings show | json "d['ifname'], d['mappings'], d['prefix']" | tr -d "(),'")"

# counters, per mapping and direction: 5 echoes to .10 (answered), 3 to .11
# (its server does not exist and the translator discards what is routed
# there: nothing comes back, not even a neighbour-discovery error, which
# the translator would send from 192.0.0.8 seconds later)
q ip -n "$XLAT" -6 route add blackhole 2001:db8:1::11/128
check "stats-reset" xctl stats reset
check_eq "ping-after-load" 5 "$(ping_recv "$CLIENT" -c 5 -i 0.2 -W 2 "$SERVER_PUB")"
# before .11's echoes: the translator's own Address Unreachable errors
# about them come back translated (from 192.0.0.8) whenever neighbour
# discovery gives up, often after the pings
check_eq "device-json-stats" "5 5" \
	"$(xctl -j stats show | json "d['xlat_4to6'], d['xlat_6to4']" | tr -d "(),")"
ping_recv "$CLIENT" -c 3 -i 0.2 -W 1 192.0.2.11 >/dev/null
check_eq "m10-packets" "5 5" "$(mstat 10 packets_4to6 packets_6to4)"
# ping's 56-byte payload: 84-byte IPv4 and 104-byte IPv6 packets
check_eq "m10-bytes" "420 520" "$(mstat 10 bytes_4to6 bytes_6to4)"
check_eq "m11-packets" "3 0 0" \
	"$(mstat 11 packets_4to6 packets_6to4 bytes_6to4)"
idle=$(mstat 10 idle_ms)
if [[ $idle =~ ^[0-9]+$ ]] && [ "$idle" -lt 60000 ]; then ktap_ok "m10-idle"; else ktap_fail "m10-idle" "idle_ms '$idle'"; fi
xctl -s mapping show | sed 's/^/# /'
check "stats-reset-again" xctl stats reset
check_eq "reset-zeroes" "0 None 0" \
	"$(mstat 10 packets_4to6 idle_ms) $(xctl -j stats show | json "d['xlat_4to6']")"

# a bad file, error in an included file: reported with file:line, nothing applied
xctl save >"$TMP/before"
printf 'mapping-prefix 2001:db8:64::\nmap-static 192.0.2.12 2001:db8:1::12\ninclude bad-inc.conf\n' >"$TMP/bad.conf"
printf 'map-static 192.0.2.13 2001:db8:1::13\nmap-static 192.0.2.14 2001:db8:1::13\n' >"$TMP/bad-inc.conf"
err=$(xctl load "$TMP/bad.conf" 2>&1) && ktap_fail "bad-config-refused" "load succeeded" ||
	ktap_ok "bad-config-refused"
diag "$err"
check_eq "bad-config-file-line" 1 \
	"$(grep -c 'bad-inc.conf:2: 2001:db8:1::13 is already mapped at .*bad-inc.conf:1$' <<<"$err")"
xctl save >"$TMP/after"
check "bad-config-nothing-applied" cmp "$TMP/before" "$TMP/after"

# sync: .10 stays (and keeps its counters), .11 goes, .12 comes
ping_recv "$CLIENT" -c 2 -i 0.2 -W 2 "$SERVER_PUB" >/dev/null
printf 'mapping-prefix 64:ff9b::\nmap-static 192.0.2.10 2001:db8:1::10\nmap-static 192.0.2.12 2001:db8:1::12\n' >"$TMP/s.conf"
check_eq "sync" "1 added, 1 deleted, 1 unchanged" "$(xctl sync "$TMP/s.conf")"
check_eq "sync-table-and-counters" "192.0.2.10 2001:db8:1::10 2
192.0.2.12 2001:db8:1::12 0" "$(xctl -s mapping show | awk '{ print $1, $2, $4 }' | sort)"

# save | load round trip; a load keeps the counters of unchanged mappings
xctl save >"$TMP/saved.conf"
check "save-load-roundtrip" sh -c "ip netns exec $XLAT $MAP646CTL load $TMP/saved.conf &&
	ip netns exec $XLAT $MAP646CTL save | cmp - $TMP/saved.conf"
check_eq "load-keeps-counters" 2 "$(mstat 10 packets_4to6)"

# counters are slots of shared per-CPU blocks (240 a block): a mapping added
# again starts from zero, and 600 mappings added beside a busy one stay at
# zero while it counts
xctl del 192.0.2.10
sleep 1	# the old slot is given back after an RCU grace period
for i in $(seq 0 599); do
	printf 'mapping add 10.9.%d.%d 2001:db8:9::%x\n' $((i / 256)) $((i % 256)) "$i"
done >"$TMP/600.batch"
echo "mapping add 192.0.2.10 2001:db8:1::10" >>"$TMP/600.batch"
xctl -b "$TMP/600.batch"
check_eq "readd-starts-at-zero" "0 None" "$(mstat 10 packets_4to6 idle_ms)"
ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB" >/dev/null
check_eq "busy-beside-600" "602 3 0" "$(xctl -j -s mapping show | json "len(d), sum(m['stats']['packets_4to6'] for m in d if m['ipv4'] == '192.0.2.10'), sum(m['stats']['packets_4to6'] + m['stats']['packets_6to4'] for m in d if m['ipv4'] != '192.0.2.10')" | tr -d '(),')"
xctl load "$TMP/saved.conf"

# batch from stdin; the failing line is named
out=$(printf 'mapping add 192.0.2.20 2001:db8:1::20\n# comment\nmapping add 192.0.2.20 2001:db8:1::21\nmapping del 192.0.2.12\n' |
	xctl -b - 2>&1)
diag "$out"
check_eq "batch-stops-at-failure" "1 1 192.0.2.12" \
	"$(grep -c 'stdin:3: command failed' <<<"$out") $(grep -c 'IPv4 address is already mapped' <<<"$out") $(xctl show 192.0.2.12 | cut -d' ' -f1)"

# table change notifications, from here on
bg "$XLAT" "$MAP646CTL" monitor >"$TMP/mon"
MON=$BG_PID
probe() {	# until the monitor has joined the group
	xctl add 192.0.2.31 2001:db8:1::31 2>/dev/null
	xctl del 192.0.2.31 >/dev/null 2>&1
	grep -q "del 192.0.2.31" "$TMP/mon"
}
wait_for 30 probe || diag "monitor saw nothing"

# the short forms of map646ctl 0.1
check "short-forms" sh -c "set -e; x() { ip netns exec $XLAT $MAP646CTL \"\$@\"; }
	x add 192.0.2.30 2001:db8:1::30; x show | grep -q '^192.0.2.30 '; x del 2001:db8:1::30
	x prefix show | grep -qx 64:ff9b::/96; x stats | grep -q '^xlat_4to6 '"

# 100 000 mappings: generated, loaded, changed by one with sync
awk 'BEGIN { print "mapping-prefix 64:ff9b::"
	for (i = 0; i < 100000; i++)
		printf "map-static 10.%d.%d.%d 2001:db8:2::%x:%x\n", i / 65536, i / 256 % 256, i % 256, i / 65536, i % 65536 }' >"$TMP/big.conf"
t0=$(_now_ms)
check "load-100k" xctl load "$TMP/big.conf"
t1=$(_now_ms)
sed -i 's/^map-static 10.0.0.0 .*/map-static 10.200.0.0 2001:db8:3::1/' "$TMP/big.conf"
check_eq "sync-100k-one-change" "1 added, 1 deleted, 99999 unchanged" "$(xctl sync "$TMP/big.conf")"
t2=$(_now_ms)
diag "100k mappings: load $((t1 - t0)) ms, sync (dump + diff + load) $((t2 - t1)) ms"
xctl flush
wait_file "$TMP/mon" "flush mappings 0"
bg_kill $MON
sed 's/^/# monitor: /' "$TMP/mon" | tail -n 8
# each line: TIME DEV EVENT ... (the time: map646_monitoring.sh)
check_eq "monitor-add-del" "1 1" \
	"$(grep -c '^[^ ]* map646 add 192.0.2.30 2001:db8:1::30 mappings ' "$TMP/mon") $(grep -c '^[^ ]* map646 del 192.0.2.30 2001:db8:1::30 mappings ' "$TMP/mon")"
# load and sync are both one replace
check_eq "monitor-replace-sync-flush" "2 1" \
	"$(grep -c '^[^ ]* map646 replace mappings 100000$' "$TMP/mon") $(grep -c '^[^ ]* map646 flush mappings 0$' "$TMP/mon")"
