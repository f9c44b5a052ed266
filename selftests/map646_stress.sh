#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Send-and-close TCP stress: many transfers, several at once, where the
# sending side writes its answer and close()s at once; every transfer is
# checked on the receiving side by length and sha256 (stress_tcp.py). A
# receiver that sees a clean end of stream before the last byte ("short")
# got a segment shorter than it was sent or a FIN too soon: data lost
# without an error, what issue #13 saw 2 times in 48 runs.
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │                       │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │                          │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
#
#  Cases are named DIRECTION-PATH[-OFFLOAD]:
#    4to6   server6 connects to [64:ff9b::198.51.100.7], client4 sends and
#           closes (the IPv4 host answers a connection from the IPv6 side)
#    6to4   client4 connects to 192.0.2.10, server6 sends and closes
#    device | prerouting    map646ctl settings set path device | prerouting
#    gso    TSO/GSO on in both end hosts, GRO on the map646 device: the
#           translator sees 64 KiB super-packets and re-injects into GRO
#    nogso  the control: all of them off, every packet one segment
#
#  burst-DIRECTION-PATH: connections whose answer ends as one full segment
#    followed at once by a super-packet with the rest and the FIN, which
#    reach the translator in one batch: the pattern that lost data (GRO
#    merged the pair and kept only the first packet's bytes, and the FIN).
#    Offloads on. STRESS_BURSTS connections per case.
#  DIRECTION-PATH-OFFLOAD: transfers around 6 MB or of odd small sizes,
#    written in one go or in pieces of various sizes (stress_tcp.py),
#    STRESS_PARALLEL at a time; both directions of a PATH-OFFLOAD run at
#    once, while STRESS_LOAD CPU burners compete with them, so softirq
#    work is deferred to ksoftirqd and packets reach the translator and
#    its GRO in batches.
#  A case passes if every transfer arrived whole.
#
# env: STRESS_SCALE (default 1: sized for make check; `make stress` runs
#      more), STRESS_LOAD (CPU burners, default the number of CPUs),
#      STRESS_PARALLEL (transfers at once per direction, default 4),
#      STRESS_ONLY (a regular expression: only the cases it matches are
#      planned and run), STRESS_SEED (default 1), STRESS_BURSTS
#      (connections per burst case, default 3 x STRESS_SCALE)
. "$(dirname "$0")/lib.sh"

SCALE=${STRESS_SCALE:-1}
LOAD=${STRESS_LOAD:-$(nproc)}
PARALLEL=${STRESS_PARALLEL:-4}
ONLY=${STRESS_ONLY:-.}
SEED=${STRESS_SEED:-1}
# transfers per configuration at scale 1; the controls move every byte as
# a single segment, which costs the guest far more time per byte
N_GSO=12
N_NOGSO=4

BURSTS=()
CONFIGS=()
for dir in 4to6 6to4; do
	for path in device prerouting; do
		[[ burst-$dir-$path =~ $ONLY ]] && BURSTS+=("burst-$dir-$path")
	done
done
for path in device prerouting; do
	for off in gso nogso; do
		for dir in 4to6 6to4; do
			[[ $dir-$path-$off =~ $ONLY ]] && CONFIGS+=("$dir-$path-$off")
		done
	done
