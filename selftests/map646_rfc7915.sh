#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# map646's own RFC 7915 / 6791 / 7757 packet cases, one KTAP case each,
# named after the rule it checks: rfc7915_cases.py writes the packet sent
# and the packets RFC 7915 says must come out (built with scapy, not with
# map646's code), jool_siit.py plays them byte for byte. Topology:
# siit_topo.sh. Every case must pass.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/siit_topo.sh"

CASES=$TMP/cases
"$PY" "$ST/rfc7915_cases.py" "$CASES" || ktap_bail "case generator failed"
# every case on every path (the default, prerouting, first)
set -- $XLAT_PATHS
ktap_plan $(($# * $(grep -vc '^#' "$CASES/cases.tsv")))
siit_topology
for p in $XLAT_PATHS; do
	sfx=" ($p)"
	XLAT_PATH=$p SUITE_NAME="rfc7915 own cases (path $p)" \
		"$PY" "$ST/jool_siit.py" "$CASES" "$MAP646CTL" "$XL" "$N4" "$N6" \
		>"$TMP/out" 2>&1
	grep '^#' "$TMP/out"
	grep -E '^(not )?ok [0-9]+ ' "$TMP/out" | while read -r st _ rest; do
		if [ "$st" = ok ]; then echo "ok $rest"; else echo "not ok ${rest#* }"; fi
	done >"$TMP/res"
	while read -r line; do
		case $line in
		"ok "*) ktap_ok "${line#ok }$sfx" ;;
		*) ktap_fail "${line#not ok }$sfx" "see the diagnostics above" ;;
		esac
	done <"$TMP/res"
	grep 'own cases' "$TMP/out"
done
