#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an operator watches: `ethtool -i` (driver, module version),
# `ethtool -S` (every counter, counted against the packets sent),
# `map646ctl -V` (tool and loaded module), `map646ctl monitor` (settings
# changes with a timestamp, by settings set and by a load), and the
# Prometheus metrics: the output of `map646ctl stats prometheus` checked by
# promtool (one device and two) and its refusals, written by the textfile
# script (dist/map646-prometheus) and scraped from Debian's
# prometheus-node-exporter over loopback; the example alert rules checked
# and unit-tested by promtool.
#
#  ┌───────────────────────┐   ┌─────────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                                │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24               │   │                          │
#  │                       │   │          to-s6 2001:db8:1::1/64 ─────┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │            (MTU 1300)               │   │                          │
#  │                       │   │ map646: 192.0.2.10 <-> 2001:db8:1::10│   │                          │
#  │                       │   │ node exporter on 127.0.0.1:9100     │   │                          │
#  │                       │   │  textfile dir $TMP/textfile         │   │                          │
#  └───────────────────────┘   └─────────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

V=$(cat "$TOP/VERSION")
RULES=$TOP/docs/examples/prometheus
ktap_plan 19
topo_standard || ktap_bail "topology setup failed"

# ethtool -i: the driver and the module's version
drv=$(in_ns "$XLAT" ethtool -i map646)
sed 's/^/# /' <<<"$drv"
check_eq "ethtool-driver-version" "driver: map646,version: $V" \
	"$(grep -E '^(driver|version):' <<<"$drv" | paste -sd,)"

# map646ctl -V: the tool and the module loaded
check_eq "version-tool-module" "map646ctl $V,map646 module $V" \
	"$("$MAP646CTL" -V 2>&1 | paste -sd,)"

# ethtool -S names every counter, as map646ctl does, in the same order
ethstats() { in_ns "$XLAT" ethtool -S map646 | awk -F': *' 'NR > 1 { gsub(/ /, "", $1); print $1, $2 }'; }
check_eq "ethtool-names" "$(xctl stats | cut -d' ' -f1 | paste -sd' ')" \
	"$(ethstats | cut -d' ' -f1 | paste -sd' ')"

# packets of known fates: 5 echoes there and back, 3 to an unmapped
# address, 1 with DF too big for the IPv6 side
q ip -n "$XLAT" link set to-s6 mtu 1300
ethstats >"$TMP/eth0"
ping_recv "$CLIENT" -c 5 -i 0.2 -W 2 "$SERVER_PUB" >/dev/null
ping_recv "$CLIENT" -c 3 -i 0.2 -W 1 192.0.2.99 >/dev/null
ping_recv "$CLIENT" -c 1 -W 1 -M do -s 1400 "$SERVER_PUB" >/dev/null
ethstats >"$TMP/eth1"
delta() { awk -v n="$1" 'NR == FNR { old[$1] = $2; next } $1 == n { print $2 - old[$1] }' "$TMP/eth0" "$TMP/eth1"; }
check_eq "ethtool-counts-sent" "xlat_4to6 5 xlat_6to4 5 drop_no_mapping_v4 3 drop_too_big 1" \
	"$(for c in xlat_4to6 xlat_6to4 drop_no_mapping_v4 drop_too_big; do echo -n "$c $(delta $c) "; done | sed 's/ $//')"
# the same numbers as map646ctl's (read twice in a row: the device's own
# IPv6 chatter may move a drop counter in between)
same() { [ "$(xctl stats | paste -sd' ')" = "$(ethstats | paste -sd' ')" ]; }
check "ethtool-equals-stats" wait_for 5 same

# the Prometheus text format, as promtool reads it
xctl -s stats prometheus >"$TMP/metrics" 2>"$TMP/metrics.err"
sed 's/^/# /' "$TMP/metrics.err"
check "promtool-check-metrics" promtool check metrics <"$TMP/metrics"
check_eq "metrics-counts" "5 3 5 1" "$(awk '
	/^map646_translated_packets_total\{device="map646",direction="4to6"\}/ { a = $2 }
	/^map646_dropped_packets_total\{device="map646",reason="no_mapping_v4"\}/ { b = $2 }
	/^map646_mapping_packets_total\{device="map646",ipv4="192.0.2.10",ipv6="2001:db8:1::10",direction="4to6"\}/ { c = $2 }
	/^map646_mappings\{device="map646"\}/ { d = $2 }
	END { print a, b, c, d }' "$TMP/metrics")"

# a second device: each family once with a sample per device, -d DEV
# that one only; a missing device or an extra word fails and prints nothing
q ip -n "$XLAT" link add map646b type map646
xctl stats prometheus >"$TMP/metrics2"
check "two-devices-promtool" promtool check metrics <"$TMP/metrics2"
devs() { sed -n 's/^map646_mappings{device="\(.*\)"} .*/\1/p' "$@" | paste -sd,; }
check_eq "two-devices" "2 1 map646,map646b map646b" \
	"$(sed -n 's/^map646_devices //p' "$TMP/metrics2") $(grep -c '^# TYPE map646_dropped_packets_total ' "$TMP/metrics2") $(devs "$TMP/metrics2") $(xctl -d map646b stats prometheus | devs)"
