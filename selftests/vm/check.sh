#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: prepare the host, build module + tool, run the style checks
# (selftests/style.sh) and host unit tests, boot QEMU guests that run
# every selftest, check the guest's kernel log. Counts KTAP cases: style,
# host unit tests, every case of every guest test, and "kernel-log-clean".
# The last line is "N passed, N failed, N skipped"; the exit status is non-zero if
# anything failed.
# usage: check.sh [TEST...]   (default: all of selftests/Makefile TEST_PROGS;
#      with TESTs named, the fuzzer runs only if FUZZ_TIME is set and the
#      packages are built only for map646_ops_deb.sh)
# env: GUESTS (guests sharing the tests, default 2; 1 with TESTs named)
# env: KERNEL (6.1, 6.12, sid or debug: the kernel to build for and boot,
#      see kernel.sh; default 6.1)
# env: TIMEOUT (guest wall limit, default 2400 s), TEST_TIMEOUT (per test,
#      300 s); both multiplied by the kernel's slowness (KSLOW, kernel.sh)
# env: M646_SLOW, NLFUZZ_SEED, NLFUZZ_ITERATIONS, NLFUZZ_DUMP, STRESS_*:
#      passed on to the guest's tests (see lib.sh, map646_nlfuzz.sh,
#      map646_stress.sh)
# Logs: build/vm/{build,style,unit}.log, build/vm/console.log, build/vm/out/NAME.log
set -u
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
ST=$TOP/selftests
B=$TOP/build/vm
OUT=$B/out
T0=${EPOCHREALTIME/./}
pass=0 fail=0 skip=0

elapsed() { echo "$(((${EPOCHREALTIME/./} - T0) / 1000000)) s"; }
say() { echo "check: $* [$(elapsed)]"; }
finish() {
	say "done"
	echo "$pass passed, $fail failed, $skip skipped"
	[ $fail = 0 ]
	exit
}
# KTAP case counts of a log: "PLAN OK NOTOK SKIP" (PLAN "-" if there is
# none; OK counts the cases that passed, SKIP those reported "ok ... # SKIP")
counts() {
	local plan ok skipped
	plan=$(sed -n 's/^1\.\.\([0-9]\+\).*/\1/p' "$1" | head -n 1)
	ok=$(grep -cE '^ok [0-9]+ ' "$1")
	skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$1")
	echo "${plan:--} $((ok - skipped)) $(grep -cE '^not ok [0-9]+ ' "$1") $skipped"
}

# The default kernel (bookworm's, whose headers apt installs): every case
# must run there, but for the skips selftests/skips-allowed lists.
must_run=0
case ${KERNEL:-} in "" | 6.1 | bookworm) must_run=1 ;; esac
# the skipped cases of KTAP log $2 of test $1 that are not allowed: "NAME (REASON)"
forbidden_skips() {
	local test=$1 log=$2 name
	[ $must_run = 1 ] || return 0
	grep -E '^ok [0-9]+ .*# SKIP' "$log" | while read -r _ _ name rest; do
		awk -v t="$test" -v c="$name" '!/^#/ && NF >= 2 && $1 == t {
			pat = "^" $2 "$"; gsub(/\*/, ".*", pat); if (c ~ pat) found = 1 }
			END { exit !found }' "$ST/skips-allowed" 2>/dev/null ||
			echo "$name (${rest#*# SKIP })"
	done
}
# the failed cases of a KTAP log, each with the diagnostics just before it
failures() {
	awk '/^#/ { d[n++ % 8] = $0; next }
	     /^not ok [0-9]+ / { for (i = (n > 8 ? n - 8 : 0); i < n; i++) print "    " d[i % 8];
				 print "    " $0; n = 0; next }
	     /^Bail out!/ { print "    " $0 }
	     { n = 0 }' "$1"
}

# KERNEL=6.1|6.12|sid: a kernel of the matrix (kernel.sh fetches it and
# names its build tree); `make check KERNEL=...` has done so already.
if [ -n "${KERNEL:-}" ] && [ -z "${KDIR:-}" ]; then
	kinfo=$("$VM/kernel.sh" "$KERNEL") || { echo "not ok kernel $KERNEL"; fail=1; finish; }
	eval "$kinfo"
	export KERNEL KVER KDIR KCHROOT KIMAGE KSLOW
fi
slow=${KSLOW:-1}
export M646_SLOW=${M646_SLOW:-$slow}
TEST_TIMEOUT=${TEST_TIMEOUT:-$((300 * slow))}
mkdir -p "$B"
say "host setup"
if ! "$VM/setup.sh"; then
	echo "not ok setup"
	fail=1
	finish
fi
KVER=${KVER:-$("$VM/kver.sh")} || { echo "not ok kver"; fail=1; finish; }
export KVER

say "build module + map646ctl (KVER=$KVER)"
if ! "$VM/build.sh"; then
	echo "not ok build"
	fail=1
	finish
fi

