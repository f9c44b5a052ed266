#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: map646 side by side with native forwarding, Jool SIIT and
# TAYGA in QEMU guests (guest.sh), plus instruction counts of the
# translation core on the host (callgrind on xlat_bench.c). Writes
# docs/bench/DATE.json and DATE.png and ends with the one summary line
# (report.py). See docs/performance.md.
#
# Two guest runs of the same kernel and topology:
#  1. the data path (rtt tcp pps perf scale) with QEMU's -icount: the guest
#     clock advances one nanosecond per instruction executed, on one vCPU
#     that runs the generator, every contender and the sink. Its rates are
#     packets (or bytes) per instruction spent by the whole guest:
#     repeatable to a few per mille, whatever else the host does. Plain
#     TCG measures in host time, where the same run varied by +-30 % on
#     this shared machine. Memory latency costs nothing in this clock.
#  2. the control plane (mem): table load times (wall clock) and kernel
#     memory per mapping, on 2 vCPUs in plain multi-threaded TCG, then
#  3. the same on 8 vCPUs: memory per mapping must not grow with CPUs.
# env: ROUNDS, PPS_SECS, TCP_SECS, PINGS, JOOL_MAX, WARM, CONTENDERS (see
#      guest.sh); PHASES (of: rtt tcp pps perf scale mem; default all:
#      fewer make a partial run, reported in build/bench/partial-DATE.*
#      instead of docs/bench/); MEM_CPUS (vCPU counts of the control-plane
#      guests, "2 8"); NPKT (packets per callgrind case, 100000); TIMEOUT
#      (each guest, 3600 s)
set -u
BENCH=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH/../.." && pwd)
VM=$TOP/selftests/vm
B=$TOP/build/bench
OUT=$B/out
ALL_PHASES="rtt tcp pps perf scale mem"
PHASES=${PHASES:-$ALL_PHASES}
MEM_CPUS=${MEM_CPUS:-2 8}
T0=${EPOCHREALTIME/./}
say() { echo "bench: $* [$(((${EPOCHREALTIME/./} - T0) / 1000000)) s]"; }
die() { echo "bench: $*" >&2; exit 1; }

# Debian packages beyond what the guest harness installs (setup.sh)
PKGS="dkms jool-dkms jool-tools tayga gnuplot-nox valgrind linux-perf ethtool"

say "host setup (packages, guest kernel)"
"$VM/setup.sh" || die "setup failed"
KVER=${KVER:-$("$VM/kver.sh")} || die "no kernel version"
export KVER
missing=$(for p in $PKGS; do
	dpkg-query -W -f='${db:Status-Abbrev}\n' "$p" 2>/dev/null | grep -q '^ii' || echo "$p"
done | xargs)
if [ -n "$missing" ]; then
	say "installing $missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		$missing >"$B.apt.log" 2>&1 || say "apt-get failed (log $B.apt.log)"
fi

# Jool's DKMS module, built against the guest kernel's headers, goes into
# the guest's module tree (build.sh runs depmod over it)
JOOL_NOTE=""
jool=$(dkms status jool-dkms 2>/dev/null | sed -n 's|^jool-dkms/\([^,]*\),.*|\1|p' | head -n 1)
if [ -z "$jool" ]; then
	JOOL_NOTE="jool-dkms is not installed"
elif ! dkms status "jool-dkms/$jool" -k "$KVER" | grep -q installed &&
	! dkms install "jool-dkms/$jool" -k "$KVER" >"$B.dkms.log" 2>&1; then
	JOOL_NOTE="jool-dkms $jool did not build for $KVER (log $B.dkms.log)"
else
	mkdir -p "$TOP/build/vm/kroot/lib/modules/$KVER/updates"
	cp -r "/lib/modules/$KVER/updates/." "$TOP/build/vm/kroot/lib/modules/$KVER/updates/"
fi
[ -z "$JOOL_NOTE" ] || say "Jool left out: $JOOL_NOTE"

say "build module + map646ctl"
"$VM/build.sh" || die "build failed"

