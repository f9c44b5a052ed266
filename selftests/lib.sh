#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for the map646 selftests. A test script starts with
#
#	. "$(dirname "$0")/lib.sh"
#	ktap_plan N		# N cases; lib.sh adds a final "cleanup" case
#
# and then reports each case with ktap_ok / ktap_fail / ktap_skip or one of
# the check_* helpers. Output is KTAP; the script exits non-zero if a case
# failed or fewer cases than planned were reported. On exit, everything the
# script created (namespaces, background processes, the temporary directory)
# is removed and checked to be gone: that is the "cleanup" case.
#
# Standard topology (topo_standard [TAG]); namespace names end in TAG-$$:
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ $CLIENT  (IPv4 only)  │   │ $XLAT   (forwarding v4 + v6)   │   │ $SERVER  (IPv6 only)     │
#  │                       │   │                                │   │                          │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │ default via           │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │   198.51.100.1        │   │                                │   │ default via 2001:db8:1::1│
#  │ disable_ipv6=1        │   │ map646 (type map646)           │   │                          │
#  └───────────────────────┘   │   192.0.2.0/24   dev map646    │   └──────────────────────────┘
#                              │   64:ff9b::/96   dev map646    │
#                              │   prefix 64:ff9b::/96          │
#                              │   192.0.2.10 <-> 2001:db8:1::10│
#                              └────────────────────────────────┘
#
#  The client reaches the server as 192.0.2.10; the server sees the client as
#  64:ff9b::198.51.100.7 (= 64:ff9b::c633:6407).

set -u

ST=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$ST/.." && pwd)
MAP646CTL=${MAP646CTL:-$TOP/tools/map646ctl}
PY=/usr/bin/python3	# Debian's interpreter, whatever else is on PATH
TEST_NAME=$(basename "$0" .sh)
# How many times slower than the stock kernel this kernel moves packets
# and answers syscalls (check.sh sets it from kernel.sh's KSLOW: 8 for the
# debug kernel): time limits of waits are multiplied by it. Volumes stay.
M646_SLOW=${M646_SLOW:-1}

# Addresses of the standard topology.
CLIENT_IP=198.51.100.7
CLIENT_GW=198.51.100.1
SERVER_IP6=2001:db8:1::10
SERVER_GW6=2001:db8:1::1
SERVER_PUB=192.0.2.10
PREFIX=64:ff9b::/96
CLIENT_IP6=64:ff9b::198.51.100.7	# the client as the server sees it

# The paths a device can translate on (map646ctl setting "path"), the
# default first: suites that must hold on every path run once per path.
XLAT_PATHS=${XLAT_PATHS:-prerouting device}

# ---------------------------------------------------------------- KTAP --

_ktap_plan=0 _ktap_n=0 _ktap_pass=0 _ktap_fail=0 _ktap_skip=0

# ktap_plan N: N cases, plus the automatic "cleanup" case at exit.
ktap_plan() {
	_ktap_plan=$(($1 + 1))
	echo "KTAP version 1"
	echo "# $TEST_NAME"
	echo "1..$_ktap_plan"
}

# diag TEXT...: a diagnostic line (KTAP "# " comment).
diag() { echo "# $*"; }

ktap_ok() {
	_ktap_n=$((_ktap_n + 1)) _ktap_pass=$((_ktap_pass + 1))
	echo "ok $_ktap_n $1"
}

# ktap_fail NAME REASON
ktap_fail() {
	_ktap_n=$((_ktap_n + 1)) _ktap_fail=$((_ktap_fail + 1))
	echo "# $1: ${2:-failed}"
	echo "not ok $_ktap_n $1"
}

# ktap_skip NAME REASON
ktap_skip() {
	_ktap_n=$((_ktap_n + 1)) _ktap_skip=$((_ktap_skip + 1))
	echo "ok $_ktap_n $1 # SKIP ${2:-}"
}

# ktap_bail REASON: stop here; cases not reported count as failed.
ktap_bail() {
	echo "Bail out! $*"
	exit 1
}

# check NAME CMD...: ok if CMD succeeds (its output goes to the log as
# diagnostics).
check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && sed 's/^/#   /' <<<"$out" | tail -n 20
	if [ $rc = 0 ]; then ktap_ok "$name"; else ktap_fail "$name" "exit $rc: $*"; fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "expected '$2', got '$3'"
	fi
}

