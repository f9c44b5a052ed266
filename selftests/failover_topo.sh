#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The topology of map646_failover.sh (drawn there), for the tests that use
# it: two translators xa and xb between an IPv4 router r4 and an IPv6
# router r6, BIRD 2 with OSPF on all four, routes from the example
# configurations of docs/failover.md. Sourced after lib.sh.
#   XLAT_CONF_DIR: where the translators' map646.conf is (default: the
#                  example's, docs/examples/failover)

EXAMPLES=$TOP/docs/examples/failover
XLAT_CONF_DIR=${XLAT_CONF_DIR:-$EXAMPLES}
MAPPED4=192.0.2.0/24
SERVER_NET6=2001:db8:1::/64
CLIENT_NET4=198.51.100.0/24

# ------------------------------------------------------------- topology --

# batch NS: run the ip commands on stdin in NS, one ip process (each
# process costs a lot under TCG); "-" for the initial namespace
batch() {
	if [ "$1" = - ]; then ip -batch -; else ip -n "$1" -batch -; fi
}

topology() {
	local ns
	ns_new CLIENT c4 && ns_new R4 r4 && ns_new XA xa && ns_new XB xb &&
		ns_new R6 r6 && ns_new SERVER s6 || return 1
	in_ns "$CLIENT" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 || return 1
	for ns in $R4 $XA $XB $R6 $SERVER; do
		in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 || return 1
	done
	batch - <<-EOF || return 1
	link add eth0 netns $CLIENT type veth peer name to-c netns $R4
	link add to-xa netns $R4 type veth peer name to-r4 netns $XA
	link add to-xb netns $R4 type veth peer name to-r4 netns $XB
	link add to-r6 netns $XA type veth peer name to-xa netns $R6
	link add to-r6 netns $XB type veth peer name to-xb netns $R6
	link add to-s netns $R6 type veth peer name eth0 netns $SERVER
	EOF
	batch "$CLIENT" <<-EOF || return 1
	$(for i in $(seq 7 22); do echo "addr add 198.51.100.$i/24 dev eth0"; done)
	link set eth0 up
	route add default via 198.51.100.1
	EOF
	batch "$R4" <<-EOF || return 1
	addr add 198.51.100.1/24 dev to-c
	addr add 203.0.113.1/30 dev to-xa
	addr add 203.0.113.5/30 dev to-xb
	link set to-c up
	link set to-xa up
	link set to-xb up
	EOF
	batch "$R6" <<-EOF || return 1
	addr add 2001:db8:a::1/64 dev to-xa
	addr add 2001:db8:b::1/64 dev to-xb
	addr add 2001:db8:1::1/64 dev to-s
	link set to-xa up
	link set to-xb up
	link set to-s up
	EOF
	batch "$SERVER" <<-EOF || return 1
	addr add $SERVER_IP6/64 dev eth0
	link set eth0 up
	route add default via 2001:db8:1::1
	EOF
	translator_config "$XA" 203.0.113.2/30 2001:db8:a::2/64 &&
		translator_config "$XB" 203.0.113.6/30 2001:db8:b::2/64
}

# translator_config NS ADDR4 ADDR6: a translator's links and its map646
# device, configured from the one file every translator loads
# ($XLAT_CONF_DIR/map646.conf), with its routes into the device
translator_config() {
	batch "$1" <<-EOF || return 1
	addr add $2 dev to-r4
	addr add $3 dev to-r6
	link set to-r4 up
	link set to-r6 up
	EOF
	# what map646@map646.service does with /etc/map646/map646.conf
	in_ns "$1" env MAP646_CONF_DIR="$XLAT_CONF_DIR" MAP646CTL="$MAP646CTL" \
		sh "$TOP/dist/map646-unit.in" start map646 &&
		ip -n "$1" route show $MAPPED4 | grep -q "dev map646" &&
		ip -n "$1" -6 route show $PREFIX | grep -q "dev map646"
}

# ----------------------------------------------------------------- BIRD --

# bird_conf NAME FILE ROUTER-ID: $TMP/NAME.conf, from one of the example
# configurations of docs/failover.md (so the page shows what is tested)
bird_conf() {
	{
		echo "log \"$TMP/$1.log\" { info, warning, error, fatal };"
		sed "s/^router id .*/router id $3;/" "$EXAMPLES/$2"
	} >"$TMP/$1.conf"
}

