#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mapping table follows etcd: the two translators of map646_failover.sh
# (BIRD, OSPF, equal-cost routes) each run map646-agent on the same key
# prefix of a three-member etcd cluster. 200 changes written to etcd
# (adds, deletes, addresses moved to another server, a delete and an add in
# one transaction, a prefix change) are timed from the write to the
# translated packet on both translators (etcd_sync.py). Then: one member
# stopped (changes still arrive), all stopped (translation goes on, the
# agents say so), all restarted (the agents catch up), an agent stopped
# while 50 changes are made and etcd is compacted (it converges when it
# starts). A TCP transfer and a ping stream cross translator A throughout:
# nothing may be lost while its table is swapped.
#
#   client ── r4 ══ xa, xb ══ r6 ── server     (map646_failover.sh's drawing)
#                   │    │
#                mgmt    mgmt  2001:db8:e7c::a, ::b
#                   │    │
#   ┌───────────────┴────┴──────── br0 in $LAN, 2001:db8:e7c::c/64 ─────┐
#   │  e1 2001:db8:e7c::1     e2 2001:db8:e7c::2     e3 2001:db8:e7c::3  │
#   │  etcd members: clients :2379, peers :2380                          │
#   └────────────────────────────────────────────────────────────────────┘
#
#  Keys: /map646/map646/ (device map646 on both translators). The
#  translators' own map646.conf holds only their routes (192.0.2.0/24,
#  64:ff9b::/96 and 2001:db8:64::/96 into the device). r6 routes the extra
#  servers 2001:db8:1::1:0/112 to the server, which takes them as local.
#  Probes for the timing leave r4 through to-xa and to-xb; the latency of a
#  change is the slower translator's.
#
#  Prints "summary: etcd-sync: changes=N p50=Xs p99=Ys translators=2
#  identical=yes" (make check shows summary lines).
#  Env: ETCD_SYNC_P99 (seconds the p99 may reach, default 1 times M646_SLOW)
# timeout: 600
. "$(dirname "$0")/lib.sh"
XLAT_CONF_DIR=$TMP/conf
. "$(dirname "$0")/failover_topo.sh"

AGENT=${MAP646_AGENT:-$TOP/tools/map646-agent}
P99_MAX=${ETCD_SYNC_P99:-$M646_SLOW}
E6=2001:db8:e7c
KEYS=/map646/map646/
URLS=http://[$E6::1]:2379,http://[$E6::2]:2379,http://[$E6::3]:2379
CLUSTER=e1=http://[$E6::1]:2380,e2=http://[$E6::2]:2380,e3=http://[$E6::3]:2380
SERVERS6=2001:db8:1::1:0/112
PING_INTERVAL=0.05
RATE=100000

ktap_plan 20
T0US=${EPOCHREALTIME/./}
# phase TEXT: a diagnostic with the seconds since the start
phase() {
	local t=$((${EPOCHREALTIME/./} - T0US))
	diag "[$((t / 1000000)).$((t / 100000 % 10)) s] $*"
}
for c in bird birdc etcd etcdctl; do
	command -v $c >/dev/null || ktap_bail "$c is not installed (bird2, etcd-server, etcd-client)"
done
[ -x "$AGENT" ] || ktap_bail "$AGENT not built"
dmesg_mark

# ----------------------------------------------------------------- etcd --

declare -A E_NS EPID APID
# etcd_net: the management LAN: a bridge in $LAN, the members and the
# translators' mgmt links on it
etcd_net() {
	local n
	ns_new LAN lan && ns_new E1 e1 && ns_new E2 e2 && ns_new E3 e3 || return 1
	E_NS=([1]=$E1 [2]=$E2 [3]=$E3)
	for n in $LAN $E1 $E2 $E3; do
		in_ns "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || return 1
	done
	batch - <<-EOF || return 1
	link add p-e1 netns $LAN type veth peer name eth0 netns $E1
	link add p-e2 netns $LAN type veth peer name eth0 netns $E2
	link add p-e3 netns $LAN type veth peer name eth0 netns $E3
	link add p-xa netns $LAN type veth peer name mgmt netns $XA
	link add p-xb netns $LAN type veth peer name mgmt netns $XB
	EOF
	batch "$LAN" <<-EOF || return 1
	link add br0 type bridge
	$(for p in p-e1 p-e2 p-e3 p-xa p-xb; do echo "link set $p master br0 up"; done)
	link set br0 up
	addr add $E6::c/64 dev br0 nodad
	EOF
	for n in 1 2 3; do
		batch "${E_NS[$n]}" <<-EOF || return 1
		addr add $E6::$n/64 dev eth0 nodad
		link set eth0 up
		EOF
	done
	batch "$XA" <<<"addr add $E6::a/64 dev mgmt nodad
link set mgmt up" && batch "$XB" <<<"addr add $E6::b/64 dev mgmt nodad
link set mgmt up"
}