# host_suite NAME LOG CMD...: a KTAP-printing command run on the host;
# every ok / not ok line counts, a failing command without one counts once
host_suite() {
	local name=$1 log=$2 rc ok nok
	shift 2
	"$@" >"$log" 2>&1
	rc=$?
	read -r _ ok nok skipped < <(counts "$log")
	pass=$((pass + ok)) fail=$((fail + nok)) skip=$((skip + skipped))
	if [ $rc != 0 ] && [ "$nok" = 0 ]; then
		fail=$((fail + 1))
		tail -n 20 "$log"
		echo "not ok $name (status $rc, log $log)"
	elif [ "$nok" != 0 ]; then
		failures "$log"
		echo "not ok $name ($nok of $((ok + nok)) failed, log $log)"
	else
		echo "ok $name ($ok cases)"
	fi
}

if [ -x "$ST/style.sh" ]; then
	say "style: checkpatch, sparse"
	host_suite style "$B/style.log" "$ST/style.sh" "$KVER"
fi
if [ -f "$ST/host/Makefile" ]; then
	say "host unit tests"
	host_suite unit "$B/unit.log" make -C "$TOP" unit
fi
# named tests (a developer's narrow run): the fuzzer and the packages only
# when asked for (FUZZ_TIME set, map646_ops_deb.sh named)
named=" $* "
if [ -f "$ST/fuzz/Makefile" ] && { [ $# = 0 ] || [ -n "${FUZZ_TIME:-}" ]; }; then
	say "fuzz the translation core (${FUZZ_TIME:-60} s)"
	host_suite fuzz "$B/fuzz.log" make -C "$TOP" fuzz FUZZ_TIME="${FUZZ_TIME:-60}"
	grep '^fuzz: .*execs' "$B/fuzz.log"
fi
if [ -x "$ST/ops_debs.sh" ] && [ -d "/lib/modules/$KVER/build" ] &&
   { [ $# = 0 ] || [[ $named == *" map646_ops_deb.sh "* ]]; }; then
	say "Debian packages + DKMS build for the guest (map646_ops_deb.sh)"
	host_suite debs "$B/debs.log" bash -c "'$ST/ops_debs.sh' '$KVER' && echo 'ok 1 debs'"
fi

if [ $# -gt 0 ]; then
	tests="$*"
else
	tests=$(make -s --no-print-directory -C "$ST" \
		--eval 'print-tests: ; @echo $(TEST_PROGS)' print-tests)
fi
if [ -z "$tests" ]; then
	echo "not ok guest (no TEST_PROGS in $ST/Makefile)"
	fail=$((fail + 1))
	finish
fi
rm -rf "$OUT"
mkdir -p "$OUT"
# the guest starts with an empty environment: pass on the tests' knobs
fwd=
for v in M646_SLOW TEST_TIMEOUT NLFUZZ_SEED NLFUZZ_ITERATIONS NLFUZZ_DUMP \
	STRESS_SCALE STRESS_LOAD STRESS_PARALLEL STRESS_ONLY STRESS_SEED STRESS_BURSTS; do
	[ -n "${!v:-}" ] && fwd="$fwd $v=$(printf %q "${!v}")"
done
# Several guests share the tests (most of a test's time is spent waiting:
# for timers, daemons, the network), each its own kernel; longest first to
# the least loaded, by the seconds of the last run ($B/test-seconds) or
# else of selftests/vm/test-seconds; each guest keeps TEST_PROGS order.
guests=${GUESTS:-$([ $# -gt 0 ] && echo 1 || echo 2)}
shards=$(for t in $tests; do echo "$t"; done | awk -v n="$guests" '
	FILENAME != "-" { if (!/^#/ && NF == 2) secs[$1] = $2; next }
	{ t[++k] = $1; w[k] = ($1 in secs) ? secs[$1] : 30 }
	END {
		for (i = 1; i <= k; i++) order[i] = i
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
			if (w[order[j]] > w[order[i]]) { x = order[i]; order[i] = order[j]; order[j] = x }
		for (i = 1; i <= k; i++) {
			g = 1
			for (h = 2; h <= n; h++) if (load[h] < load[g]) g = h
			load[g] += w[order[i]]; shard[order[i]] = g
		}
		for (g = 1; g <= n; g++) { line = ""
			for (i = 1; i <= k; i++) if (shard[i] == g) line = line " " t[i]
			if (line != "") print substr(line, 2) }
	}' $(ls "$VM/test-seconds" "$B/test-seconds" 2>/dev/null) -)
say "guest: $(wc -w <<<"$tests") tests in $(wc -l <<<"$shards") guests"
g=0 pids=()
while read -r shard; do
	g=$((g + 1))
	OUT=$OUT/g$g LOG=$B/console-g$g.log SHOW=1 TIMEOUT=${TIMEOUT:-$((2400 * slow))} \
		"$VM/run-vm.sh" "${fwd:+env$fwd }$VM/guest-run.sh $shard" &
	pids+=($!)
done <<<"$shards"
grc=0
for p in "${pids[@]}"; do
	wait "$p"
	st=$?
	# the worst outcome: died, timed out, failed
	if [ "$st" = 125 ] || { [ "$st" = 124 ] && [ "$grc" != 125 ]; } ||
		[ "$grc" = 0 ]; then
		grc=$st
	fi
done
for d in "$OUT"/g*; do
	for f in dmesg kmemleak; do
		[ -f "$d/$f.txt" ] && cat "$d/$f.txt" >>"$OUT/$f.txt"
	done
	mv "$d"/*.log "$d"/*.rc "$OUT/" 2>/dev/null
done
cat "$B"/console-g*.log >"$B/console.log"
rm -f "$B"/console-g*.log
# the next run's shares
awk 'FILENAME ~ /\.rc$/ { f = FILENAME; sub(/.*\//, "", f); sub(/\.rc$/, "", f)
		s[f ".sh"] = $2; next }
	!/^#/ && NF == 2 { s[$1] = $2 }
	END { for (t in s) print t, s[t] }' $(ls "$VM/test-seconds" "$B/test-seconds" "$OUT"/*.rc 2>/dev/null) |
	sort >"$B/test-seconds.new" && mv "$B/test-seconds.new" "$B/test-seconds"
say "guests finished (status $grc)"

fail0=$fail
for t in $tests; do
	name=$(basename "$t" .sh)
	log=$OUT/$name.log
	if [ ! -f "$OUT/$name.rc" ]; then
		echo "not ok $name (did not finish: the guest stopped)"
		fail=$((fail + 1))
		continue
	fi
	read -r rc secs <"$OUT/$name.rc"
	read -r plan ok nok skipped < <(counts "$log")
	missing=0
	[ "$plan" != - ] && [ $((ok + nok + skipped)) -lt "$plan" ] &&
		missing=$((plan - ok - nok - skipped))
	bad=$((nok + missing))
	[ "$plan" = - ] && [ $bad = 0 ] && bad=1
	[ "$rc" != 0 ] && [ $bad = 0 ] && bad=1
	pass=$((pass + ok)) fail=$((fail + bad)) skip=$((skip + skipped))
	if [ $bad = 0 ]; then
		note=
		[ "$skipped" = 0 ] || note=", $skipped skipped"
		echo "ok $name ($ok cases$note, $secs s)"
	else
		failures "$log"
		why="$nok failed"
		[ $missing != 0 ] && why="$why, $missing not reported"
		[ "$plan" = - ] && why="no KTAP plan"
		[ "$rc" = 124 ] && why="$why, timed out"
		echo "not ok $name ($why, status $rc, $secs s, log $log)"
	fi
	sed -n 's/^# summary: /    /p' "$log"
	bad_skips=$(forbidden_skips "$name" "$log")
	if [ -n "$bad_skips" ]; then
		sed 's/^/    skipped: /' <<<"$bad_skips" | head -n 5
		echo "not ok $name-must-run ($(wc -l <<<"$bad_skips") cases skipped on the default kernel; selftests/skips-allowed lists the skips allowed)"
		fail=$((fail + 1))
	fi
done

case $grc in
0) ;;
124) echo "not ok guest (timed out)"; fail=$((fail + 1)) ;;
125)
	echo "not ok guest (died: panic, oops or WARN; console log $B/console.log)"
	grep -aE -A20 'Kernel panic|BUG:|WARNING:' "$B/console.log" | head -n 40 | sed 's/^/    /'
	fail=$((fail + 1))
	;;
*)
	if [ $fail = "$fail0" ]; then
		echo "not ok guest (status $grc, console log $B/console.log)"
		fail=$((fail + 1))
	fi
	;;
esac

# a kernel with kmemleak: guest-run.sh scanned it after the tests
if [ -f "$OUT/kmemleak.txt" ]; then
	if [ -s "$OUT/kmemleak.txt" ]; then
		head -n 40 "$OUT/kmemleak.txt" | sed 's/^/    /'
		echo "not ok kmemleak-clean ($(grep -c '^unreferenced object' "$OUT/kmemleak.txt") leaks, $OUT/kmemleak.txt)"
		fail=$((fail + 1))
	else
		echo "ok kmemleak-clean"
		pass=$((pass + 1))
	fi
fi

bad_lines=$(cat "$B/console.log" "$OUT/dmesg.txt" 2>/dev/null |
	grep -aE 'WARNING:|BUG:|Oops|KASAN|general protection|Call Trace|RCU.*stall|suspicious RCU usage|UBSAN')
if [ -z "$bad_lines" ] && [ -s "$B/console.log" ]; then
	echo "ok kernel-log-clean"
	pass=$((pass + 1))
else
	sed 's/^/    /' <<<"$bad_lines" | sort -u | head -n 20
	echo "not ok kernel-log-clean (console log $B/console.log)"
	fail=$((fail + 1))
fi
finish
