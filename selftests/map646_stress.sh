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
#  One case per configuration, DIRECTION-PATH-OFFLOAD:
#    4to6   server6 connects to [64:ff9b::198.51.100.7], client4 sends and
#           closes (the IPv4 host answers a connection from the IPv6 side)
#    6to4   client4 connects to 192.0.2.10, server6 sends and closes
#    reinject | fast    map646ctl settings set fast-path off | on
#    gso    TSO/GSO on in both end hosts, GRO on the map646 device: the
#           translator sees 64 KiB super-packets and re-injects into GRO
#    nogso  the control: all of them off, every packet one segment
#  Transfers are around 6 MB or of odd small sizes, written in one go or
#  in pieces of various sizes (stress_tcp.py); STRESS_LOAD CPU burners
#  (default: one per CPU) compete with them, so softirq work is deferred
#  to ksoftirqd and packets reach the translator and its GRO in batches.
#  The case passes if every transfer arrived whole.
#
# env: STRESS_SCALE (default 1: sized for make check; `make stress` runs
#      more), STRESS_LOAD (CPU burners, default the number of CPUs),
#      STRESS_PARALLEL (transfers at once, default 4), STRESS_ONLY (a
#      regular expression: run only the configurations it matches; the
#      others are reported as skipped), STRESS_SEED (default 1)
. "$(dirname "$0")/lib.sh"

SCALE=${STRESS_SCALE:-1}
LOAD=${STRESS_LOAD:-$(nproc)}
PARALLEL=${STRESS_PARALLEL:-4}
ONLY=${STRESS_ONLY:-.}
SEED=${STRESS_SEED:-1}
# transfers per configuration at scale 1; the controls move every byte as
# a single segment, which costs the guest far more time per byte
N_GSO=24
N_NOGSO=8

CONFIGS=()
for dir in 4to6 6to4; do
	for path in reinject fast; do
		for off in gso nogso; do CONFIGS+=("$dir-$path-$off"); done
	done
done
ktap_plan $((${#CONFIGS[@]} + 1))
topo_standard || ktap_bail "topology setup failed"
dmesg_mark
diag "scale $SCALE, $LOAD CPU burners, $PARALLEL transfers at once, seed $SEED"

head -c $((8 * 1024 * 1024)) /dev/urandom >"$TMP/data"
for i in $(seq 1 "$LOAD"); do
	bg "$XLAT" sh -c 'while :; do :; done'
done

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

# run_config NAME PORT: one configuration's transfers, one KTAP case
run_config() {
	local name=$1 port=$2 dir path off n sns bind cns addr srv rc rt0 res
	IFS=- read -r dir path off <<<"$name"
	if ! [[ $name =~ $ONLY ]]; then
		ktap_skip "$name" "not in STRESS_ONLY=$ONLY"
		return
	fi
	n=$((N_GSO * SCALE))
	[ "$off" = nogso ] && n=$((N_NOGSO * SCALE))
	if [ "$dir" = 4to6 ]; then
		sns=$CLIENT bind=0.0.0.0 cns=$SERVER addr=$CLIENT_IP6
	else
		sns=$SERVER bind=:: cns=$CLIENT addr=$SERVER_PUB
	fi
	local fp=off gro=on
	[ "$path" = fast ] && fp=on
	[ "$off" = nogso ] && gro=off
	q xctl settings set fast-path $fp && offload $gro ||
		{ ktap_fail "$name" "cannot configure"; return; }
	rt0=$(tcp_counter "$sns" RetransSegs)
	bg "$sns" "$PY" "$ST/stress_tcp.py" serve "$bind" "$port" "$TMP/data" "$n" "$TMP/$name.served"
	srv=$BG_PID
	wait_listen "$sns" tcp "$port" || { ktap_fail "$name" "nothing listens on $port"; return; }
	# a transfer that makes no progress for 2 minutes ends as an error
	in_ns "$cns" "$PY" "$ST/stress_tcp.py" fetch "$addr" "$port" "$TMP/data" \
		"$n" "$PARALLEL" "$SEED" "$TMP/$name.fetched"
	rc=$?
	bg_wait "$srv" 130 || rc=$((rc + 100))
	res=$(head -n 1 "$TMP/$name.fetched" 2>/dev/null)
	diag "$name: $res served=$(sed -n 's/^served=\([0-9]*\).*/\1/p' "$TMP/$name.served" 2>/dev/null)" \
		"sender_retrans=$(($(tcp_counter "$sns" RetransSegs) - rt0))"
	tail -n +2 "$TMP/$name.fetched" 2>/dev/null | head -n 10 | sed "s/^/# $name: /"
	if [ $rc = 0 ] && [[ $res == "transfers=$n ok=$n short=0 long=0 corrupt=0 errors=0 "* ]]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "status $rc: ${res:-no result}"
	fi
}

port=6000
for c in "${CONFIGS[@]}"; do
	run_config "$c" $port
	port=$((port + 1))
done
check "kernel-log-clean" dmesg_clean