# etcd_start N...: start members (their data stays in $TMP/eN)
etcd_start() {
	local n a
	for n in "$@"; do
		a=http://[$E6::$n]
		bg "${E_NS[$n]}" etcd --name "e$n" --data-dir "$TMP/e$n" \
			--listen-client-urls "$a:2379" --advertise-client-urls "$a:2379" \
			--listen-peer-urls "$a:2380" --initial-advertise-peer-urls "$a:2380" \
			--initial-cluster "$CLUSTER" --initial-cluster-token "map646-$$" \
			--heartbeat-interval $((200 * M646_SLOW)) \
			--election-timeout $((2000 * M646_SLOW)) \
			--logger zap --log-outputs stderr --log-level warn >>"$TMP/e$n.log" 2>&1
		EPID[$n]=$BG_PID
	done
}
etcd_stop() { local n; for n in "$@"; do bg_kill "${EPID[$n]}"; done; }
ectl() { in_ns "$LAN" etcdctl --endpoints "$URLS" --command-timeout=5s "$@"; }
healthy() { ectl endpoint health >/dev/null 2>&1; }
revision() { ectl get / -w fields | sed -n 's/^"Revision" : //p'; }

# ---------------------------------------------------------------- agents --

# agent_start X: map646-agent for device map646 in translator X, told the
# endpoints through its environment as map646-agent@.service does
agent_start() {
	bg "${NS_OF[$1]}" env MAP646_ETCD_ENDPOINTS="$URLS" \
		"$AGENT" -s "$TMP/agent-$1.state" run map646 2>>"$TMP/agent-$1.log"
	APID[$1]=$BG_PID
}
agent() { local x=$1; shift; in_ns "${NS_OF[$x]}" "$AGENT" -e "$URLS" -s "$TMP/agent-$x.state" "$@"; }
state_of() { agent "$1" status map646 | sed -n 's/^state //p'; }
in_sync() {	# X...: running, synced, the device equal to etcd
	local x
	for x in "$@"; do
		agent "$x" status map646 >/dev/null && agent "$x" diff map646 >/dev/null || return 1
	done
}
state_is() { [ "$(state_of "$1")" = "$2" ]; }
table() { in_ns "${NS_OF[$1]}" "$MAP646CTL" -d map646 save | sort; }
identical() { [ "$(table xa)" = "$(table xb)" ] && in_sync xa xb; }

# sync_run N OUT ARGS...: N changes timed by etcd_sync.py
sync_run() {
	local n=$1 out=$2
	shift 2
	in_ns "$LAN" "$PY" "$ST/etcd_sync.py" "$@" "$URLS" "$KEYS" "$R4" "$SERVER" "$n" "$out" \
		--timeout $((10 * M646_SLOW)) 2>&1 | tee "$TMP/sync.out" | sed 's/^/#   /'
	return "${PIPESTATUS[0]}"
}
measured() { sed -n 's/^measured=\([0-9]*\) .*/\1/p' "$TMP/sync.out"; }

# ------------------------------------------------------------------ run --

mkdir -p "$XLAT_CONF_DIR"
cat >"$XLAT_CONF_DIR/map646.conf" <<-EOF
# the translator's own file: its routes; table and settings come from etcd
route4 $MAPPED4
route6 64:ff9b::/96
route6 2001:db8:64::/96
EOF
topology && etcd_net || ktap_bail "topology setup failed"
phase "topology ready"
batch "$R6" <<<"route add $SERVERS6 via $SERVER_IP6 dev to-s" &&
	batch "$SERVER" <<<"route add local $SERVERS6 dev lo" || ktap_bail "server routes"
ktap_ok topology
etcd_start 1 2 3
bird_all || ktap_bail "BIRD did not start: $(cat "$TMP"/*.log 2>/dev/null)"
phase "BIRD and etcd started"
if wait_for 60 healthy; then
	ktap_ok etcd-cluster
else
	ktap_fail etcd-cluster "$(ectl endpoint health 2>&1; tail -n 5 "$TMP"/e*.log)"
fi
translator_announce xa && translator_announce xb
if poll 60 paths_are 2; then
	ktap_ok ospf-ecmp
else
	ktap_fail ospf-ecmp "r4: $(nexthops "$R4" 4 $MAPPED4) paths, r6: $(nexthops "$R6" 6 $PREFIX)"
	bird_diag
fi

