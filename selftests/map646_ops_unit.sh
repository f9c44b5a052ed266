#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd unit's helper (dist/map646-unit.in, what map646@DEV.service
# runs) against the real ip(8): start takes a device that exists, its routes
# carry protocol map646 (246) and a route added by hand survives reloads;
# reload is one atomic swap of settings and table: under two fast pings, 11
# reloads that change the settings and move a mapping to another IPv6
# address never leave that mapping's address without a mapping, and a
# mapping in both files loses no echo; settings a file no longer names
# return to their defaults; a reload that fails changes nothing; routes go
# into the file's route-table with its route-metric; a missing file fails
# the start; the unit file's sandboxing (systemd-analyze security).
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24          │   │                          │
#  │ ping 192.0.2.10       │   │          to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │ ping 192.0.2.11       │   │ map646 (made by lib.sh, with   │   │   + ::11, ::20           │
#  │                       │   │  192.0.2.0/24 added by hand),  │   │                          │
#  │                       │   │  then a.conf / b.conf:         │   │                          │
#  │                       │   │  .10 <-> ::10 / ::20           │   │                          │
#  │                       │   │  .11 <-> ::11 in both          │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

RELOADS=11	# odd: the last reload is of b.conf
ktap_plan 17
topo_standard || ktap_bail "topology setup failed"
q ip -n "$SERVER" addr add 2001:db8:1::11/64 dev eth0 nodad &&
	q ip -n "$SERVER" addr add 2001:db8:1::20/64 dev eth0 nodad || ktap_bail "server addresses"

sed "s|@SBINDIR@|$(dirname "$MAP646CTL")|" "$TOP/dist/map646-unit.in" >"$TMP/map646-unit"
chmod +x "$TMP/map646-unit"
mkdir "$TMP/etc"
unit() { in_ns "$XLAT" env MAP646_CONF_DIR="$TMP/etc" MAP646CTL="$MAP646CTL" "$TMP/map646-unit" "$@"; }
json() { "$PY" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
# the routes of protocol map646 through the device: "PREFIX table T metric M"
owned() {
	{ ip -N -n "$XLAT" -4 route show table all dev map646 proto 246
	  ip -N -n "$XLAT" -6 route show table all dev map646 proto 246; } |
		awk '{ t = 254; m = 0; for (i = 2; i < NF; i++) { if ($i == "table") t = $(i + 1); if ($i == "metric") m = $(i + 1) }
		       print $1, t, m }' | sort | paste -sd,
}

cat >"$TMP/a.conf" <<'CONF'
mapping-prefix 64:ff9b::
lowest-ipv6-mtu 1400
pool4 192.0.2.240/28
map-static 192.0.2.10 2001:db8:1::10
map-static 192.0.2.11 2001:db8:1::11
CONF
cat >"$TMP/b.conf" <<'CONF'
mapping-prefix 64:ff9b::
map-static 192.0.2.10 2001:db8:1::20
map-static 192.0.2.11 2001:db8:1::11
map-static 192.0.2.12 2001:db8:1::12
CONF
cp "$TMP/a.conf" "$TMP/etc/map646.conf"

# start, with the device lib.sh made (and its hand-made routes) there
check "start-existing-device" unit start map646
check_eq "routes-proto-map646" "192.0.2.10 254 0,192.0.2.11 254 0,64:ff9b::/96 254 1024" "$(owned)"
check_eq "traffic" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 192.0.2.11)"

# reloads under floods: a.conf, b.conf, a.conf, ... with map646-unit reload
for ((i = 0; i < RELOADS; i++)); do
	if [ $((i % 2)) = 0 ]; then echo b; else echo a; fi