# check_ge NAME MIN ACTUAL: integers
check_ge() {
	if [[ $3 =~ ^[0-9]+$ ]] && [ "$3" -ge "$2" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "expected >= $2, got '$3'"
	fi
}

# ------------------------------------------------------------ objects --

TMP=$(mktemp -d "/tmp/$TEST_NAME.XXXXXX")
_ns_list=()
_pids=()

# ns_new VAR TAG: create namespace TAG-$$ with lo up, store its name in VAR.
ns_new() {
	local name="$2-$$"
	ip netns add "$name" || return 1
	_ns_list+=("$name")
	ip -n "$name" link set lo up
	printf -v "$1" %s "$name"
}

# ns_del NAME: delete a namespace (and its processes) now.
ns_del() {
	_ns_kill_pids "$1"
	ip netns del "$1"
}

# in_ns NS CMD...: run CMD in NS.
in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# bg NS CMD...: start CMD in NS in the background; its pid lands in BG_PID
# (killed at exit if still running).
bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	BG_PID=$!
	_pids+=("$BG_PID")
}

# bg_wait PID [TIMEOUT]: wait for a background command to end (polling,
# default 30 s); returns its status, 124 if it did not end in time.
bg_wait() {
	wait_for "${2:-30}" _gone "$1" || return 124
	_forget "$1"
	wait "$1" 2>/dev/null
}

# bg_kill PID...: stop background commands and reap them.
bg_kill() {
	local p
	for p in "$@"; do kill "$p" 2>/dev/null; done
	for p in "$@"; do
		wait_for 5 _gone "$p" || kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		_forget "$p"
	done
	return 0
}

# a reaped pid may be reused: stop tracking it
_forget() {
	local i
	for i in "${!_pids[@]}"; do
		[ "${_pids[$i]}" = "$1" ] && unset "_pids[$i]"
	done
}

_gone() { ! kill -0 "$1" 2>/dev/null || [ "$(ps -o stat= -p "$1" 2>/dev/null)" = Z ]; }

_ns_kill_pids() {
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null)
	[ -n "$pids" ] || return 0
	kill $pids 2>/dev/null
	wait_for 5 _ns_empty "$1" || kill -9 $(ip netns pids "$1" 2>/dev/null) 2>/dev/null
	wait_for 2 _ns_empty "$1"
}

_ns_empty() { [ -z "$(ip netns pids "$1" 2>/dev/null)" ]; }

_cleanup() {
	local rc=$? ns p nslist left=""
	trap - EXIT
	set +e
	for p in "${_pids[@]}"; do kill "$p" 2>/dev/null; done
	for ns in "${_ns_list[@]}"; do
		[ -e "/run/netns/$ns" ] || continue
		_ns_kill_pids "$ns"
		ip netns del "$ns"
	done
	for p in "${_pids[@]}"; do
		wait_for 5 _gone "$p" || kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"

	# verify
	nslist=" $(ip netns list | cut -d' ' -f1 | xargs) "
	for ns in "${_ns_list[@]}"; do
		[[ $nslist == *" $ns "* ]] && left="$left netns:$ns"
	done
	for p in "${_pids[@]}"; do
		kill -0 "$p" 2>/dev/null && left="$left pid:$p"
	done
	[ -e "$TMP" ] && left="$left $TMP"
	ip -o link show | grep -q -- "-$$[:@]" && left="$left link:*-$$"
	if [ "$_ktap_plan" -gt 0 ]; then
		if [ -z "$left" ]; then ktap_ok cleanup; else ktap_fail cleanup "left behind:$left"; fi
		echo "# Totals: pass:$_ktap_pass fail:$_ktap_fail xfail:0 xpass:0 skip:$_ktap_skip error:0"
		[ $_ktap_fail = 0 ] && [ $_ktap_n = "$_ktap_plan" ] || exit 1
		exit 0
	fi
	exit $rc
}
trap _cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- waits --

