#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The measurements of `make bench`, run inside one QEMU guest (bench.sh
# boots it). Every contender gets the same three namespaces, the same veth
# links (GRO and TSO on) and the same packet sizes:
#
#   C-a (IPv4 client)  ──  C-r (router / translator)  ──  C-b (IPv6 server)
#   198.51.100.7/24        198.51.100.1   2001:db8:1::1     2001:db8:1::10/64
#   2001:db8:a::7/64       2001:db8:a::1  203.0.113.1       203.0.113.10/24
#
# Trios: "nat" (native forwarding: a -> 203.0.113.10 or 2001:db8:1::10,
# and back), "m646" (map646; its two paths, prerouting and device, are its
# setting), "jool" (Jool SIIT, netfilter instance) and "tayga" (TAYGA, tun
# daemon). Translators map
# 192.0.2.10 <-> 2001:db8:1::10 with prefix 2001:db8:64::/96. Contenders are
# measured in turn, round after round (A B C A B C ...); bench.sh takes the
# medians.
#
# Packet rates: pktgen runs in r and injects each packet into r's receive
# path as if it had arrived on the link from a or b (xmit_mode
# netif_receive), so the rate measures the router's work per packet, not
# the generator's (which, sending through a veth from a, cost more than
# the forwarding did and squeezed every ratio towards 1).
#
# Output: appended to OUT/results.txt, one "metric contender direction
# value" per line; logs in OUT/logs/. Mapping files for the scaling runs
# come from bench.sh in OUT/maps/.
# env: PHASES (what to measure, of: rtt tcp pps perf scale mem; default
#      all), CONTENDERS (of: native4 native6 prerouting device jool tayga;
#      default all), ROUNDS (2), PPS_SECS (1), TCP_SECS (1), PINGS (100), JOOL_MAX
#      (the largest EAMT to try, 100000), WARM (packets per mapping sent
#      before a scaling run is measured, 2). Short runs: under bench.sh's
#      -icount a guest second costs about 15 s of host time, and its clock
#      does not drift, so a second of traffic gives the same rate as three.
set -u
BENCH=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH/../.." && pwd)
CTL=$TOP/tools/map646ctl
OUT=${OUT:-/tmp/out}
RES=$OUT/results.txt
LOGS=$OUT/logs
ROUNDS=${ROUNDS:-2}
PPS_SECS=${PPS_SECS:-1}
TCP_SECS=${TCP_SECS:-1}
PINGS=${PINGS:-100}
JOOL_MAX=${JOOL_MAX:-100000}
WARM=${WARM:-2}
PHASES=" ${PHASES:-rtt tcp pps perf scale mem} "
PHASES=${PHASES//,/ }
SCALES="1 10000 100000 1000000"
mkdir -p "$LOGS"

T0=${EPOCHREALTIME/./}
say() { echo "bench-guest: $* [$(((${EPOCHREALTIME/./} - T0) / 1000000)) s]"; }
res() { echo "$*" >>"$RES"; }
in_ns() { ip netns exec "$@"; }
now_us() { echo "${EPOCHREALTIME/./}"; }

# ------------------------------------------------------------ topology --

# static_neigh TRIO END ADDR4 ADDR6: r's neighbour entries for END's
# addresses, permanent
static_neigh() {
	local mac
	mac=$(in_ns "$1-$2" cat /sys/class/net/eth0/address) || return 1
	ip -n "$1-r" neigh replace "$3" lladdr "$mac" dev "to-$2" nud permanent &&
		ip -n "$1-r" neigh replace "$4" lladdr "$mac" dev "to-$2" nud permanent
}

trio() {
	local t=$1
	for n in a r b; do
		ip netns add "$t-$n"
		ip -n "$t-$n" link set lo up
		in_ns "$t-$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_ra=0
	done
	ip link add eth0 netns "$t-a" type veth peer name to-a netns "$t-r"
	ip link add eth0 netns "$t-b" type veth peer name to-b netns "$t-r"
	ip -n "$t-a" -b - <<-EOF
		addr add 198.51.100.7/24 dev eth0
		addr add 2001:db8:a::7/64 dev eth0 nodad
		link set eth0 up
		route add default via 198.51.100.1
		route add default via 2001:db8:a::1
	EOF
	[ $? = 0 ] || return 1
	ip -n "$t-r" -b - <<-EOF
		addr add 198.51.100.1/24 dev to-a
		addr add 2001:db8:a::1/64 dev to-a nodad
		addr add 203.0.113.1/24 dev to-b
		addr add 2001:db8:1::1/64 dev to-b nodad
		link set to-a up
		link set to-b up
	EOF
	[ $? = 0 ] || return 1
	ip -n "$t-b" -b - <<-EOF
		addr add 203.0.113.10/24 dev eth0
		addr add 2001:db8:1::10/64 dev eth0 nodad
		link set eth0 up
		route add default via 203.0.113.1
		route add default via 2001:db8:1::1
	EOF
	[ $? = 0 ] || return 1
	# The router's neighbours are static: a sink that drops all it gets
	# never confirms them, so each would go stale and be probed again on
	# its own clock, and a run's output cost (cached link header or a
	# resolution per packet) would depend on when it started.
	static_neigh "$t" a 198.51.100.7 2001:db8:a::7 || return 1
	static_neigh "$t" b 203.0.113.10 2001:db8:1::10 || return 1
	# the scaling runs' IPv6 servers, behind b (a gateway needs b's link up)
	ip -n "$t-r" route add 2001:db8:2::/64 via 2001:db8:1::10 || return 1
	in_ns "$t-r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	# offloads as a host has them: GRO on the receiving ends, TSO/GSO (on
	# by default) on the sending ones
	for l in "a eth0" "r to-a" "r to-b" "b eth0"; do
		set -- $l
		in_ns "$t-$1" ethtool -K "$2" gro on >/dev/null
	done
}

setup_m646() {
	ip -n m646-r link add map646 type map646 &&
		ip -n m646-r link set map646 up &&
		in_ns m646-r "$CTL" -d map646 prefix set 2001:db8:64::/96 &&
		in_ns m646-r "$CTL" -d map646 add 192.0.2.10 2001:db8:1::10 &&
		ip -n m646-r -b - <<-EOF
			route add 192.0.2.0/24 dev map646
			route add 20.0.0.0/12 dev map646
			route add 2001:db8:64::/96 dev map646
		EOF
}

setup_jool() {
	modprobe jool_siit &&
		in_ns jool-r jool_siit instance add bench --netfilter --pool6 2001:db8:64::/96 &&
		in_ns jool-r jool_siit -i bench eamt add 2001:db8:1::10 192.0.2.10
}

# TAYGA's own addresses (for the ICMP errors it sends) are outside the
# ranges measured; a daemon in the router namespace reads the tun device.
setup_tayga() {
	cat >/tmp/tayga.conf <<-EOF
		tun-device nat64
		ipv4-addr 192.0.2.1
		ipv6-addr 2001:db8:1::3
		prefix 2001:db8:64::/96
		map 192.0.2.10 2001:db8:1::10
	EOF
	# /dev/net/tun appears when the module loads
	modprobe tun && in_ns tayga-r tayga -c /tmp/tayga.conf --mktun &&
		ip -n tayga-r -b - <<-EOF &&
			link set nat64 up
			route add 192.0.2.0/24 dev nat64
			route add 2001:db8:64::/96 dev nat64
		EOF
		in_ns tayga-r tayga -c /tmp/tayga.conf --pidfile /tmp/tayga.pid
}

m646_path() { in_ns m646-r "$CTL" -d map646 settings set path "$1"; }

# contender -> "trio generator sink destination" per direction: 4to6 is a
# -> b, 6to4 is b -> a (native forwarding: the same directions, in one
# family). The map646 contenders are its paths.
declare -A PATH4 PATH6
PATH4=([native4]="nat a b 203.0.113.10" [native6]="nat a b 2001:db8:1::10"
	[prerouting]="m646 a b 192.0.2.10" [device]="m646 a b 192.0.2.10"
	[jool]="jool a b 192.0.2.10" [tayga]="tayga a b 192.0.2.10")
PATH6=([native4]="nat b a 198.51.100.7" [native6]="nat b a 2001:db8:a::7"
	[prerouting]="m646 b a 2001:db8:64::198.51.100.7"
	[device]="m646 b a 2001:db8:64::198.51.100.7"
	[jool]="jool b a 2001:db8:64::198.51.100.7" [tayga]="tayga b a 2001:db8:64::198.51.100.7")
CONTENDERS=${CONTENDERS:-native4,native6,prerouting,device,jool,tayga}
CONTENDERS=${CONTENDERS//,/ }
MAP646_PATHS="prerouting device"
AVAILABLE=""

# select C: make contender C's path the active one
select_c() {
	case " $MAP646_PATHS " in
	*" $1 "*) m646_path "$1" ;;
	esac
}

# route DIR C: "trio gen sink dst" of contender C in direction 4to6|6to4
route() {
	if [ "$1" = 4to6 ]; then echo "${PATH4[$2]:-}"; else echo "${PATH6[$2]:-}"; fi
}

# ------------------------------------------------------------- pktgen --

# pg_setup NS DEV CMD...: DEV of NS on pktgen thread 0, configured by CMDs
pg_setup() {
	local ns=$1 dev=$2
	shift 2
	# rem_device_all only asks the thread: wait until it is done, or it
	# also removes the device added next
	in_ns "$ns" bash -c '
		pg=/proc/net/pktgen
		echo rem_device_all >$pg/kpktgend_0 || exit 1
		for i in $(seq 100); do [ -e $pg/$0 ] || break; sleep 0.1; done
		echo "add_device $0" >$pg/kpktgend_0 || exit 1
		for c in "$@"; do echo "$c" >$pg/$0 || { echo "pktgen: $c: $(grep Result $pg/$0)"; exit 1; }; done' \
		"$dev" "$@"
}

# pg_flow TRIO GEN DST [MIN MAX]: 64-byte UDP frames (84 bytes for IPv6:
# the same 18-byte payload) from GEN's address to DST, or to random IPv4
# destinations MIN..MAX, made by pktgen in r and received on r's link to
# GEN. Each packet is injected BURST (32) times (the stack works on a
# clone of it each time), so pktgen's own cost is one allocation per burst.
pg_flow() {
	local t=$1 gen=$2 dst=$3 mac src
	mac=$(in_ns "$t-r" cat "/sys/class/net/to-$gen/address")
	local common=("xmit_mode netif_receive" "burst ${BURST:-32}" "count 0" "delay 0"
		"dst_mac $mac" "udp_src_min 9" "udp_src_max 9" "udp_dst_min 9"
		"udp_dst_max 9" "flag UDPCSUM")
	case $dst in
	*:*)
		[ "$gen" = a ] && src=2001:db8:a::7 || src=2001:db8:1::10
		pg_setup "$t-r" "to-$gen" "${common[@]}" "pkt_size 80" "dst6 $dst" "src6 $src"
		;;
	*)
		[ "$gen" = a ] && src=198.51.100.7 || src=203.0.113.10
		pg_setup "$t-r" "to-$gen" "${common[@]}" "pkt_size 60" \
			"src_min $src" "src_max $src" \
			"dst_min ${4:-$dst}" "dst_max ${5:-$dst}" \
			${4:+"flag IPDST_RND"}
		;;
	esac
}

