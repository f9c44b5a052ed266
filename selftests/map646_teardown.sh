#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tearing down under load, on every path (XLAT_PATHS; case names start
# with the path): with ping floods and an iperf3 stream crossing the
# translator, (1) delete the device, (2) delete its namespace, (3) unload
# the module while devices exist in two namespaces. Nothing may be left
# behind, the module must unload (taking its devices, and on path
# prerouting their netfilter hooks, with it) and load again, and the
# kernel must not complain.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │  ping -f, iperf3 -c   │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │  ping -f, iperf3 -s      │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
#  (3) also: namespace xl2 with a second map646 device
. "$(dirname "$0")/lib.sh"

set -- $XLAT_PATHS
ktap_plan $((14 * $# + 1))
dmesg_mark

# traffic_start: ping floods both ways and an iperf3 stream client4 -> server6;
# returns once both translation counters have grown by 500
traffic_start() {
	local v4 v6
	v4=$(stat_get xlat_4to6) v6=$(stat_get xlat_6to4)
	bg "$SERVER" iperf3 -s -1 -B "$SERVER_IP6" -p 5201 >/dev/null 2>&1
	TRAFFIC="$BG_PID"
	wait_listen "$SERVER" tcp 5201
	bg "$CLIENT" iperf3 -c "$SERVER_PUB" -p 5201 -t 60 >/dev/null 2>&1
	TRAFFIC="$TRAFFIC $BG_PID"
	bg "$CLIENT" ping -f -q -w 60 "$SERVER_PUB" >/dev/null 2>&1
	TRAFFIC="$TRAFFIC $BG_PID"
	bg "$SERVER" ping -6 -f -q -w 60 "$CLIENT_IP6" >/dev/null 2>&1
	TRAFFIC="$TRAFFIC $BG_PID"
	wait_for 20 _grown xlat_4to6 $((v4 + 500)) && wait_for 20 _grown xlat_6to4 $((v6 + 500))
}
_grown() { [ "$(stat_get "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
traffic_stop() { bg_kill $TRAFFIC; }
no_map646_dev() { [ -z "$(ip -n "$1" -o link show type map646 2>/dev/null)" ]; }

# teardown_on PATH N: the three teardowns with devices on PATH (N: a tag
# for the namespaces of this round)
teardown_on() {
	local p=$1 n=$2
	topo_standard "a$n" && xlat_path "$p" || ktap_bail "topology setup failed"
	# 1: delete the device
	traffic_start
	check_eq "$p: 1-traffic-flows" 0 $?
	check "$p: 1-del-device-under-load" ip -n "$XLAT" link del map646
	check "$p: 1-device-gone" no_map646_dev "$XLAT"
	traffic_stop

	# 2: delete the namespace holding the device
	check "$p: 2-recreate-device" eval "xlat_std $XLAT && xlat_path $p"
	traffic_start
	check_eq "$p: 2-traffic-flows" 0 $?
	check "$p: 2-del-netns-under-load" ns_del "$XLAT"
	# the namespace is really dismantled once the veth peers disappear
	check "$p: 2-netns-dismantled" wait_for 20 eval "! ip -n $CLIENT link show eth0 2>/dev/null"
	traffic_stop
	ns_del "$CLIENT"
	ns_del "$SERVER"

	# 3: unload the module with devices in two namespaces
	topo_standard "b$n" && xlat_path "$p" || ktap_bail "second topology setup failed"
	ns_new XL2 "xl2$n"
	check "$p: 3-second-device-elsewhere" eval "xlat_dev_add $XL2 map646 && xlat_path $p map646 $XL2"
	traffic_start
	check_eq "$p: 3-traffic-flows" 0 $?
	check "$p: 3-rmmod-under-load" rmmod map646
	check "$p: 3-module-gone" wait_for 10 eval "[ ! -e /sys/module/map646 ]"
	check "$p: 3-devices-gone" eval "no_map646_dev $XLAT && no_map646_dev $XL2"
	traffic_stop
	# the first use of the netlink family loads the module (the request itself
	# fails: there is no device yet)
	in_ns "$XLAT" "$MAP646CTL" -d map646 show >/dev/null 2>&1
	check "$p: 3-genl-family-autoloads-module" wait_for 10 eval "[ -e /sys/module/map646 ]"
	check "$p: 3-device-again-and-translates" eval "xlat_std $XLAT && xlat_path $p &&
		[ \"\$(ping_recv $CLIENT -c 2 -i 0.2 -W 2 $SERVER_PUB)\" = 2 ]"
}

n=0
for p in $XLAT_PATHS; do
	n=$((n + 1))
	teardown_on "$p" "$n"
done

dmesg_new | sed 's/^/# dmesg: /' | tail -n 30
check_eq "dmesg-clean" "" "$(dmesg_new | grep -E "$KERNEL_BAD|waiting for .* to become free")"