refused() {	# exit status, lines on stdout, lines on stderr (logged)
	local st
	xctl "$@" >"$TMP/out" 2>"$TMP/err"
	st=$?
	echo "$st $(wc -l <"$TMP/out") $(wc -l <"$TMP/err")" >>"$TMP/refused"
	sed 's/^/# /' "$TMP/err"
}
refused -d nosuch stats prometheus
refused stats prometheus extra
check_eq "prometheus-refusals" "1 0 1,2 0 2" "$(paste -sd, "$TMP/refused")"
q ip -n "$XLAT" link del map646b

# the textfile collector: the timer's script writes the file atomically,
# the node exporter serves it
mkdir -p "$TMP/textfile"
check "textfile-script" in_ns "$XLAT" env MAP646CTL="$MAP646CTL" \
	MAP646_TEXTFILE_DIR="$TMP/textfile" sh "$TOP/dist/map646-prometheus.in"
check_eq "textfile-written" "map646.prom -rw-r--r--" \
	"$(ls -A "$TMP/textfile") $(stat -c %A "$TMP/textfile/map646.prom")"
bg "$XLAT" prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TMP/textfile" >"$TMP/ne.log" 2>&1
scrape() { in_ns "$XLAT" curl -sf http://127.0.0.1:9100/metrics >"$TMP/scrape"; }
wait_for 30 scrape || diag "node exporter: $(tail -n 5 "$TMP/ne.log")"
grep -E '^(map646_|node_textfile_scrape_error)' "$TMP/scrape" | head -n 8 | sed 's/^/# scraped: /'
check_eq "node-exporter-serves" "0 5 1" "$(awk '
	/^node_textfile_scrape_error / { e = $2 }
	/^map646_translated_packets_total\{device="map646",direction="4to6"\}/ { a = $2 }
	/^map646_info\{/ { i = $2 }
	END { print e, a, i }' "$TMP/scrape")"

# like ip -s link, ethtool -S counts since the device was created
xctl stats reset
check_eq "ethtool-keeps-after-reset" "0 $(grep '^xlat_4to6 ' "$TMP/eth1" | cut -d' ' -f2)" \
	"$(stat_get xlat_4to6) $(ethstats | awk '$1 == "xlat_4to6" { print $2 }')"

# monitor: a settings change, stamped; then a table change
bg "$XLAT" "$MAP646CTL" monitor >"$TMP/mon"
MON=$BG_PID
bg "$XLAT" "$MAP646CTL" -j monitor >"$TMP/monj"
MONJ=$BG_PID
joined() {	# until both monitors have joined the group
	xctl settings set tos copy
	[ -s "$TMP/mon" ] && [ -s "$TMP/monj" ]
}
wait_for 30 joined || diag "the monitors saw nothing"
xctl settings set path device lowest-ipv6-mtu 1400
xctl mapping add 192.0.2.11 2001:db8:1::11
# a load sets every setting: its replace line, then the settings
printf '%s\n' 'mapping-prefix 64:ff9b::' 'lowest-ipv6-mtu 1300' \
	'map-static 192.0.2.10 2001:db8:1::10' 'map-static 192.0.2.11 2001:db8:1::11' >"$TMP/load.conf"
xctl load "$TMP/load.conf"
wait_file "$TMP/mon" " settings .* lowest-ipv6-mtu 1300 " &&
	wait_file "$TMP/monj" '"lowest_ipv6_mtu":1300'
bg_kill $MON $MONJ
sed 's/^/# monitor: /' "$TMP/mon" "$TMP/monj" | tail -n 4
STAMP='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}'
check_eq "monitor-settings-stamped" 1 \
	"$(grep -cE "^$STAMP map646 settings prefix 64:ff9b::/96 lowest-ipv6-mtu 1400 udp-zero-checksum drop tos copy icmp-errors on path device pool4 none pool6 none mappings 1$" "$TMP/mon")"
check_eq "monitor-table-stamped" 1 \
	"$(grep -cE "^$STAMP map646 add 192.0.2.11 2001:db8:1::11 mappings 2$" "$TMP/mon")"
check_eq "monitor-load-settings" "map646 replace mappings 2|map646 settings prefix 64:ff9b::/96 lowest-ipv6-mtu 1300 udp-zero-checksum drop tos copy icmp-errors on path prerouting pool4 none pool6 none mappings 2" \
	"$(sed -E "s/^$STAMP //" "$TMP/mon" | tail -n 2 | paste -sd'|')"
check_eq "monitor-json" "settings device 1400 True" "$("$PY" -c '
import json, re, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
s = [e for e in ev if e["event"] == "settings" and e["path"] == "device"][0]
print(s["event"], s["path"], s["lowest_ipv6_mtu"],
      all(re.fullmatch(sys.argv[2], e["time"]) is not None for e in ev))' "$TMP/monj" "$STAMP")"
xctl settings set path prerouting lowest-ipv6-mtu 1280

# the example alert rules
check "alert-rules" sh -c "cd '$RULES' && promtool check rules map646-alerts.yml &&
	promtool test rules map646-alerts.test.yml"