_now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# wait_for TIMEOUT_S CMD...: poll CMD every 0.1 s until it succeeds
# (TIMEOUT_S times M646_SLOW).
wait_for() {
	local end=$(($(_now_ms) + $1 * 1000 * M646_SLOW))
	shift
	until "$@"; do
		[ "$(_now_ms)" -ge $end ] && return 1
		sleep 0.1
	done
}

# wait_listen NS tcp|udp PORT: until something listens on PORT in NS.
wait_listen() {
	local f=-t
	[ "$2" = udp ] && f=-u
	wait_for 20 _listening "$1" $f "$3"
}
_listening() { [ -n "$(ip netns exec "$1" ss -Hln "$2" "sport = :$3" 2>/dev/null)" ]; }

# wait_file FILE PATTERN [TIMEOUT]: until FILE contains PATTERN (grep -E).
wait_file() { wait_for "${3:-10}" grep -qE -- "$2" "$1" 2>/dev/null; }

# ------------------------------------------------------------- map646 --

# xctl [map646ctl args]: map646ctl in the translator namespace $XLAT.
xctl() { ip netns exec "$XLAT" "$MAP646CTL" "$@"; }

# stat_get NAME [DEV] [NS]: one counter from `map646ctl stats` (empty and
# status 1 if it cannot be read).
stat_get() {
	local n v
	while read -r n v; do
		[ "$n" = "$1" ] && { echo "$v"; return 0; }
	done < <(ip netns exec "${3:-$XLAT}" "$MAP646CTL" -d "${2:-map646}" stats)
	return 1
}

# stats_save FILE [DEV] [NS]: all counters to FILE; stats_delta OLD NEW:
# "name delta" for each counter that moved.
stats_save() {
	ip netns exec "${3:-$XLAT}" "$MAP646CTL" -d "${2:-map646}" stats >"$1"
}
stats_delta() {
	awk 'NR == FNR { old[$1] = $2; next } $2 != old[$1] { print $1, $2 - old[$1] }' "$1" "$2"
}

