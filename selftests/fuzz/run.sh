#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Seed the corpus (the Jool suite's packets when present, map646's own
# cases), fuzz for SECONDS, print "fuzz: N execs, C crashes, P property
# failures"; non-zero on any crash or property failure.
# usage: run.sh BUILD_DIR SECONDS
set -u
B=$1 T=$2
FUZZ=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$FUZZ/../.." && pwd)
SEEDS=$B/seeds CORPUS=$B/corpus
mkdir -p "$SEEDS" "$CORPUS"
rm -f "$B"/crash-* "$B"/leak-* "$B"/timeout-*

# a seed is a direction byte (0: IPv4 in, 1: IPv6 in) + the packet
seed() {
	local f
	for f in "$@"; do
		{ [ "$(head -c1 "$f" | od -An -tx1 | tr -d ' ' | cut -c1)" = 6 ] &&
			printf '\001' || printf '\000'
		  cat "$f"; } >"$SEEDS/$(basename "$(dirname "$f")")-$(basename "$f")"
	done
}
JOOL=$TOP/../shared/conformance/jool-siit
[ -d "$JOOL" ] && seed "$JOOL"/7915/*.pkt "$JOOL"/pktgen/*/*.pkt "$JOOL"/manual/*.pkt
/usr/bin/python3 "$TOP/selftests/rfc7915_cases.py" "$B/own" >/dev/null 2>&1 &&
	seed "$B"/own/*.pkt
echo "fuzz: $(ls "$SEEDS" | wc -l) seeds, $T s"

"$B/fuzz_xlat" -max_total_time="$T" -print_final_stats=1 -artifact_prefix="$B/" \
	"$CORPUS" "$SEEDS" >"$B/fuzz.log" 2>&1
st=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz.log" | tail -1)
props=$(grep -c 'PROPERTY FAILED' "$B/fuzz.log")
crashes=$(ls "$B"/crash-* "$B"/leak-* "$B"/timeout-* 2>/dev/null | wc -l)
[ $st != 0 ] && [ "$crashes" = 0 ] && [ "$props" = 0 ] && crashes=1
grep -E 'PROPERTY FAILED|ERROR: |SUMMARY' "$B/fuzz.log" | head -5
echo "fuzz: ${execs:-0} execs, $((crashes - props < 0 ? 0 : crashes - props)) crashes, $props property failures"
if [ $st = 0 ]; then echo "ok 1 fuzz-xlat"; else echo "not ok 1 fuzz-xlat"; fi
[ $st = 0 ]
