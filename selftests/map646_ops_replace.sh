#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The table-replace protocol at the netlink level (ops_genl.py, raw
# generic netlink): refusals carry an extended ack naming the attribute,
# refused batches apply nothing, a staged table is freed with its socket;
# and who may do what: reads are open, changes need CAP_NET_ADMIN.
#
#  ┌────────────────────────────────────────────────┐
#  │ xlat (the translator namespace of lib.sh)      │
#  │   map646: prefix 64:ff9b::/96                  │
#  │           192.0.2.10 <-> 2001:db8:1::10        │
#  │   ops_genl.py map646 (as root)                 │
#  │   map646ctl as nobody: show ok, load refused   │
#  └────────────────────────────────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 11
ns_new XLAT xl || ktap_bail "namespace"
xlat_dev_add "$XLAT" map646 && xctl add "$SERVER_PUB" "$SERVER_IP6" ||
	ktap_bail "device setup failed"

before=$(xctl save)
in_ns "$XLAT" "$PY" "$ST/ops_genl.py" map646 >"$TMP/genl.out" 2>&1
while read -r tag name st detail; do
	[ "$tag" = CASE ] || { diag "$tag $name $st $detail"; continue; }
	diag "$name: $detail"
	if [ "$st" = 0 ]; then ktap_ok "$name"; else ktap_fail "$name" "$detail"; fi
done <"$TMP/genl.out"
check_eq "table-unchanged" "$before" "$(xctl save)"

# an unprivileged user reads, and is refused changes
printf 'map-static 192.0.2.40 2001:db8:1::40\n' >/tmp/ops-replace-$$.conf
chmod 644 /tmp/ops-replace-$$.conf
nobody() { in_ns "$XLAT" setpriv --reuid=65534 --regid=65534 --clear-groups "$MAP646CTL" "$@"; }
check_eq "nobody-reads" "$SERVER_PUB $SERVER_IP6" "$(nobody mapping show)"
out=$(nobody load /tmp/ops-replace-$$.conf 2>&1)
rm -f /tmp/ops-replace-$$.conf
diag "$out"
check_eq "nobody-load-refused" 1 "$(grep -c 'Operation not permitted' <<<"$out")"
check_eq "nobody-reset-refused" 1 "$(nobody stats reset 2>&1 | grep -c 'Operation not permitted')"