rx_count() { in_ns "$1" cat /sys/class/net/eth0/statistics/rx_packets; }

# pps TRIO GEN SINK [WARMUP [perf-output]]: packets/s at SINK's eth0 while
# pktgen runs at full speed: first 0.5 s, or until WARMUP packets have
# arrived, then PPS_SECS counted
pps() {
	local t=$1 gen=$2 sink=$3 pid c1 c2 t1 t2
	in_ns "$t-r" sh -c 'echo start >/proc/net/pktgen/pgctrl' &
	pid=$!
	sleep 0.5
	if [ "${4:-0}" -gt 0 ]; then
		c1=$(($(rx_count "$t-$sink") + $4))
		for _ in $(seq 300); do [ "$(rx_count "$t-$sink")" -ge $c1 ] && break; sleep 0.2; done
	fi
	c1=$(rx_count "$t-$sink")
	t1=$(now_us)
	if [ -n "${5:-}" ]; then
		perf record -a -g -o "$5.data" -- sleep "$PPS_SECS" >/dev/null 2>"$5.err"
	else
		sleep "$PPS_SECS"
	fi
	c2=$(rx_count "$t-$sink")
	t2=$(now_us)
	in_ns "$t-r" sh -c 'echo stop >/proc/net/pktgen/pgctrl'
	wait $pid
	in_ns "$t-r" grep -h Result: "/proc/net/pktgen/to-$gen" >>"$LOGS/pktgen.log"
	echo $(((c2 - c1) * 1000000 / (t2 - t1)))
}

