#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The external RFC 7915 packet suite of the Jool project, run through
# map646 (../shared/conformance/jool-siit, read in place; skipped when
# absent). jool_siit.py sends each case's packet as-is on one link and
# compares what arrives on the other, byte for byte.
#
# Topology: siit_topo.sh.
#
# Runs on every path (XLAT_PATHS, lib.sh): one case per path. Each passes
# when every failure is a known, documented difference (KNOWN below,
# README "Conformance") and P >= 95 % of P+F.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/siit_topo.sh"

SUITE=${JOOL_SIIT_SUITE:-$TOP/../shared/conformance/jool-siit}
# Cases map646 answers differently on purpose, with the reason:
KNOWN="rfc7915-46-aat2 rfc7915-46-hat1 rfc7915-46-hat2 misc-64-6791v64t"
#  aat2: IPv4 source route options: on path device the kernel drops such
#    packets on input (accept_source_route=0, the default; RFC 7126
#    4.4.5) before the translator sees them; path prerouting sees them
#    first and answers as RFC 7915 says.
#  hat1, hat2: IPv4 source 127.0.0.1 / 0.0.0.0: the kernel's router drops
#    martian sources before any translator sees them (RFC 1812 5.3.7).
#  6791v64t with no pool: map646 drops (RFC 6791 4: the pool is
#    configured; no pool, no translation) where Jool uses its own address.

set -- $XLAT_PATHS
ktap_plan $#
if [ ! -f "$SUITE/cases.tsv" ]; then
	echo "jool-siit conformance: suite absent ($SUITE), nothing counted"
	for p in $XLAT_PATHS; do
		ktap_skip "jool-siit-conformance ($p)" "suite folder absent"
	done
	exit 0
fi

siit_topology

# one run of the suite on every path, the default (prerouting) first
for p in $XLAT_PATHS; do
	name="jool-siit-conformance ($p)"
	XLAT_PATH=$p JOOL_FAILS=$TMP/fails "$PY" "$ST/jool_siit.py" "$SUITE" "$MAP646CTL" \
		"$XL" "$N4" "$N6" >"$TMP/out" 2>&1
	sed "s/^/# $p: /" "$TMP/out"
	summary=$(grep '^jool-siit conformance:' "$TMP/out")
	diag "summary: $summary (path $p)"
	read -r pass fail <<<"$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$summary")"
	unknown=$(grep -vxF -f <(tr ' ' '\n' <<<"$KNOWN") "$TMP/fails" | grep . | tr '\n' ' ')
	if [ -z "$summary" ]; then
		ktap_fail "$name" "runner died"
	elif [ -n "$unknown" ]; then
		ktap_fail "$name" "unexpected failures: $unknown"
	elif [ $((pass + fail)) -lt 100 ] || [ $((pass * 100)) -lt $((95 * (pass + fail))) ]; then
		ktap_fail "$name" "below target: $pass of $((pass + fail))"
	else
		ktap_ok "$name"
	fi
done