phase "push"
# the controller writes the table; pushing it again changes nothing
cat >"$TMP/base.conf" <<-EOF
mapping-prefix 64:ff9b::/96
map-static $SERVER_PUB $SERVER_IP6
EOF
out=$(in_ns "$LAN" "$AGENT" -e "$URLS" push map646 "$TMP/base.conf" 2>&1 &&
	in_ns "$LAN" "$AGENT" -e "$URLS" push map646 "$TMP/base.conf" 2>&1)
sed 's/^/#   /' <<<"$out"
if grep -q "2 put, 0 deleted" <<<"$out" && grep -q "already holds it" <<<"$out"; then
	ktap_ok push
else
	ktap_fail push "$out"
fi

agent_start xa
agent_start xb
phase "agents started"
if wait_for 30 in_sync xa xb; then
	ktap_ok agents-synced
else
	ktap_fail agents-synced "xa: $(state_of xa), xb: $(state_of xb)"
	tail -n 5 "$TMP"/agent-*.log | sed 's/^/#   /'
fi

# a bad value in one transaction with a good one: reported with its key,
# the rest applied
printf '\nput %smap/192.0.2.99 not-an-address\nput %smap/192.0.2.98 2001:db8:1::1:98\n\n\n' \
	"$KEYS" "$KEYS" | ectl txn >/dev/null
has_98() { in_ns "${NS_OF[$1]}" "$MAP646CTL" -d map646 show | grep -q '^192.0.2.98 '; }
reported() { grep -q "^map646-agent: ${KEYS}map/192.0.2.99:[0-9]*: 'not-an-address' is not an IPv6 address" "$TMP/agent-$1.log"; }
bad_keys() { agent "$1" status map646 | sed -n 's/^bad_keys //p'; }
if wait_for 10 has_98 xa && wait_for 10 has_98 xb; then
	ktap_ok bad-key-rest-applied
else
	ktap_fail bad-key-rest-applied "192.0.2.98 did not arrive"
fi
if reported xa && reported xb && [ "$(bad_keys xa)" = 1 ] && [ "$(bad_keys xb)" = 1 ]; then
	ktap_ok bad-key-reported
else
	ktap_fail bad-key-reported "bad_keys xa=$(bad_keys xa) xb=$(bad_keys xb)"
	tail -n 5 "$TMP"/agent-*.log | sed 's/^/#   /'
fi
ectl del "${KEYS}map/192.0.2.99" >/dev/null
ectl del "${KEYS}map/192.0.2.98" >/dev/null

# the flows, through translator A
poll 20 pick_flows || diag "no client address hashes to each translator"
SRC_A=${SRC_A:-198.51.100.7}
bg "$SERVER" "$PY" "$ST/tcp_stream.py" recv 5001 "$TMP/recv"
RECV=$BG_PID
poll 60 listening 5001 || diag "the TCP receiver did not start"
bg "$CLIENT" stdbuf -oL ping -D -n -i $PING_INTERVAL -I "$SRC_A" "$SERVER_PUB" >"$TMP/ping"
PING=$BG_PID
bg "$CLIENT" "$PY" "$ST/tcp_stream.py" send "$SERVER_PUB" 5001 "$SRC_A" "$RATE" "$TMP/stop" "$TMP/send"
SEND=$BG_PID
diag "flows from $SRC_A through xa"
phase "198 changes"

# 198 of the 200 timed changes (the prefix changes come once the flows end)
if sync_run 198 "$TMP/lat.main" --seed 1000; then
	ktap_ok changes-reach-both
else
	ktap_fail changes-reach-both "$(tail -n 3 "$TMP/sync.out")"
fi

# one member stopped: the one the agents talk to first
etcd_stop 1
phase "e1 stopped, 10 changes"
if sync_run 10 "$TMP/lat.one" --seed 3000 && [ "$(measured)" = 10 ]; then
	ktap_ok one-member-down-changes-arrive
else
	ktap_fail one-member-down-changes-arrive "$(tail -n 3 "$TMP/sync.out")"
fi

# all stopped: the translators keep their tables, the agents say so
before_a=$(table xa) before_b=$(table xb)
etcd_stop 2 3
phase "e2, e3 stopped"
if wait_for 30 state_is xa unreachable && wait_for 30 state_is xb unreachable; then
	ktap_ok all-down-agents-say-so
	agent xa status map646 | grep -E '^(state|error) ' | sed 's/^/#   xa: /'
else
	ktap_fail all-down-agents-say-so "xa: $(state_of xa), xb: $(state_of xb)"
fi
sleep 2
if [ "$(table xa)" = "$before_a" ] && [ "$(table xb)" = "$before_b" ] &&
	ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 -I "$SRC_A" "$SERVER_PUB" | grep -qv '^0$'; then
	ktap_ok all-down-translation-goes-on