say "host: instructions per packet (callgrind)"
rm -rf "$OUT"
mkdir -p "$OUT/maps"
make -s -C "$BENCH" xlat_bench || die "xlat_bench did not build"
N=${NPKT:-100000}
for proto in tcp udp icmp; do
	for dir in 4to6 6to4; do
		f=$OUT/callgrind.$proto.$dir
		valgrind --tool=callgrind --callgrind-out-file="$f" \
			--toggle-collect="xlat${dir:0:1}" "$BENCH/xlat_bench" $proto $dir "$N" \
			>"$f.log" 2>&1 || die "callgrind $proto $dir failed (log $f.log)"
		echo "insn_per_pkt $proto $dir $(awk -v n="$N" '/^totals:/ { printf "%.1f", $2 / n }' "$f")" \
			>>"$OUT/host.txt"
	done
done

# Tables for the scaling runs: N mappings 20.0.0.0 + i <-> 2001:db8:2::i,
# as a map646 config file and as a Jool instance file
say "mapping tables"
JOOL_MAX=${JOOL_MAX:-100000}
export JOOL_MAX
for n in 1 10000 100000 1000000; do
	awk -v n=$n 'BEGIN {
		print "mapping-prefix 2001:db8:64::/96"
		for (i = 0; i < n; i++)
			printf "map-static 20.%d.%d.%d 2001:db8:2::%x:%x\n",
				int(i / 65536) % 256, int(i / 256) % 256, i % 256,
				int(i / 65536), i % 65536
	}' >"$OUT/maps/map-$n.conf"
	[ $n -le "$JOOL_MAX" ] || continue
	awk -v n=$n 'BEGIN {
		printf "{\"instance\": \"bench\", \"framework\": \"netfilter\", "
		printf "\"global\": {\"pool6\": \"2001:db8:64::/96\"}, \"eamt\": ["
		for (i = 0; i < n; i++)
			printf "%s{\"ipv6 prefix\": \"2001:db8:2::%x:%x\", \"ipv4 prefix\": \"20.%d.%d.%d\"}",
				i ? ", " : "", int(i / 65536), i % 65536,
				int(i / 65536) % 256, int(i / 256) % 256, i % 256
		print "]}"
	}' >"$OUT/maps/jool-$n.json"
done

# words of a list travel to the guest joined by commas (its command line
# cannot carry quotes)
env=""
for v in ROUNDS PPS_SECS TCP_SECS PINGS JOOL_MAX WARM CONTENDERS; do
	[ -n "${!v:-}" ] && env="$env $v=$(tr ' ' , <<<"${!v}")"
done
DATA=$(for p in $PHASES; do [[ " rtt tcp pps perf scale " == *" $p "* ]] && echo $p; done | xargs)
if [ -n "$DATA" ]; then
	say "guest run: data path ($DATA; Linux $KVER, QEMU/TCG -icount, 1 vCPU)"
	ICOUNT=0 SMP=1 SHOW=1 MEM=2048 TIMEOUT=${TIMEOUT:-3600} OUT=$OUT LOG=$B/console-1.log \
		"$VM/run-vm.sh" "env$env PHASES=${DATA// /,} $BENCH/guest.sh" ||
		die "data-path guest failed (status $?, console $B/console-1.log)"
fi
if [[ " $PHASES " == *" mem "* ]]; then
	for cpus in $MEM_CPUS; do
		say "guest run: control plane (Linux $KVER, QEMU/TCG, $cpus vCPUs)"
		SMP=$cpus SHOW=1 MEM=2048 TIMEOUT=${TIMEOUT:-3600} OUT=$OUT LOG=$B/console-mem$cpus.log \
			"$VM/run-vm.sh" "env$env PHASES=mem $BENCH/guest.sh" ||
			die "control-plane guest on $cpus vCPUs failed (status $?, console $B/console-mem$cpus.log)"
	done
fi

say "report"
DATE=$(date +%F)
# a partial run (PHASES, CONTENDERS or MEM_CPUS given) is no publication
REPORT=$TOP/docs/bench/$DATE
[ "$PHASES $MEM_CPUS ${CONTENDERS:-}" = "$ALL_PHASES 2 8 " ] || REPORT=$B/partial-$DATE
mkdir -p "$(dirname "$REPORT")"
/usr/bin/python3 "$BENCH/report.py" --out "$REPORT" --results "$OUT/results.txt" \
	--host "$OUT/host.txt" --perf-dir "$OUT" --kernel "$KVER" --date "$DATE" \
	--jool-note "$JOOL_NOTE" --seconds $(((${EPOCHREALTIME/./} - T0) / 1000000))
[ "$REPORT" != "$TOP/docs/bench/$DATE" ] || [ -s "$REPORT.png" ] || die "the chart was not made"
