#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two stateless translators behind equal-cost OSPF routes (BIRD 2): while two
# long TCP transfers and two ping streams run from the IPv4 client to the
# IPv6 server, stop translator A (its BIRD, then its links), bring it back,
# then the same for B. Every TCP byte must arrive intact; the outage of each
# step is measured from the ping streams and reported.
#
#                      xa: translator A (router id 203.0.113.2)
#                 ┌─── to-r4 203.0.113.2/30 ── map646 ── to-r6 2001:db8:a::2 ───┐
#                 │                                                              │
#  client ─── r4 ─┤                                                              ├─ r6 ─── server
#                 │                                                              │
#                 └─── to-r4 203.0.113.6/30 ── map646 ── to-r6 2001:db8:b::2 ───┘
#                      xb: translator B (router id 203.0.113.6)
#
#  client  eth0 198.51.100.7..22/24, default via r4 (IPv4 only)
#  r4      to-c 198.51.100.1/24, to-xa 203.0.113.1/30, to-xb 203.0.113.5/30;
#          OSPFv2: 192.0.2.0/24 via xa and xb (ECMP)
#  r6      to-xa 2001:db8:a::1/64, to-xb 2001:db8:b::1/64, to-s 2001:db8:1::1/64;
#          OSPFv3: 64:ff9b::/96 via xa and xb (ECMP)
#  server  eth0 2001:db8:1::10/64, default via r6 (IPv6 only)
#
#  Each translator: prefix 64:ff9b::/96, 192.0.2.10 <-> 2001:db8:1::10;
#  OSPFv2 towards r4 announces 192.0.2.0/24, OSPFv3 towards r6 announces
#  64:ff9b::/96, both only once it has learned routes to both sides. The
#  BIRD configurations and the map646.conf (applied as map646@.service
#  does, by dist/map646-unit.in) are docs/examples/failover/, as
#  docs/failover.md shows them.
#  r4 hashes on addresses (L3): the client uses one source address whose
#  path runs through A (flow A) and one through B (flow B); each flow is a
#  TCP transfer (100 kB/s) plus a ping stream (every 50 ms).
#
#  Env: FAILOVER_MAX_OUTAGE (seconds a step may interrupt a flow, default 3
#       times M646_SLOW: the bound is for the stock kernel),
#       FAILOVER_RATE (bytes/s per TCP flow, default 100000).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/failover_topo.sh"
MAX_OUTAGE=${FAILOVER_MAX_OUTAGE:-$((3 * M646_SLOW))}
RATE=${FAILOVER_RATE:-100000}
PING_INTERVAL=0.05

ktap_plan 20
command -v bird >/dev/null && command -v birdc >/dev/null ||
	ktap_bail "BIRD 2 (Debian bird2) is not installed"
dmesg_mark

# ------------------------------------------------------- measurements --

now() { echo "$EPOCHREALTIME"; }
event() {	# TEXT: timestamped line for the timeline
	echo "$(now) $*" >>"$TMP/events"
	diag "$(awk -v t="$(now)" -v t0="$T0" 'BEGIN { printf "%6.2f", t - t0 }') $*"
}
# counters NS: "4to6 6to4" of NS's map646 device
counters() {
	in_ns "$1" "$MAP646CTL" -d map646 stats |
		awk '$1 == "xlat_4to6" { a = $2 } $1 == "xlat_6to4" { b = $2 }
		     END { print a + 0, b + 0 }'
}
carried() {	# NS: packets translated so far, both directions
	counters "$1" | awk '{ print $1 + $2 }'
}
# last_reply FLOW: time of the latest echo reply of the flow's ping stream
last_reply() {
	sed -n 's/^\[\([0-9.]*\)\] .* bytes from .*/\1/p' "$TMP/ping.$1" | tail -n 1
}
both_carried() {	# A0 B0: each translator translated > 100 packets since
	[ $(($(carried "$XA") - $1)) -gt 100 ] && [ $(($(carried "$XB") - $2)) -gt 100 ]
}
replies_after() {	# T: both ping streams have replies newer than T
	local f t
	for f in a b; do
		t=$(last_reply $f)
		[ -n "$t" ] && awk -v a="$t" -v b="$1" 'BEGIN { exit !(a > b) }' || return 1
	done
}