done
ktap_plan $((${#BURSTS[@]} + ${#CONFIGS[@]} + 1))
topo_standard || ktap_bail "topology setup failed"
dmesg_mark
diag "scale $SCALE, $LOAD CPU burners, $PARALLEL transfers at once, seed $SEED"

head -c $((8 * 1024 * 1024)) /dev/urandom >"$TMP/data"

# tcp_counter NS NAME: a Tcp row counter of NS's kernel (both families)
tcp_counter() {
	in_ns "$1" awk -v n="$2" '$1 == "Tcp:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == "Tcp:" { print $col[n]; exit }' /proc/net/snmp
}

# offload on|off: segmentation offload in both end hosts and GRO on the
# translator's device
offload() {
	steps "in_ns $CLIENT ethtool -K eth0 tso $1 gso $1" \
		"in_ns $SERVER ethtool -K eth0 tso $1 gso $1" \
		"in_ns $XLAT ethtool -K map646 gro $1"
}

# set_path device|prerouting
set_path() {
	q xctl settings set path "$1"
}

# ends DIRECTION: set SNS, CNS, ADDR, BIND, GW for a transfer whose sender
# (in SNS, listening on BIND, its default route via GW) is reached by the
# receiver (in CNS) at ADDR
ends() {
	if [ "$1" = 4to6 ]; then
		SNS=$CLIENT CNS=$SERVER ADDR=$CLIENT_IP6 BIND=0.0.0.0 GW=$CLIENT_GW
	else
		SNS=$SERVER CNS=$CLIENT ADDR=$SERVER_PUB BIND=:: GW=$SERVER_GW6
	fi
}

# Long-lived senders and receivers (stress_tcp.py), started once per
# direction before any load: "serve" and its "fetch" for the mixed
# transfers (port 6000 / 6001), "burst" and its "fetch" for the burst
# cases (port 5000 / 5001). A fetch runs a round of transfers per case
# (round_start, round_wait); BURST_NEXT is the index of the next
# connection of each direction's burst sender.
declare -A ROUND=() BURST_NEXT=()
start_ends() {
	local dir=$1 port=$2
	ends "$dir"
	bg "$SNS" "$PY" "$ST/stress_tcp.py" serve "$BIND" "$port" "$TMP/data" "$TMP/serve-$dir.log"
	bg "$SNS" "$PY" "$ST/stress_tcp.py" burst "$BIND" $((port - 1000)) "$TMP/data" \
		"$TMP/b-$dir" "$TMP/burst-$dir.log"
	bg "$CNS" "$PY" "$ST/stress_tcp.py" fetch "$ADDR" "$port" "$TMP/data" "$PARALLEL" \
		"mixed:$SEED" "$TMP/m-$dir"
	bg "$CNS" "$PY" "$ST/stress_tcp.py" fetch "$ADDR" $((port - 1000)) "$TMP/data" 1 \
		fixed:23693 "$TMP/f-$dir"
	ROUND[m-$dir]=0 ROUND[f-$dir]=0 BURST_NEXT[$dir]=0
	wait_listen "$SNS" tcp "$port" && wait_listen "$SNS" tcp $((port - 1000))
}

# round_start FETCH COUNT: the next round of COUNT transfers of fetch
# FETCH (m-DIR or f-DIR); round_wait FETCH: until it is done (RESULT is
# its result file)
round_start() { echo "$2" >"$TMP/go.tmp" && mv "$TMP/go.tmp" "$TMP/$1.${ROUND[$1]}.go"; }
round_wait() {
	RESULT=$TMP/$1.${ROUND[$1]}.result
	wait_for $((300 * SCALE)) test -e "$TMP/$1.${ROUND[$1]}.done"
	local rc=$?
	ROUND[$1]=$((ROUND[$1] + 1))
	return $rc
}

# totals of every case's receiver, for the summary line
declare -A TOTAL=([transfers]=0 [ok]=0 [short]=0 [long]=0 [corrupt]=0 [errors]=0)

# verdict NAME N RC T0 [INFO...]: the case's KTAP line, from the first
# line of RESULT (N transfers expected), the status RC of the case, INFO
# to log, T0 when it started
verdict() {
	local name=$1 n=$2 rc=$3 t0=$4 res kv info
	shift 4
	info="$*"
	res=$(head -n 1 "$RESULT" 2>/dev/null)
	for kv in $res; do
		[ -n "${TOTAL[${kv%%=*}]+set}" ] && TOTAL[${kv%%=*}]=$((TOTAL[${kv%%=*}] + ${kv#*=}))
	done
	diag "$name: ${res:-no result}${info:+ $info} in $((($(_now_ms) - t0) / 1000)) s"
	tail -n +2 "$RESULT" 2>/dev/null | head -n 10 | sed "s/^/# $name: /"
	if [ "$rc" = 0 ] && [[ $res == "transfers=$n ok=$n short=0 long=0 corrupt=0 errors=0 "* ]]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "status $rc: ${res:-no result}"
	fi
}

# hold_setup on|off: the sender of the burst cases (SNS) gets a plug
# qdisc on its link, no tail loss probe and a retransmission timeout of
# at least 5 s, so that its first flight can wait in the plug
hold_setup() {
	local fam=-4
	[ "$BIND" = :: ] && fam=-6
	if [ "$1" = on ]; then
		steps "tc -n $SNS qdisc add dev eth0 root plug limit 10000000" \
			"tc -n $SNS qdisc change dev eth0 root plug release_indefinite" \
			"in_ns $SNS sysctl -qw net.ipv4.tcp_early_retrans=0" \
			"ip $fam -n $SNS route change default via $GW dev eth0 rto_min 5s"
	else
		steps "tc -n $SNS qdisc del dev eth0 root" \
			"in_ns $SNS sysctl -qw net.ipv4.tcp_early_retrans=3" \
			"ip $fam -n $SNS route change default via $GW dev eth0"
	fi
}

# burst_case NAME: STRESS_BURSTS connections on which the answer ends as
# one full segment followed at once by a super-packet with the FIN
# (stress_tcp.py burst): the first flight (10 segments) waits in the plug
# until the sender has queued the rest and closed, so the first ACK sends
# the last two packets together, and they reach the translator in one
# batch. Re-injected into GRO, the pair merges; that merge must keep
# every byte.
burst_case() {
	local name=$1 dir path n=${STRESS_BURSTS:-$((3 * SCALE))} rc=0 sync t0 logged
	t0=$(_now_ms)
	IFS=- read -r _ dir path <<<"$name"
	ends "$dir"
	set_path "$path" && offload on || { ktap_fail "$name" "cannot configure"; return; }
	logged=$(wc -l <"$TMP/burst-$dir.log" 2>/dev/null || echo 0)
	round_start "f-$dir" "$n"
	for _ in $(seq 1 "$n"); do
		sync=$TMP/b-$dir.${BURST_NEXT[$dir]}
		BURST_NEXT[$dir]=$((BURST_NEXT[$dir] + 1))
		wait_for 30 test -e "$sync.ready" &&
			q tc -n "$SNS" qdisc change dev eth0 root plug block &&
			touch "$sync.go" &&
			wait_for 30 test -e "$sync.sent"
		rc=$?
		q tc -n "$SNS" qdisc change dev eth0 root plug release_indefinite
		[ $rc = 0 ] || break
	done
	round_wait "f-$dir" || rc=1
	verdict "$name" "$n" $rc "$t0" "sender: $(tail -n +$((logged + 1)) "$TMP/burst-$dir.log" 2>/dev/null |
		sort | uniq -c | xargs)"
}

# burners start|stop: STRESS_LOAD busy loops
BURNERS=()
burners() {
	if [ "$1" = start ]; then
		for _ in $(seq 1 "$LOAD"); do
			bg "$XLAT" sh -c 'while :; do :; done'
			BURNERS+=("$BG_PID")
		done
	elif [ ${#BURNERS[@]} -gt 0 ]; then
		bg_kill "${BURNERS[@]}"
		BURNERS=()
	fi
}

# phase PATH-OFFLOAD: the transfers of both directions' cases of this
# path and offload setting (those selected), at once and under load
phase() {
	local path=${1%-*} off=${1#*-} n=$((N_GSO * SCALE)) gro=on dir name rc t0
	local -A rt0=()
	[ "$off" = nogso ] && n=$((N_NOGSO * SCALE)) gro=off
	local dirs=()
	for dir in 4to6 6to4; do
		[[ " ${CONFIGS[*]} " == *" $dir-$1 "* ]] && dirs+=("$dir")
	done
	[ ${#dirs[@]} = 0 ] && return
	t0=$(_now_ms)
	if ! { set_path "$path" && offload $gro; }; then
		for dir in "${dirs[@]}"; do ktap_fail "$dir-$1" "cannot configure"; done
		return
	fi
	burners start
	for dir in "${dirs[@]}"; do
		ends "$dir"
		rt0[$dir]=$(tcp_counter "$SNS" RetransSegs)
		round_start "m-$dir" "$n"
	done
	for dir in "${dirs[@]}"; do
		ends "$dir"
		rc=0
		round_wait "m-$dir" || rc=1
		verdict "$dir-$1" "$n" $rc "$t0" \
			"sender_retrans=$(($(tcp_counter "$SNS" RetransSegs) - rt0[$dir]))"
	done
	burners stop
}

port=6000
for dir in 4to6 6to4; do
	if [[ " ${BURSTS[*]} ${CONFIGS[*]} " == *"$dir-"* ]]; then
		start_ends "$dir" $port || ktap_bail "the $dir ends did not start"
	fi
	port=$((port + 1))
done
held=
for c in "${BURSTS[@]}"; do
	dir=${c#burst-}
	dir=${dir%-*}
	if [ "$held" != "$dir" ]; then
		[ -n "$held" ] && { ends "$held" && hold_setup off || ktap_bail "cannot undo the hold of $held"; }
		ends "$dir"
		hold_setup on || ktap_bail "cannot hold the first flight of $dir"
		held=$dir
	fi
	burst_case "$c"
done
[ -n "$held" ] && { ends "$held" && hold_setup off || ktap_bail "cannot undo the hold of $held"; }
for p in device-gso device-nogso prerouting-gso prerouting-nogso; do
	phase $p
done
touch "$TMP/m-4to6.end" "$TMP/m-6to4.end" "$TMP/f-4to6.end" "$TMP/f-6to4.end"
cat "$TMP"/serve-*.log 2>/dev/null | head -n 10 | sed 's/^/# /'
check "kernel-log-clean" dmesg_clean
diag "summary: stress: transfers=${TOTAL[transfers]} ok=${TOTAL[ok]} short=${TOTAL[short]}" \
	"long=${TOTAL[long]} corrupt=${TOTAL[corrupt]} errors=${TOTAL[errors]}" \
	"($((${#BURSTS[@]} + ${#CONFIGS[@]})) cases, scale $SCALE)"
