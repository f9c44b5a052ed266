#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The translator is one router hop: TTL / hop limit drops by exactly one
# from client4 to server6 and back, and a packet that expires at the
# translator is answered with time exceeded by the stack.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │      (tcpdump: ttl)   │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │      (tcpdump: hlim)     │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 10
topo_standard || ktap_bail "topology setup failed"

# pingt NS PING-ARGS...: one ping; output in $TMP/ping.out and the log
pingt() {
	local ns=$1
	shift
	in_ns "$ns" ping -n -c 1 -W 2 "$@" >"$TMP/ping.out" 2>&1
	sed 's/^/# ping: /' "$TMP/ping.out"
}
ping_ttl() { grep -o 'ttl=[0-9]*' "$TMP/ping.out" | head -n 1 | cut -d= -f2; }

# client4 sends TTL 10: server6 sees hop limit 9; server6 answers with its
# default hop limit 64: client4 sees TTL 63
cap_start "$SERVER" "icmp6 and ip6[40] == 128"
pingt "$CLIENT" -t 10 "$SERVER_PUB"
cap_stop
check_eq "4to6-ttl10-arrives-hlim9" 9 "$(cap_field hlim)"
check_eq "6to4-reply-hlim64-arrives-ttl63" 63 "$(ping_ttl)"

# server6 sends hop limit 10: client4 sees TTL 9; client4 answers with TTL
# 64: server6 sees hop limit 63
cap_start "$CLIENT" "icmp and icmp[icmptype] == icmp-echo"
pingt "$SERVER" -6 -t 10 "$CLIENT_IP6"
cap_stop
check_eq "6to4-hlim10-arrives-ttl9" 9 "$(cap_field ttl)"
check_eq "4to6-reply-ttl64-arrives-hlim63" 63 "$(ping_ttl)"

# the smallest TTL that crosses one hop: 2 arrives as 1 on the other side
cap_start "$SERVER" "icmp6 and ip6[40] == 128"
pingt "$CLIENT" -t 2 "$SERVER_PUB"
cap_stop
check_eq "4to6-ttl2-arrives-hlim1" 1 "$(cap_field hlim)"
cap_start "$CLIENT" "icmp and icmp[icmptype] == icmp-echo"
pingt "$SERVER" -6 -t 2 "$CLIENT_IP6"
cap_stop
check_eq "6to4-hlim2-arrives-ttl1" 1 "$(cap_field ttl)"

# TTL 1 expires at the translator: IPv4 / IPv6 forwarding answers with time
# exceeded, and nothing leaves towards the other side
cap_start "$SERVER" "icmp6 and ip6[40] == 128"
pingt "$CLIENT" -t 1 "$SERVER_PUB"
check "4to6-ttl1-time-exceeded" grep -q "From $CLIENT_GW .*Time to live exceeded" "$TMP/ping.out"
cap_stop 1
check_eq "4to6-ttl1-not-forwarded" "" "$(cap_field hlim)"
cap_start "$CLIENT" "icmp and icmp[icmptype] == icmp-echo"
pingt "$SERVER" -6 -t 1 "$CLIENT_IP6"
check "6to4-hlim1-time-exceeded" grep -q "From $SERVER_GW6 .*Time exceeded" "$TMP/ping.out"
cap_stop 1
check_eq "6to4-hlim1-not-forwarded" "" "$(cap_field ttl)"