# ---------------------------------------------------------------- steps --

STEP_N=0
step_begin() {	# NAME
	STEP_N=$((STEP_N + 1))
	echo "$STEP_N $(now) $1" >>"$TMP/steps"
	event "step $STEP_N: $1"
}

# step_down X: stop translator X's BIRD, then take its links down
step_down() {
	local x=$1 ns=${NS_OF[$1]} before after
	step_begin "$x down"
	event "$x: birdc down"
	birdc_ "$x" down >/dev/null
	bg_wait "${BIRD_PID[$x]}" 10 >/dev/null
	if poll 30 paths_are 1; then
		event "routers: one path left"
		ktap_ok "$x-down-withdrawn"
	else
		ktap_fail "$x-down-withdrawn" "r4: $(nexthops "$R4" 4 $MAPPED4) paths, r6: $(nexthops "$R6" 6 $PREFIX)"
	fi
	before=$(carried "$ns")
	sleep 1	# a window in which nothing may reach the stopped translator
	after=$(carried "$ns")
	event "$x: links down"
	ip -n "$ns" link set to-r4 down
	ip -n "$ns" link set to-r6 down
	check_eq "$x-down-drained" 0 $((after - before))
	poll 15 replies_after "$(now)" || diag "ping streams did not recover"
	sleep 1
}

# step_up X: links up, start BIRD, announce once routes are learned
step_up() {
	local x=$1 ns=${NS_OF[$1]} before
	step_begin "$x up"
	event "$x: links up"
	ip -n "$ns" link set to-r4 up
	ip -n "$ns" link set to-r6 up
	event "$x: bird start"
	bird_start "$x"
	translator_announce "$x" && event "$x: announces"
	before=$(carried "$ns")
	if poll 60 paths_are 2; then
		event "routers: two paths"
		ktap_ok "$x-up-ecmp"
	else
		ktap_fail "$x-up-ecmp" "r4: $(nexthops "$R4" 4 $MAPPED4) paths, r6: $(nexthops "$R6" 6 $PREFIX)"
	fi
	# its flow hashes to it again
	if poll 10 _carries "$ns" "$before"; then
		event "$x: carries traffic"
		ktap_ok "$x-up-carries"
	else
		ktap_fail "$x-up-carries" "$x translated nothing after coming back"
	fi
	poll 15 replies_after "$(now)" || diag "ping streams did not recover"
	sleep 1
}
_carries() { [ "$(carried "$1")" -gt "$2" ]; }

# outages: per step, the longest time without echo replies in either flow
outages() {
	awk -v iv=$PING_INTERVAL '
	FNR == 1 { f++ }
	f == 1 { start[$1] = $2; name[$1] = $3 "-" $4; n = $1; next }	# steps
	{
		if (!match($0, /^\[[0-9.]+\] [0-9]+ bytes from/)) next
		t = substr($0, 2, RLENGTH - 2)
		for (s = 1; s <= n; s++) {
			end = (s < n) ? start[s + 1] : 1e12
			if (t < start[s]) { prev[f, s] = t; continue }
			if (t >= end) continue
			p = ((f, s) in prev) ? prev[f, s] : start[s]
			if (t - p > gap[s]) gap[s] = t - p
			prev[f, s] = t
		}
	}
	END {
		for (s = 1; s < n; s++)		# no reply since the last one: up to the end
			for (g = 2; g <= f; g++) {
				p = ((g, s) in prev) ? prev[g, s] : start[s]
				if (start[s + 1] - p > gap[s]) gap[s] = start[s + 1] - p
			}
		for (s = 1; s <= n; s++) {
			o = gap[s] - iv
			printf "%d %s %.2f\n", s, name[s], o < 0 ? 0 : o
		}
	}' "$TMP/steps" "$TMP/ping.a" "$TMP/ping.b"
}

