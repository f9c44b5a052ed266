#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing of the map646 family (nlfuzz.py): random and boundary
# attribute sets, wrong types and lengths, unknown attributes, nested
# garbage, broken headers, every command; each answer is a success or an
# errno with an extended-ack message, a refused request changes nothing and
# an accepted one exactly what it asked for (tables and settings of both
# devices read back after every request), reply padding is zero; then dumps
# of a large table cut short. The kernel log must stay clean.
#
#  ┌───────────────────────────────────────────────┐
#  │ xlat                                          │
#  │  map646, map646b  (type map646, tables and    │
#  │                    settings fuzzed)           │
#  │  lo               (not a map646 device)       │
#  │  nlfuzz.py: two request sockets + a reader    │
#  └───────────────────────────────────────────────┘
#
# env: NLFUZZ_SEED (default: from the clock; printed, it reproduces a run),
#      NLFUZZ_ITERATIONS (default 2000; up to twice that while a command
#      was never accepted), NLFUZZ_DUMP (mappings of the dump phase,
#      default 20000)
. "$(dirname "$0")/lib.sh"

SEED=${NLFUZZ_SEED:-$(date +%s%N | cut -c 10-18)}
ITERATIONS=${NLFUZZ_ITERATIONS:-2000}
DUMP=${NLFUZZ_DUMP:-20000}

ktap_plan 14
ns_new XLAT xl || ktap_bail "netns"
xlat_dev_add "$XLAT" map646 && xlat_dev_add "$XLAT" map646b || ktap_bail "devices"
diag "seed $SEED (NLFUZZ_SEED=$SEED reproduces), $ITERATIONS iterations, dumps of $DUMP"

dmesg_mark
start=$SECONDS
in_ns "$XLAT" "$PY" "$ST/nlfuzz.py" map646 map646b lo "$SEED" "$ITERATIONS" "$DUMP" \
	>"$TMP/fuzz.out" 2>&1
rc=$?
diag "nlfuzz.py: status $rc in $((SECONDS - start)) s"
n=0
while read -r tag name st detail; do
	[ "$tag" = CASE ] || { diag "$tag $name $st $detail"; continue; }
	n=$((n + 1))
	diag "$name: $detail"
	if [ "$st" = 0 ]; then ktap_ok "$name"; else ktap_fail "$name" "$detail (seed $SEED)"; fi
done <"$TMP/fuzz.out"
check_eq "fuzzer-finished" "0 11" "$rc $n"
check "devices-deletable" ip -n "$XLAT" link del map646
check "kernel-log-clean" dmesg_clean
