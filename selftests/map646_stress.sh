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
#    reinject | fast    map646ctl settings set fast-path off | on
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
	for path in reinject fast; do
		[[ burst-$dir-$path =~ $ONLY ]] && BURSTS+=("burst-$dir-$path")
	done
done
for path in reinject fast; do
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

# ends DIRECTION: set SNS, SEND6, CNS, ADDR for a transfer whose sender
# (in SNS, listening on all addresses of its family: IPv6 if SEND6) is
# reached by the receiver (in CNS) at ADDR
ends() {
	if [ "$1" = 4to6 ]; then
		SNS=$CLIENT SEND6=0 CNS=$SERVER ADDR=$CLIENT_IP6
	else
		SNS=$SERVER SEND6=1 CNS=$CLIENT ADDR=$SERVER_PUB
	fi
}

# set_path reinject|fast
set_path() {
	local fp=off
	[ "$1" = fast ] && fp=on
	q xctl settings set fast-path $fp
}

# hold_setup on|off: the sender of the burst cases (SNS) gets a plug
# qdisc on its link, no tail loss probe and a retransmission timeout of
# at least 5 s, so that its first flight can wait in the plug
hold_setup() {
	local gw=$CLIENT_GW fam=-4 rto=
	[ "$SEND6" = 1 ] && gw=$SERVER_GW6 fam=-6
	[ "$1" = on ] && rto="rto_min 5s"
	if [ "$1" = on ]; then
		steps "tc -n $SNS qdisc add dev eth0 root plug limit 10000000" \
			"tc -n $SNS qdisc change dev eth0 root plug release_indefinite" \
			"in_ns $SNS sysctl -qw net.ipv4.tcp_early_retrans=0" \
			"ip $fam -n $SNS route change default via $gw dev eth0 $rto"
	else
		steps "tc -n $SNS qdisc del dev eth0 root" \
			"in_ns $SNS sysctl -qw net.ipv4.tcp_early_retrans=3" \
			"ip $fam -n $SNS route change default via $gw dev eth0"
	fi
}

# totals of every case's receiver, for the summary line
declare -A TOTAL=([transfers]=0 [ok]=0 [short]=0 [long]=0 [corrupt]=0 [errors]=0)