# the sink of a pps run drops UDP at tc ingress: no replies, no
# forwarding; neighbour discovery and ARP still pass (else the router's
# entry for the sink fails after a while and it drops everything)
sink_drop() {
	tc -n "$1" qdisc add dev eth0 clsact &&
		tc -n "$1" filter add dev eth0 ingress protocol ip flower ip_proto udp action drop &&
		tc -n "$1" filter add dev eth0 ingress protocol ipv6 flower ip_proto udp action drop
}

# ------------------------------------------------------------ metrics --

# ping_rtts C DIR: one round of PINGS echoes; RTTs (ms) appended to a file
ping_rtts() {
	local r t gen dst
	r=$(route "$2" "$1")
	[ -n "$r" ] || return 0
	read -r t gen _ dst <<<"$r"
	in_ns "$t-$gen" ping -n -c "$PINGS" -i 0.01 -W 1 "$dst" |
		sed -n 's/.*time=\([0-9.]*\) ms/\1/p' >>"$LOGS/rtt-$1-$2.txt"
}

# iperf C DIR FLOWS: one TCP run, Mbit/s received (DIR 6to4: the server
# in b, the IPv6 side, sends: iperf3 -R)
iperf() {
	local r t dst rev="" mbps
	r=$(route 4to6 "$1")
	read -r t _ _ dst <<<"$r"
	[ "$2" = 6to4 ] && rev=-R
	in_ns "$t-b" iperf3 -s -1 -D -p 5201 --logfile "$LOGS/iperf-server.log"
	for _ in $(seq 50); do
		in_ns "$t-b" ss -Hltn 'sport = :5201' | grep -q . && break
		sleep 0.1
	done
	mbps=$(in_ns "$t-a" timeout $((TCP_SECS + 20)) iperf3 -c "$dst" -p 5201 \
		-t "$TCP_SECS" -P "$3" $rev -f m 2>&1 | tee -a "$LOGS/iperf-$1.log" |
		awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) }
		     END { print v + 0 }')
	echo "$mbps"
}