# timeline: one row per counter sample: packets each translator translated
# since the previous row, which carried traffic, and the events in between
timeline() {
	awk -v t0="$T0" '
	BEGIN {
		print "timeline: packets translated since the previous row (4to6/6to4)"
		printf "%6s %13s %13s  %-3s  %s\n", "t(s)", "xa", "xb", "via", "events"
	}
	FNR == 1 { f++ }
	f == 1 { et[++ne] = $1; $1 = ""; etext[ne] = substr($0, 2); next }
	{
		if (seen) {
			a = ($2 - p2) "/" ($3 - p3); b = ($4 - p4) "/" ($5 - p5)
			via = ($2 + $3 > p2 + p3 ? "A" : "") ($4 + $5 > p4 + p5 ? "B" : "")
			ev = ""
			while (ie < ne && et[ie + 1] <= $1) ev = ev (ev ? "; " : "") etext[++ie]
			printf "%6.1f %13s %13s  %-3s  %s\n", $1 - t0, a, b, via == "AB" ? "A+B" : via ? via : "-", ev
		}
		p2 = $2; p3 = $3; p4 = $4; p5 = $5; seen = 1
	}' "$TMP/events" "$TMP/samples"
}

# ------------------------------------------------------------------ run --

T0=$(now)
: >"$TMP/events"
: >"$TMP/steps"
topology || ktap_bail "topology setup failed"
for ns in $XA $XB; do
	[ "$(in_ns "$ns" "$MAP646CTL" -d map646 show | grep -c "$SERVER_IP6")" = 1 ] ||
		ktap_bail "$ns: the mapping of map646.conf is not loaded"
done
ktap_ok topology
event "topology ready"
bird_all || ktap_bail "BIRD did not start: $(cat "$TMP"/*.log 2>/dev/null)"
event "bird started"
translator_announce xa && translator_announce xb && event "translators announce"
if poll 60 paths_are 2; then
	event "routers: two paths"
	ktap_ok ospf-ecmp-ipv4
	ktap_ok ospf-ecmp-ipv6
else
	ktap_fail ospf-ecmp-ipv4 "r4: $(nexthops "$R4" 4 $MAPPED4) paths to $MAPPED4"
	ktap_fail ospf-ecmp-ipv6 "r6: $(nexthops "$R6" 6 $PREFIX) paths to $PREFIX"
	bird_diag
fi
ip -n "$R4" route show $MAPPED4 | sed 's/^/#   r4: /'
ip -n "$R6" -6 route show $PREFIX | sed 's/^/#   r6: /'

SRC_A= SRC_B=
if poll 20 pick_flows; then
	ktap_ok flows-split
	diag "flow a from $SRC_A (via xa), flow b from $SRC_B (via xb)"
else
	ktap_fail flows-split "no client address hashes to each translator (a=$SRC_A b=$SRC_B)"
	SRC_A=${SRC_A:-198.51.100.7} SRC_B=${SRC_B:-198.51.100.8}
fi

# sampler: "time xa_4to6 xa_6to4 xb_4to6 xb_6to4" every second
cat >"$TMP/sampler.sh" <<EOF
while :; do
	t=\$EPOCHREALTIME
	{ ip netns exec $XA $MAP646CTL -d map646 stats; echo --
	  ip netns exec $XB $MAP646CTL -d map646 stats; } |
		awk -v t=\$t '/^--/ { x = 2 } \$1 ~ /^xlat_(4to6|6to4)\$/ { c[x + 0, \$1] = \$2 }
			END { print t, c[0, "xlat_4to6"] + 0, c[0, "xlat_6to4"] + 0, c[2, "xlat_4to6"] + 0, c[2, "xlat_6to4"] + 0 }'
	sleep 1
done >"\$1"
EOF
bg "$R4" bash "$TMP/sampler.sh" "$TMP/samples"
SAMPLER=$BG_PID
bg "$SERVER" "$PY" "$ST/tcp_stream.py" recv 5001 "$TMP/recv.a"
RECV_A=$BG_PID
bg "$SERVER" "$PY" "$ST/tcp_stream.py" recv 5002 "$TMP/recv.b"
RECV_B=$BG_PID
poll 60 listening 5001 && poll 60 listening 5002 ||
	diag "the TCP receivers did not start"