# verdict NAME N RC T0 [INFO...]: the case's KTAP line, from the first
# line of what its receiver wrote (TMP/NAME.fetched, N transfers
# expected), the status RC of the case, INFO to log, T0 when it started
verdict() {
	local name=$1 n=$2 rc=$3 t0=$4 res kv info
	shift 4
	info="$*"
	res=$(head -n 1 "$TMP/$name.fetched" 2>/dev/null)
	for kv in $res; do
		[ -n "${TOTAL[${kv%%=*}]+set}" ] && TOTAL[${kv%%=*}]=$((TOTAL[${kv%%=*}] + ${kv#*=}))
	done
	diag "$name: ${res:-no result}${info:+ $info} in $((($(_now_ms) - t0) / 1000)) s"
	tail -n +2 "$TMP/$name.fetched" 2>/dev/null | head -n 10 | sed "s/^/# $name: /"
	if [ "$rc" = 0 ] && [[ $res == "transfers=$n ok=$n short=0 long=0 corrupt=0 errors=0 "* ]]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "status $rc: ${res:-no result}"
	fi
}

# burst_case NAME PORT: STRESS_BURSTS connections on which the
# answer ends as one full segment followed at once by a super-packet
# with the FIN (stress_tcp.py burst): the first flight (10 segments)
# waits in the plug until the sender has queued the rest and closed, so
# the first ACK sends the last two packets together, and they reach the
# translator in one batch. Re-injected into GRO, the pair merges; that
# merge must keep every byte.
burst_case() {
	local name=$1 port=$2 dir path i n=${STRESS_BURSTS:-$((3 * SCALE))} rc=0 sync srv fpid t0
	t0=$(_now_ms)
	IFS=- read -r _ dir path <<<"$name"
	ends "$dir"
	set_path "$path" && offload on || { ktap_fail "$name" "cannot configure"; return; }
	bg "$SNS" "$PY" "$ST/stress_tcp.py" burst "$(bind_addr)" "$port" "$TMP/data" "$n" "$TMP/$name" \
		"$TMP/$name.served"
	srv=$BG_PID
	if wait_listen "$SNS" tcp "$port"; then
		bg "$CNS" "$PY" "$ST/stress_tcp.py" fetch "$ADDR" "$port" "$TMP/data" "$n" 1 \
			fixed:23693 "$TMP/$name.fetched"
		fpid=$BG_PID
		for i in $(seq 0 $((n - 1))); do
			sync=$TMP/$name.$i
			wait_for 30 test -e "$sync.ready" &&
				q tc -n "$SNS" qdisc change dev eth0 root plug block &&
				touch "$sync.go" &&
				wait_for 30 test -e "$sync.sent"
			rc=$?
			q tc -n "$SNS" qdisc change dev eth0 root plug release_indefinite
			[ $rc = 0 ] || break
		done
		bg_wait "$fpid" 60 || rc=1
	else
		diag "$name: nothing listens on $port"
		rc=1
	fi
	bg_wait "$srv" 10 || rc=1
	verdict "$name" "$n" $rc "$t0" "$(head -n 1 "$TMP/$name.served" 2>/dev/null)"
}

# phase PATH-OFFLOAD PORT: the transfers of both directions' cases of this
# path and offload setting (those selected), at once and under load
phase() {
	local path=${1%-*} off=${1#*-} port=$2 n=$((N_GSO * SCALE)) gro=on
	local dir name rc t0 srv=() rt0=() fetch=() names=() i
	[ "$off" = nogso ] && n=$((N_NOGSO * SCALE)) gro=off
	for dir in 4to6 6to4; do
		[[ " ${CONFIGS[*]} " == *" $dir-$1 "* ]] && names+=("$dir-$1")
	done
	[ ${#names[@]} = 0 ] && return
	t0=$(_now_ms)
	if ! { set_path "$path" && offload $gro; }; then
		for name in "${names[@]}"; do ktap_fail "$name" "cannot configure"; done
		return
	fi
	for i in "${!names[@]}"; do
		name=${names[$i]}
		ends "${name%%-*}"
		rt0[$i]=$(tcp_counter "$SNS" RetransSegs)
		bg "$SNS" "$PY" "$ST/stress_tcp.py" serve "$(bind_addr)" $((port + i)) "$TMP/data" \
			"$n" "$TMP/$name.served"
		srv[$i]=$BG_PID
		wait_listen "$SNS" tcp $((port + i)) || diag "$name: nothing listens on $((port + i))"
	done
	burners start
	for i in "${!names[@]}"; do
		name=${names[$i]}
		ends "${name%%-*}"
		# a transfer that makes no progress for 2 minutes ends as an error
		bg "$CNS" "$PY" "$ST/stress_tcp.py" fetch "$ADDR" $((port + i)) "$TMP/data" \
			"$n" "$PARALLEL" "mixed:$SEED" "$TMP/$name.fetched"
		fetch[$i]=$BG_PID
	done
	for i in "${!names[@]}"; do
		name=${names[$i]}
		ends "${name%%-*}"
		rc=0
		bg_wait "${fetch[$i]}" $((600 * SCALE)) || rc=1
		bg_wait "${srv[$i]}" 130 || rc=$((rc + 2))
		verdict "$name" "$n" $rc "$t0" "$(head -n 1 "$TMP/$name.served" 2>/dev/null)" \
			"sender_retrans=$(($(tcp_counter "$SNS" RetransSegs) - rt0[$i]))"
	done
	burners stop
}

# bind_addr: all addresses of the sender's family
bind_addr() { if [ "$SEND6" = 1 ]; then echo ::; else echo 0.0.0.0; fi; }

# burners start|stop: STRESS_LOAD busy loops
BURNERS=()
burners() {
	local i
	if [ "$1" = start ]; then
		for i in $(seq 1 "$LOAD"); do
			bg "$XLAT" sh -c 'while :; do :; done'
			BURNERS+=("$BG_PID")
		done
	elif [ ${#BURNERS[@]} -gt 0 ]; then
		bg_kill "${BURNERS[@]}"
		BURNERS=()
	fi
}

port=5000
held=
for c in "${BURSTS[@]}"; do
	dir=${c#burst-}
	dir=${dir%-*}
	if [ "$held" != "$dir" ]; then
		[ -n "$held" ] && { ends "$held" && hold_setup off || ktap_bail "cannot undo the hold for $held"; }
		ends "$dir"
		hold_setup on || ktap_bail "cannot hold the first flight of $dir"
		held=$dir
	fi
	burst_case "$c" $port
	port=$((port + 100))
done
[ -n "$held" ] && { ends "$held" && hold_setup off || ktap_bail "cannot undo the hold for $held"; }
port=6000
for p in reinject-gso reinject-nogso fast-gso fast-nogso; do
	phase $p $port
	port=$((port + 2))
done
check "kernel-log-clean" dmesg_clean
diag "summary: stress: transfers=${TOTAL[transfers]} ok=${TOTAL[ok]} short=${TOTAL[short]}" \
	"long=${TOTAL[long]} corrupt=${TOTAL[corrupt]} errors=${TOTAL[errors]}" \
	"($((${#BURSTS[@]} + ${#CONFIGS[@]})) cases, scale $SCALE)"