meminfo() { awk -v k="$1:" '$1 == k { print $2 * 1024 }' /proc/meminfo; }
# vmalloc'd pages, less the per-CPU allocator's chunks: VmallocUsed counts
# those too, and Percpu already has them
vmalloc_bytes() {
	awk -v page="$(getconf PAGESIZE)" '$3 !~ /^pcpu_/ {
		for (i = 4; i <= NF; i++) if ($i ~ /^pages=/) s += substr($i, 7) }
		END { print s * page }' /proc/vmallocinfo
}
kmem() { echo $(($(meminfo Slab) + $(meminfo Percpu) + $(vmalloc_bytes))); }

# ---------------------------------------------------------------- main --

say "kernel $(uname -r), $(nproc) CPUs"
modprobe pktgen || { echo "bench-guest: no pktgen"; exit 1; }
for t in nat m646 jool tayga; do trio $t || { echo "bench-guest: topology $t failed"; exit 1; }; done
setup_m646 >"$LOGS/setup-m646.log" 2>&1 || { cat "$LOGS/setup-m646.log"; exit 1; }
if setup_jool >"$LOGS/setup-jool.log" 2>&1; then JOOL=1; else JOOL=0; fi
if setup_tayga >"$LOGS/setup-tayga.log" 2>&1; then TAYGA=1; else TAYGA=0; fi