# ping_recv NS PING-ARGS...: number of echo replies received.
ping_recv() {
	local ns=$1 out
	shift
	out=$(ip netns exec "$ns" ping -n -q "$@" 2>&1)
	if [[ $out =~ ([0-9]+)\ received ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}

# cap_start NS FILTER: tcpdump for one packet matching FILTER on NS's eth0
# (waits until it listens); cap_stop [TIMEOUT]: wait for that packet
# (default 5 s) and log it; cap_field NAME: the number after "NAME " in it.
cap_start() {
	rm -f "$TMP/cap.out" "$TMP/cap.err"
	bg "$1" tcpdump -l -n -v -c 1 -i eth0 "$2" >"$TMP/cap.out" 2>"$TMP/cap.err"
	CAP_PID=$BG_PID
	wait_file "$TMP/cap.err" "listening on" || diag "tcpdump did not start: $(cat "$TMP/cap.err")"
}
cap_stop() {
	bg_wait $CAP_PID "${1:-5}" || bg_kill $CAP_PID
	sed 's/^/# tcpdump: /' "$TMP/cap.out"
}
cap_field() { grep -o "$1 [0-9]*" "$TMP/cap.out" | head -n 1 | cut -d' ' -f2; }

# q CMD...: run CMD quietly; on failure log it with its output, return 1.
q() {
	local out
	out=$("$@" 2>&1) || {
		diag "setup step failed: $*"
		[ -n "$out" ] && sed 's/^/#   /' <<<"$out"
		return 1
	}
}

# steps CMD...: eval each command string in turn (quietly); stop at the
# first failure, log it and return 1.
steps() {
	local c
	for c in "$@"; do
		q eval "$c" || return 1
	done
}

# xlat_dev_add NS DEV [PREFIX]: create a map646 device in NS, bring it up
# and set its prefix (default 64:ff9b::/96). Routes are the caller's.
xlat_dev_add() {
	q ip -n "$1" -b - <<-EOF || return 1
		link add $2 type map646
		link set $2 up
	EOF
	q ip netns exec "$1" "$MAP646CTL" -d "$2" prefix set "${3:-$PREFIX}"
}

# xlat_path PATH [DEV] [NS]: make DEV (map646) of NS ($XLAT) translate on
# PATH.
xlat_path() {
	q ip netns exec "${3:-$XLAT}" "$MAP646CTL" -d "${2:-map646}" settings set path "$1"
}

# xlat_std NS: the translator of the standard topology in NS: device
# map646 with its prefix, routes and the one mapping.
xlat_std() {
	xlat_dev_add "$1" map646 || return 1
	q ip -n "$1" -b - <<-EOF || return 1
		route add 192.0.2.0/24 dev map646
		route add $PREFIX dev map646
	EOF
	q ip netns exec "$1" "$MAP646CTL" -d map646 add "$SERVER_PUB" "$SERVER_IP6"
}

# topo_standard [TAG]: build the standard topology drawn above; sets
# CLIENT, XLAT and SERVER. Checks plain reachability of the neighbours (no
# translation involved) before returning.
topo_standard() {
	local t=${1:-}
	ns_new CLIENT "c4$t" && ns_new XLAT "xl$t" && ns_new SERVER "s6$t" || return 1
	q in_ns "$CLIENT" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 || return 1
	q in_ns "$XLAT" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
		net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 || return 1
	q in_ns "$SERVER" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 || return 1
	q ip -b - <<-EOF || return 1
		link add eth0 netns $CLIENT type veth peer name to-c4 netns $XLAT
		link add eth0 netns $SERVER type veth peer name to-s6 netns $XLAT
	EOF
	q ip -n "$CLIENT" -b - <<-EOF || return 1
		addr add $CLIENT_IP/24 dev eth0
		link set eth0 up
		route add default via $CLIENT_GW
	EOF
	q ip -n "$XLAT" -b - <<-EOF || return 1
		addr add $CLIENT_GW/24 dev to-c4
		addr add $SERVER_GW6/64 dev to-s6 nodad
		link set to-c4 up
		link set to-s6 up
	EOF
	q ip -6 -n "$SERVER" -b - <<-EOF || return 1
		addr add $SERVER_IP6/64 dev eth0 nodad
		link set eth0 up
		route add default via $SERVER_GW6
	EOF
	xlat_std "$XLAT" || return 1
	wait_for 10 in_ns "$CLIENT" ping -c 1 -W 1 -q "$CLIENT_GW" >/dev/null ||
		{ diag "client4 cannot reach its gateway"; return 1; }
	wait_for 10 in_ns "$SERVER" ping -c 1 -W 1 -q "$SERVER_GW6" >/dev/null ||
		{ diag "server6 cannot reach its gateway"; return 1; }
}

# topo_server_b: a second server beside the standard topology's, holding
# the same address: namespace SERVERB, eth0 2001:db8:b::10/64 and
# 2001:db8:1::10/128, linked to the translator's to-sb 2001:db8:b::1/64.
# Routes to it are the caller's.
topo_server_b() {
	ns_new SERVERB sb || return 1
	steps "ip link add eth0 netns $SERVERB type veth peer name to-sb netns $XLAT" \
		"ip -n $XLAT addr add 2001:db8:b::1/64 dev to-sb nodad" \
		"ip -n $XLAT link set to-sb up" \
		"in_ns $SERVERB sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0" \
		"ip -n $SERVERB addr add 2001:db8:b::10/64 dev eth0 nodad" \
		"ip -n $SERVERB addr add $SERVER_IP6/128 dev eth0 nodad" \
		"ip -n $SERVERB link set eth0 up" \
		"ip -n $SERVERB -6 route add default via 2001:db8:b::1" || return 1
	wait_for 10 in_ns "$SERVERB" ping -6 -c 1 -W 1 -q 2001:db8:b::1 >/dev/null ||
		{ diag "server B cannot reach the translator"; return 1; }
}

# dmesg_mark: remember where the kernel log is; dmesg_new: print what came
# since; dmesg_clean: no warning, bug or oops since the mark.
dmesg_mark() { _dmesg_mark=$(dmesg | wc -l); }
dmesg_new() { dmesg | tail -n +$((${_dmesg_mark:-0} + 1)); }
KERNEL_BAD='WARNING:|BUG:|Oops|KASAN|general protection|Call Trace|RCU.*stall|suspicious RCU usage|UBSAN'
dmesg_clean() { ! dmesg_new | grep -E "$KERNEL_BAD"; }

[ -x "$MAP646CTL" ] || ktap_bail "$MAP646CTL not built"