else
	ktap_fail all-down-translation-goes-on "the tables changed or 192.0.2.10 stopped answering"
fi

# all restarted: the agents catch up, changes arrive again
etcd_start 1 2 3
phase "etcd restarted"
if wait_for 60 healthy && wait_for 30 in_sync xa xb &&
	sync_run 10 "$TMP/lat.restart" --seed 4000 && [ "$(measured)" = 10 ]; then
	ktap_ok restart-agents-catch-up
else
	ktap_fail restart-agents-catch-up "xa: $(state_of xa), xb: $(state_of xb)"
	tail -n 5 "$TMP"/agent-*.log | sed 's/^/#   /'
fi

# agent B stopped, 50 changes (timed through A), etcd compacted, B started
bg_kill "${APID[xb]}"
phase "agent xb stopped, 50 changes"
sync_run 50 "$TMP/lat.alone" --seed 5000 --via xa >/dev/null
rev=$(revision)
ectl compact "$rev" >/dev/null
diag "50 changes without agent xb, etcd compacted at revision $rev"
t=$(_now_ms)
agent_start xb
if wait_for 30 state_is xb synced; then
	diag "agent xb in sync $(($(_now_ms) - t)) ms after its start (its state polled)"
fi
if wait_for 30 in_sync xb && [ "$(table xa)" = "$(table xb)" ]; then
	ktap_ok agent-restart-converges
else
	ktap_fail agent-restart-converges "xb: $(state_of xb); $(agent xb diff map646 | head -n 5)"
fi

# the flows: every TCP byte, every echo
touch "$TMP/stop"
phase "stopping the flows"
bg_wait "$SEND" 90
bg_wait "$RECV" 30
bg_kill "$PING"
sent=$(cat "$TMP/send" 2>/dev/null) recv=$(cat "$TMP/recv" 2>/dev/null)
diag "tcp: sent $sent, received $recv"
if [ -n "$sent" ] && [ "$sent" = "$recv" ] && [[ $sent == bytes=* ]] &&
	[ "${sent#bytes=}" != "0 sha256=" ]; then
	ktap_ok tcp-intact
else
	ktap_fail tcp-intact "sent '$sent', received '$recv'"
fi
read -r got first last < <(sed -n 's/.* icmp_seq=\([0-9]*\) .*/\1/p' "$TMP/ping" |
	sort -un | awk 'NR == 1 { f = $1 } { n++; l = $1 } END { print n + 0, f + 0, l + 0 }')
lost=$((last - first + 1 - got))
diag "ping: $got replies, icmp_seq $first..$last, $lost lost"
if [ "$got" -gt 100 ] && [ "$lost" = 0 ]; then
	ktap_ok ping-nothing-lost
else
	ktap_fail ping-nothing-lost "$lost of $((last - first + 1)) echoes lost"
fi

phase "prefix changes"
# the last 2 of the 200: the prefix, there and back (every translated
# address changes: no connection survives it, so after the flows)
if sync_run 2 "$TMP/lat.main" --seed 6000 --prefix-change; then
	ktap_ok prefix-change-reaches-both
else
	ktap_fail prefix-change-reaches-both "$(tail -n 3 "$TMP/sync.out")"
fi

same=no
wait_for 10 identical && same=yes
check_eq translators-identical yes $same
read -r n p50 p99 < <(awk '{ print $3 }' "$TMP/lat.main" | sort -g |
	awk '{ v[++n] = $1 } END { i50 = int((n * 50 + 99) / 100); i99 = int((n * 99 + 99) / 100);
		printf "%d %.3f %.3f\n", n, v[i50 ? i50 : 1], v[i99 ? i99 : 1] }')
for f in one restart alone; do
	[ -s "$TMP/lat.$f" ] && diag "changes ($f): $(awk '{ print $3 }' "$TMP/lat.$f" | sort -g |
		awk '{ v[++n] = $1 } END { printf "n=%d p50=%.3fs max=%.3fs", n, v[int((n + 1) / 2)], v[n] }')"
done
awk '{ k[$2]++ } END { for (x in k) printf "%s=%d ", x, k[x]; print "" }' "$TMP/lat.main" |
	sed 's/^/# kinds: /'
diag "summary: etcd-sync: changes=$n p50=${p50}s p99=${p99}s translators=2 identical=$same"
check_eq changes-200 200 "$n"
if awk -v p="$p99" -v m="$P99_MAX" 'BEGIN { exit !(p < m) }'; then
	ktap_ok "p99-below-${P99_MAX}s"
else
	ktap_fail "p99-below-${P99_MAX}s" "p99 ${p99}s"
fi
check kernel-log-clean dmesg_clean