# bird_diag: what every BIRD thinks, for a failed case
bird_diag() {
	local b
	for b in r4 r6 xa xb; do
		{
			birdc_ $b show protocols
			birdc_ $b show route
			tail -n 5 "$TMP/$b.log"
		} 2>&1 | sed "s/^/#   $b: /"
	done
}

declare -A NS_OF BIRD_PID
# bird_start NAME...: start BIRD in the foreground (background jobs), wait
# until each answers on its control socket
bird_start() {
	local b
	for b in "$@"; do
		rm -f "$TMP/$b.ctl"
		bg "${NS_OF[$b]}" bird -f -c "$TMP/$b.conf" -s "$TMP/$b.ctl" -P "$TMP/$b.pid"
		BIRD_PID[$b]=$BG_PID
	done
	for b in "$@"; do
		wait_for 30 test -S "$TMP/$b.ctl" &&
			wait_for 10 birdc_ "$b" show status >/dev/null || return 1
	done
}
birdc_() { local n=$1; shift; birdc -s "$TMP/$n.ctl" "$@"; }

# bird_all: BIRD on r4, r6, xa and xb from the example configurations
bird_all() {
	NS_OF=([r4]=$R4 [r6]=$R6 [xa]=$XA [xb]=$XB)
	bird_conf r4 router4.conf 203.0.113.1
	bird_conf r6 router6.conf 203.0.113.9
	bird_conf xa translator.conf 203.0.113.2
	bird_conf xb translator.conf 203.0.113.6
	bird_start r4 r6 xa xb
}

# nexthops NS 4|6 PREFIX: how many paths NS's kernel has to PREFIX
nexthops() {
	local r
	r=$(ip -n "$1" -"$2" route show "$3" 2>/dev/null)
	[ -n "$r" ] || { echo 0; return; }
	if grep -q nexthop <<<"$r"; then grep -c nexthop <<<"$r"; else echo 1; fi
}
paths_are() {	# N: r4 and r6 both have N paths to the translated prefixes
	[ "$(nexthops "$R4" 4 $MAPPED4)" = "$1" ] && [ "$(nexthops "$R6" 6 $PREFIX)" = "$1" ]
}
# learned NS: NS has BIRD routes to the client and the server networks
learned() {
	ip -n "$1" -4 route show $CLIENT_NET4 proto bird | grep -q . &&
		ip -n "$1" -6 route show $SERVER_NET6 proto bird | grep -q .
}
# translator_announce NAME: once it can reach both sides, announce prefixes
translator_announce() {
	poll 60 learned "${NS_OF[$1]}" || { diag "$1 learned no routes"; return 1; }
	birdc_ "$1" enable mapped4 >/dev/null && birdc_ "$1" enable mapped6 >/dev/null
}

# poll TIMEOUT CMD...: wait_for at a slower pace: every try forks a few
# processes, and under TCG those take the CPU that BIRD needs to converge
poll() {
	local end=$((${EPOCHREALTIME/./} / 1000 + $1 * 1000 * M646_SLOW))
	shift
	until "$@"; do
		[ $((${EPOCHREALTIME/./} / 1000)) -ge $end ] && return 1
		sleep 0.5
	done
}

# paths_of SRC...: "SRC xa|xb" for each: where r4 forwards SRC -> 192.0.2.10
paths_of() {
	local src
	for src in "$@"; do
		echo "route get $SERVER_PUB from $src iif to-c"
	done | ip -n "$R4" -force -batch - 2>/dev/null |
		sed -n 's/^[^ ]* from \([0-9.]*\) .* dev to-\(x[ab]\) .*/\1 \2/p'
}

# pick_flows: one client address per translator, SRC_A via xa, SRC_B via xb
pick_flows() {
	local src x
	SRC_A= SRC_B=
	while read -r src x; do
		case $x in
		xa) SRC_A=${SRC_A:-$src} ;;
		xb) SRC_B=${SRC_B:-$src} ;;
		esac
	done < <(paths_of $(seq -f "198.51.100.%g" 7 22))
	[ -n "$SRC_A" ] && [ -n "$SRC_B" ]
}
listening() { [ -n "$(in_ns "$SERVER" ss -Hltn "sport = :$1")" ]; }