bg "$CLIENT" stdbuf -oL ping -D -n -i $PING_INTERVAL -I "$SRC_A" "$SERVER_PUB" >"$TMP/ping.a"
PINGS=$BG_PID
bg "$CLIENT" stdbuf -oL ping -D -n -i $PING_INTERVAL -I "$SRC_B" "$SERVER_PUB" >"$TMP/ping.b"
PINGS="$PINGS $BG_PID"
bg "$CLIENT" "$PY" "$ST/tcp_stream.py" send "$SERVER_PUB" 5001 "$SRC_A" "$RATE" "$TMP/stop" "$TMP/send.a"
SEND_A=$BG_PID
bg "$CLIENT" "$PY" "$ST/tcp_stream.py" send "$SERVER_PUB" 5002 "$SRC_B" "$RATE" "$TMP/stop" "$TMP/send.b"
SEND_B=$BG_PID
event "traffic started"

a0=$(carried "$XA") b0=$(carried "$XB")
# Each translator carries one flow; a flow that starts slowly (TCP slow
# start, a busy vCPU) gets time, not a fixed two seconds.
poll 15 replies_after "$(now)" && poll 15 both_carried "$a0" "$b0"
a1=$(carried "$XA") b1=$(carried "$XB")
diag "before the steps: xa translated $((a1 - a0)), xb $((b1 - b0)) packets in $(awk -v t="$(now)" -v t0="$T0" 'BEGIN { printf "%.1f", t - t0 }') s"
if [ $((a1 - a0)) -gt 100 ] && [ $((b1 - b0)) -gt 100 ] && replies_after "$T0"; then
	ktap_ok traffic-through-both
else
	ktap_fail traffic-through-both "xa +$((a1 - a0)), xb +$((b1 - b0)) packets; ping replies: a $(last_reply a) b $(last_reply b)"
fi

step_down xa
step_up xa
step_down xb
step_up xb
echo "$((STEP_N + 1)) $(now) end" >>"$TMP/steps"

event "stopping traffic"
touch "$TMP/stop"
for f in a b; do
	pid_s=SEND_${f^^} pid_r=RECV_${f^^}
	bg_wait "${!pid_s}" 90
	bg_wait "${!pid_r}" 30
	sent=$(cat "$TMP/send.$f" 2>/dev/null) recv=$(cat "$TMP/recv.$f" 2>/dev/null)
	diag "flow $f: sent $sent"
	diag "flow $f: received $recv"
	if [ -n "$sent" ] && [ "$sent" = "$recv" ] && [[ $sent == bytes=* ]] &&
		[ "${sent#bytes=}" != "0 sha256=" ]; then
		ktap_ok "tcp-flow-$f-intact"
		eval "TCP_$f=intact"
	else
		ktap_fail "tcp-flow-$f-intact" "sent '$sent', received '$recv'"
		eval "TCP_$f=broken"
	fi
done
bg_kill $PINGS $SAMPLER

timeline | sed 's/^/# /'
outages | head -n 4 >"$TMP/outages"
max=0
# the outage cases, in step order: xa down, xa up, xb down, xb up
while read -r n name o; do
	diag "step $n ($name): outage ${o}s"
	max=$(awk -v a="$max" -v b="$o" 'BEGIN { print (b > a) ? b : a }')
	if awk -v o="$o" -v m="$MAX_OUTAGE" 'BEGIN { exit !(o < m) }'; then
		ktap_ok "$name-outage-below-${MAX_OUTAGE}s"
	else
		ktap_fail "$name-outage-below-${MAX_OUTAGE}s" "outage ${o}s"
	fi
done <"$TMP/outages"
tcp=intact
[ "${TCP_a:-}" = intact ] && [ "${TCP_b:-}" = intact ] || tcp=broken
diag "summary: failover: steps=$STEP_N tcp=$tcp max_outage=$(printf %.2f "$max")s"
check kernel-log-clean dmesg_clean
