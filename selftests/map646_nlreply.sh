#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink replies carry no uninitialised kernel bytes: every kind of
# message the family sends (settings, counters, a dump with every
# per-mapping counter, acks with and without extended-ack attributes,
# table and settings notifications) is read byte by byte (nlreply.py): alignment
# padding and the genetlink header's reserved field must be zero, lengths
# must add up. The family has no struct-type attributes; their values are
# checked by the other tests. Standard topology (lib.sh); a ping first, so
# that the mapping's counters are all present:
#
#  client4 ── ping 192.0.2.10 ──► xlat (map646) ──► server6
#                                  nlreply.py runs here
. "$(dirname "$0")/lib.sh"

ktap_plan 15
topo_standard || ktap_bail "topology setup failed"
check_eq "ping-through" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"
before=$(xctl save)
in_ns "$XLAT" "$PY" "$ST/nlreply.py" map646 >"$TMP/reply.out" 2>&1
rc=$?
while read -r tag name st detail; do
	[ "$tag" = CASE ] || { diag "$tag $name $st $detail"; continue; }
	diag "$name: $detail"
	if [ "$st" = 0 ]; then ktap_ok "$name"; else ktap_fail "$name" "$detail"; fi
done <"$TMP/reply.out"
check_eq "nlreply-finished" 0 "$rc"
check_eq "table-as-before" "$before" "$(xctl save)"