done >"$TMP/order"
reloader() {
	local f
	while read -r f; do
		cp "$TMP/$f.conf" "$TMP/etc/map646.conf"
		unit reload map646 >>"$TMP/reload.err" 2>&1 || { echo fail >"$TMP/reloads.done"; return; }
	done <"$TMP/order"
	echo 0 >"$TMP/reloads.done"
}
nomap0=$(stat_get drop_no_mapping_v4)
# 200 echoes a second each (floods starve the reloads under TCG)
bg "$CLIENT" ping -n -q -i 0.005 -W 1 192.0.2.10 >"$TMP/ping10" 2>&1
P10=$BG_PID
bg "$CLIENT" ping -n -q -i 0.005 -W 1 192.0.2.11 >"$TMP/ping11" 2>&1
P11=$BG_PID
sleep 1
t0=$(_now_ms)
reloader
t1=$(_now_ms)
sleep 1
kill -INT $P10 $P11
bg_wait $P10 10
bg_wait $P11 10
nomap=$(($(stat_get drop_no_mapping_v4) - nomap0))
s11=$(sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p' "$TMP/ping11")
r11=$(sed -n 's/.* \([0-9]\+\) received.*/\1/p' "$TMP/ping11")
diag "$RELOADS reloads in $((t1 - t0)) ms: 192.0.2.10 (moved between two IPv6 addresses): $(grep transmitted "$TMP/ping10")"
diag "192.0.2.11 (in both files): $s11 sent, $r11 answered; IPv4 packets without a mapping: $nomap"
check_eq "all-reloads-done" "0 " "$(cat "$TMP/reloads.done") $(cat "$TMP/reload.err")"
check_ge "pings-sent" 100 "${s11:-0}"
check_eq "unchanged-mapping-zero-loss" "${s11:-none}" "${r11:-0}"
check_eq "moved-mapping-never-missing" 0 "$nomap"

# the last reload was of b.conf, whose settings are the defaults
check_eq "omitted-settings-default" "None 1280 3" \
	"$(xctl -j settings show | json "d['pool4'], d['lowest_ipv6_mtu'], d['mappings']" | tr -d "(),'")"
check_eq "hand-route-survives" "192.0.2.0/24" "$(ip -n "$XLAT" -4 route show 192.0.2.0/24 dev map646 | cut -d' ' -f1)"
check_eq "routes-follow-file" "192.0.2.10 254 0,192.0.2.11 254 0,192.0.2.12 254 0,64:ff9b::/96 254 1024" "$(owned)"

# a reload that fails changes nothing: not the device, not its routes
before="$(xctl save) $(owned)"
printf 'mapping-prefix 64:ff9b::\nmap-static 192.0.2.10 2001:db8:1::10\nmap-static 192.0.2.13\n' >"$TMP/etc/map646.conf"
unit reload map646 >/dev/null 2>&1 && ktap_fail "failed-reload-refused" "reload succeeded" ||
	ktap_ok "failed-reload-refused"
check_eq "failed-reload-changes-nothing" "$before" "$(xctl save) $(owned)"

# a route table and metric (a VRF's table, say): the routes move there
{ cat "$TMP/b.conf"; printf 'route-table 100\nroute-metric 7\nroute4 192.0.2.8/29\n'; } >"$TMP/etc/map646.conf"
check "reload-route-table" unit reload map646
check_eq "routes-in-table" "192.0.2.8/29 100 7,64:ff9b::/96 100 7" "$(owned)"

# stop; start without a file fails and leaves nothing
check "stop" unit stop map646
rm "$TMP/etc/map646.conf"
rc=$(unit start map646 >/dev/null 2>&1; echo $?)
check_eq "missing-file-fails" "1  0" \
	"$rc $(ip -n "$XLAT" -o link show type map646) $(grep -c '^ConditionPathExists' "$TOP/dist/map646@.service.in")"

# the sandbox of map646@.service, as systemd rates it (0 best, 10 worst)
sed "s|@LIBEXECDIR@|$TMP|" "$TOP/dist/map646@.service.in" >"$TMP/map646@.service"
level=$(systemd-analyze security --offline=yes "$TMP/map646@.service" 2>&1 |
	sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
diag "systemd-analyze security: exposure $level"
check_eq "unit-sandboxed" 1 "$(awk -v l="${level:-10}" 'BEGIN { print (l < 3.0) }')"
