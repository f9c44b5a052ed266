#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# map646 driven by the kernel's own netlink tool, ynl (tools/net/ynl/cli.py
# of linux-source-6.12, extracted into build/ynl by selftests/vm/setup.sh),
# from nothing but the family's YNL spec, uapi/netlink/map646.yaml: add a
# mapping, dump the table, look one address up, read the settings and the
# counters with their names, replace table and settings in one swap (three
# requests on one socket), and a refusal with its extended ack. map646ctl
# must see what ynl did, and name the counters as the kernel does. Last,
# the policies the running kernel reports (ynl on the nlctrl spec,
# getpolicy) must be those the spec describes (ynl_spec.py).
#
#  ┌──────────────────────────────────────────────┐
#  │ xlat                                         │
#  │   map646: prefix 64:ff9b::/96                │
#  │   ynl --spec uapi/netlink/map646.yaml ...    │
#  │   map646ctl reads back                       │
#  └──────────────────────────────────────────────┘
. "$(dirname "$0")/lib.sh"

YNL=$TOP/build/ynl
ktap_plan 8
[ -f "$YNL/tools/net/ynl/cli.py" ] || ktap_bail "no $YNL/tools/net/ynl/cli.py: run selftests/vm/setup.sh"
ns_new XLAT xl && xlat_dev_add "$XLAT" map646 || ktap_bail "device setup failed"

# ynl ARGS...: the kernel's ynl CLI on the map646 spec, JSON output
ynl() {
	in_ns "$XLAT" "$PY" "$YNL/tools/net/ynl/cli.py" --spec "$TOP/uapi/netlink/map646.yaml" \
		--schema "$YNL/Documentation/netlink/genetlink-legacy.yaml" --output-json "$@"
}
json() { "$PY" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
hex4() { "$PY" -c "import ipaddress, sys; print(ipaddress.ip_address(sys.argv[1]).packed.hex())" "$1"; }
DEV='"ifname": "map646"'

check "ynl-map-add" ynl --do map-add --json \
	"{$DEV, \"map-ipv4\": \"$(hex4 192.0.2.10)\", \"map-ipv6\": \"$(hex4 2001:db8:1::10)\"}"
out=$(ynl --dump map-get --json "{$DEV}")
diag "dump: $out"
check_eq "ynl-dump" "192.0.2.10 2001:db8:1::10 0 | 192.0.2.10 2001:db8:1::10" \
	"$(json "d[0]['map-ipv4'], d[0]['map-ipv6'], d[0]['map-stats']['pkts-4to6']" <<<"$out" | tr -d "(),'") | $(xctl mapping show)"
out=$(ynl --do map-get --json "{$DEV, \"map-ipv6\": \"$(hex4 2001:db8:1::10)\"}")
check_eq "ynl-get-one" "192.0.2.10" "$(json "d['map-ipv4']" <<<"$out" 2>&1)"
out=$(ynl --do config-get --json "{$DEV}")
diag "config: $out"
check_eq "ynl-config-get" "map646 64:ff9b:: 96 1280 1 1" \
	"$(json "d['ifname'], d['prefix'], d['prefix-len'], d['lowest-mtu'], d['tos-copy'], d['map-count']" <<<"$out" | tr -d "(),'")"

# every counter has the kernel's name, and map646ctl prints that name
out=$(ynl --do stats-get --json "{$DEV}")
kernel=$(json "' '.join(d['stats-names'][k] for k in d['stats'])" <<<"$out" 2>&1)
diag "kernel's counter names: $kernel"
check_eq "counter-names" "$kernel" "$(xctl stats show | cut -d' ' -f1 | xargs)"

# settings and table in one replace: BEGIN, ADD, COMMIT on one socket
out=$(ynl --multi replace-begin "{$DEV, \"replace-config\": true, \"prefix\": \"$(hex4 64:ff9b::)\", \"prefix-len\": 96, \"pool4\": \"$(hex4 192.0.2.240)\", \"pool4-len\": 28}" \
	--multi replace-add "{$DEV, \"maps\": {\"map\": [{\"map-ipv4\": \"$(hex4 192.0.2.11)\", \"map-ipv6\": \"$(hex4 2001:db8:1::11)\"}, {\"map-ipv4\": \"$(hex4 192.0.2.12)\", \"map-ipv6\": \"$(hex4 2001:db8:1::12)\"}]}}" \
	--multi replace-commit "{$DEV}" 2>&1)
diag "replace: $out"
check_eq "ynl-replace-settings-and-table" "192.0.2.11,192.0.2.12 192.0.2.240/28" \
	"$(xctl mapping show | cut -d' ' -f1 | paste -sd,) $(xctl -j settings show | json "d['pool4']")"

# a refusal: the errno and the extended ack
out=$(ynl --do map-add --json "{$DEV, \"map-ipv4\": \"$(hex4 224.0.0.1)\", \"map-ipv6\": \"$(hex4 2001:db8:1::77)\"}" 2>&1)
rc=$?
diag "refusal: $out"
check_eq "ynl-refusal-extack" "1 1" "$rc $(grep -c 'MAP646_A_MAP_IPV4 cannot be translated' <<<"$out")"

# the spec against the policies the running kernel reports
in_ns "$XLAT" "$PY" "$YNL/tools/net/ynl/cli.py" --spec "$YNL/Documentation/netlink/specs/nlctrl.yaml" \
	--schema "$YNL/Documentation/netlink/genetlink-legacy.yaml" --output-json \
	--dump getpolicy --json '{"family-name": "map646"}' >"$TMP/policy.json"
check "spec-matches-kernel-policies" "$PY" "$ST/ynl_spec.py" --kernel-policy "$TMP/policy.json" "$TOP"