# every contender must carry an echo before it is measured
for c in $CONTENDERS; do
	case $c in jool) [ $JOOL = 1 ] || continue ;; tayga) [ $TAYGA = 1 ] || continue ;; esac
	select_c $c
	read -r t gen _ dst <<<"$(route 4to6 $c)"
	if in_ns "$t-$gen" ping -n -c 3 -i 0.2 -W 2 "$dst" >"$LOGS/check-$c.log" 2>&1; then
		AVAILABLE="$AVAILABLE $c"
	else
		say "$c: no echo through it, left out (see logs/check-$c.log)"
		res "unavailable $c - 1"
	fi
done
say "contenders:$AVAILABLE"

phase() { [[ $PHASES == *" $1 "* ]]; }

if phase rtt; then
	say "ping: $ROUNDS rounds of $PINGS echoes"
	for _ in $(seq "$ROUNDS"); do
		for c in $AVAILABLE; do
			select_c $c
			ping_rtts $c 4to6
			ping_rtts $c 6to4
		done
	done
	for f in "$LOGS"/rtt-*.txt; do
		n=$(basename "$f" .txt)
		c=${n#rtt-} c=${c%-*} d=${n##*-}
		sort -n "$f" | awk -v c="$c" -v d="$d" '{ v[NR] = $1 }
			END { if (NR) { print "rtt_p50_ms", c, d, v[int((NR + 1) / 2)];
					print "rtt_p99_ms", c, d, v[int(NR * 0.99 + 0.999)] } }' >>"$RES"
	done
fi

if phase tcp; then
	say "tcp: $ROUNDS rounds of ${TCP_SECS} s"
	for _ in $(seq "$ROUNDS"); do
		for c in $AVAILABLE; do
			select_c $c
			res "tcp1_mbps $c 4to6 $(iperf $c 4to6 1)"
			res "tcp4_mbps $c 4to6 $(iperf $c 4to6 4)"
			[ -n "$(route 6to4 $c)" ] && res "tcp1_mbps $c 6to4 $(iperf $c 6to4 1)"
		done
	done
fi

for t in nat m646 jool tayga; do sink_drop $t-a && sink_drop $t-b; done
if phase pps; then
	say "udp64: $ROUNDS rounds of ${PPS_SECS} s"
	for _ in $(seq "$ROUNDS"); do
		for c in $AVAILABLE; do
			select_c $c
			for d in 4to6 6to4; do
				r=$(route $d $c)
				[ -n "$r" ] || continue
				read -r t gen sink dst <<<"$r"
				pg_flow $t $gen "$dst" >>"$LOGS/pktgen.log" 2>&1 &&
					res "udp64_pps $c $d $(pps $t $gen $sink)"
			done
		done
	done
	in_ns m646-r "$CTL" -d map646 stats >"$LOGS/m646-stats.txt" 2>&1
	[ $JOOL = 1 ] && in_ns jool-r jool_siit -i bench stats display >"$LOGS/jool-stats.txt" 2>&1
fi

if phase perf; then
	say "perf: profiles of one pktgen run each"
	for c in native6 prerouting device jool; do
		[[ " $AVAILABLE " == *" $c "* ]] || continue
		select_c $c
		for d in 4to6 6to4; do
			[ $d = 6to4 ] && [ $c = device ] && continue
			read -r t gen sink dst <<<"$(route $d $c)"
			pg_flow $t $gen "$dst" >>"$LOGS/pktgen.log" 2>&1
			p=$OUT/perf-$c-$d
			pps $t $gen $sink 0 "$p" >/dev/null
			perf report -i "$p.data" --stdio --no-children --sort symbol -g none \
				2>>"$p.err" | awk '/^ +[0-9.]+%/ { print $1, $3 }' | head -n 30 >"$p.txt"
			rm -f "$p.data"
			[ -s "$p.txt" ] || { say "perf for $c $d failed: $(tail -n 2 "$p.err")"; rm -f "$p.txt"; }
		done
	done
fi

# load_map N: milliseconds to load the table of N mappings, from a copy in
# the guest's memory: the file is read as from a local disk's page cache,
# not through the host's 9p server (whose waits are host time, idle in the
# instruction clock, and grow with the host's load)
load_map() {
	local t1 t2
	cp "$OUT/maps/map-$1.conf" /tmp/map.conf || return 1
	t1=$(now_us)
	in_ns m646-r "$CTL" -d map646 load /tmp/map.conf >>"$LOGS/load.log" 2>&1 || return 1
	t2=$(now_us)
	echo "$(((t2 - t1) / 1000))"
}

# Table scaling: random destinations over N mappings 20.0.0.0 + i <->
# 2001:db8:2::i (hex i, the table files come from bench.sh), after WARM
# packets per mapping (4to6 remembers each mapping's route: a mapping's
# first packet pays a full route lookup, as a new server's first packet
# does in service). map646 (path prerouting, the default) first, with the
# 1-mapping rate measured before and after the big tables.
scale_pps() {	# trio N tag
	local i x=$(($2 - 1)) last warm=$((WARM * $2))
	last=20.$((x >> 16 & 255)).$((x >> 8 & 255)).$((x & 255))
	pg_flow $1 a 20.0.0.0 20.0.0.0 "$last" >>"$LOGS/pktgen.log" 2>&1 || return 1
	for i in $(seq "$ROUNDS"); do
		res "scale_pps $3 $2 $(pps $1 a b $warm)"
		warm=0
	done
}
if phase scale; then
	say "scaling: map646"
	m646_path prerouting
	for n in 1 1000000 100000 10000 1; do
		ms=$(load_map $n) && res "load_ms map646 $n $ms" && scale_pps m646 $n map646
	done
	if [[ " $AVAILABLE " == *" jool "* ]]; then
		say "scaling: jool"
		for n in $SCALES; do
			[ "$n" -le "$JOOL_MAX" ] || continue
			t1=$(now_us)
			if ! in_ns jool-r jool_siit file handle "$OUT/maps/jool-$n.json" >>"$LOGS/load.log" 2>&1; then
				say "jool: $n mappings did not load"
				break
			fi
			res "load_ms jool $n $((($(now_us) - t1) / 1000))"
			scale_pps jool $n jool
		done
	fi
fi

# Control plane: the kernel memory a mapping takes (keyed by this guest's
# CPU count: bench.sh runs this phase on 2 and on 8 vCPUs), and the table
# loads again in wall-clock time (load_wall_ms; the scaling phase's
# load_ms are in its guest clock). The CPUs' counter caches are allocated
# when the module loads, before either measure.
if phase mem; then
	cpus=$(nproc)
	say "control plane: memory and table loads ($cpus CPUs)"
	ms=$(load_map 1)
	sleep 2
	m0=$(kmem) s0=$(meminfo Slab)
	ms=$(load_map 1000000) && res "load_wall_ms map646 1000000/${cpus}cpu $ms"
	sleep 2
	m1=$(kmem) s1=$(meminfo Slab)
	res "kmem_bytes map646 ${cpus}cpu $((m1 - m0))"
	res "slab_bytes map646 ${cpus}cpu $((s1 - s0))"
	for n in 100000 10000; do
		ms=$(load_map $n) && res "load_wall_ms map646 $n/${cpus}cpu $ms"
	done
fi
say "done"
dmesg >"$OUT/dmesg-$(nproc)cpu.txt"
