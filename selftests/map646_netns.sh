#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Each map646 device has its own table and prefix: devices of the same name
# in two namespaces, and two devices in one namespace, do not see each
# other's mappings; traffic is translated only where it is mapped. A
# device stays in the namespace it was made in (its remembered routes
# belong there): moving it is refused, and deleting a namespace whose
# device is busy leaves a clean kernel log.
#
#  Two standard topologies, A and B (each: client4 ── xlat ── server6):
#
#  ┌─────────────┐   ┌───────────────────────────────────┐   ┌───────────────────────┐
#  │ client4 A   │   │ xlat A                            │   │ server6 A             │
#  │ 198.51.100.7├───┤ map646  (64:ff9b::/96)            ├───┤ 2001:db8:1::10        │
#  │             │   │   192.0.2.10 <-> 2001:db8:1::10   │   │ 2001:db8:1::30        │
#  │             │   │ map646b (64:ff9b:1::/96)          │   │                       │
#  │             │   │   192.0.2.30 <-> 2001:db8:1::30   │   │                       │
#  │             │   │   routes 192.0.2.30/32, 192.0.2.31/32, 64:ff9b:1::/96         │
#  └─────────────┘   └───────────────────────────────────┘   └───────────────────────┘
#  ┌─────────────┐   ┌───────────────────────────────────┐   ┌───────────────────────┐
#  │ client4 B   │   │ xlat B                            │   │ server6 B             │
#  │ 198.51.100.7├───┤ map646  (64:ff9b::/96)            ├───┤ 2001:db8:1::10        │
#  │             │   │   192.0.2.20 <-> 2001:db8:1::10   │   │                       │
#  └─────────────┘   └───────────────────────────────────┘   └───────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 20
topo_standard a || ktap_bail "topology A setup failed"
CA=$CLIENT XA=$XLAT SA=$SERVER
topo_standard b || ktap_bail "topology B setup failed"
CB=$CLIENT XB=$XLAT
steps "ip netns exec $XB $MAP646CTL del 192.0.2.10" \
	"ip netns exec $XB $MAP646CTL add 192.0.2.20 2001:db8:1::10" \
	"ip -n $SA addr add 2001:db8:1::30/64 dev eth0 nodad" \
	"xlat_dev_add $XA map646b 64:ff9b:1::/96" \
	"ip -n $XA route add 192.0.2.30/32 dev map646b" \
	"ip -n $XA route add 192.0.2.31/32 dev map646b" \
	"ip -n $XA -6 route add 64:ff9b:1::/96 dev map646b" \
	"ip netns exec $XA $MAP646CTL -d map646b add 192.0.2.30 2001:db8:1::30" ||
	ktap_bail "setup failed"

ctl() { local ns=$1; shift; ip netns exec "$ns" "$MAP646CTL" "$@"; }
cnt() { stat_get "$1" "$2" "$3"; }

# tables (with two devices in a namespace, map646ctl wants -d)
check_eq "show-xlat-a" "192.0.2.10 2001:db8:1::10" "$(ctl "$XA" -d map646 show)"
check_eq "show-xlat-b" "192.0.2.20 2001:db8:1::10" "$(ctl "$XB" show)"
check_eq "show-xlat-a-map646b" "192.0.2.30 2001:db8:1::30" "$(ctl "$XA" -d map646b show)"
check_eq "prefix-xlat-a-map646b" "64:ff9b:1::/96" "$(ctl "$XA" -d map646b prefix show)"
check_eq "prefix-xlat-a-map646-untouched" "64:ff9b::/96" "$(ctl "$XA" -d map646 prefix show)"

# traffic only where mapped
a0=$(cnt xlat_4to6 map646 "$XA") b0=$(cnt xlat_4to6 map646 "$XB")
ab0=$(cnt xlat_4to6 map646b "$XA")
check_eq "a-reaches-192.0.2.10" 2 "$(ping_recv "$CA" -c 2 -i 0.2 -W 2 192.0.2.10)"
check_eq "a-not-192.0.2.20" 0 "$(ping_recv "$CA" -c 1 -W 1 192.0.2.20)"
check_eq "b-reaches-192.0.2.20" 2 "$(ping_recv "$CB" -c 2 -i 0.2 -W 2 192.0.2.20)"
check_eq "b-not-192.0.2.10" 0 "$(ping_recv "$CB" -c 1 -W 1 192.0.2.10)"
# 192.0.2.30 through map646b, answered from 2001:db8:1::30 to 64:ff9b:1::/96
check_eq "a-map646b-reaches-192.0.2.30" 2 "$(ping_recv "$CA" -c 2 -i 0.2 -W 2 192.0.2.30)"
# 192.0.2.31 is routed to map646b but mapped nowhere
check_eq "a-map646b-not-192.0.2.31" 0 "$(ping_recv "$CA" -c 1 -W 1 192.0.2.31)"
a1=$(cnt xlat_4to6 map646 "$XA") b1=$(cnt xlat_4to6 map646 "$XB")
ab1=$(cnt xlat_4to6 map646b "$XA")
check_eq "xlat-a-map646-counted-its-own" 2 $((a1 - a0))
check_eq "xlat-b-map646-counted-its-own" 2 $((b1 - b0))
check_eq "xlat-a-map646b-counted-its-own" 2 $((ab1 - ab0))

# a change in one table leaves the others alone
ctl "$XB" flush
check_eq "flush-b-leaves-a" "192.0.2.10 2001:db8:1::10" "$(ctl "$XA" -d map646 show)"
check_eq "flush-b-leaves-a-map646b" "192.0.2.30 2001:db8:1::30" "$(ctl "$XA" -d map646b show)"

# the device cannot leave its namespace, and keeps working
ns_new NC nc || ktap_bail "namespace"
check "move-to-another-namespace-refused" eval "! ip -n $XA link set map646b netns $NC 2>/dev/null"
check_eq "map646b-still-in-xlat-a" 1 "$(ip -n "$XA" -o link show map646b 2>/dev/null | wc -l)"
check_eq "a-map646b-still-translates" 2 "$(ping_recv "$CA" -c 2 -i 0.2 -W 2 192.0.2.30)"

# a namespace deleted under traffic on path prerouting: its devices go with
# their remembered routes, nothing waits for a reference (the kernel says
# "waiting for ... to become free" after 10 s) and nothing warns
dmesg_mark
ctl "$XA" -d map646 settings set path prerouting
ctl "$XA" -d map646b settings set path prerouting
bg "$CA" ping -n -q -i 0.002 -w 30 192.0.2.10 >/dev/null 2>&1
p1=$BG_PID
bg "$CA" ping -n -q -i 0.002 -w 30 192.0.2.30 >/dev/null 2>&1
p2=$BG_PID
sleep 2
ns_del "$XA"
sleep 11
bg_kill $p1 $p2
check "busy-namespace-deleted-kernel-log-clean" eval \
	"! dmesg_new | grep -E 'waiting for .* to become free|$KERNEL_BAD'"
