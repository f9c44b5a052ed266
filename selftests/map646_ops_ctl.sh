#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# map646ctl as an operator meets it: save writes nothing unless every query
# succeeded and replaces its FILE atomically (mode kept), sorted so that two
# devices with the same table save the same file and show the same digest;
# load is the whole state (a setting the file no longer names returns to
# its default); the command line behaves like ip(8): abbreviations by table
# order, list/ls, exit status 1 for a refusal and 2 for a usage error, one
# error prefix, -j wherever something is printed, unknown statements named,
# mapping add refusing what config check refuses, mapping show ADDR asking
# the kernel for one mapping instead of dumping the table.
#
#  ┌──────────────────────────────────────────────────┐
#  │ xlat                                             │
#  │   map646: 192.0.2.10 <-> 2001:db8:1::10 ...      │
#  │   other:  the same table, added in another order │
#  └──────────────────────────────────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 24
ns_new XLAT xl || ktap_bail "namespace"
xlat_dev_add "$XLAT" map646 && xlat_dev_add "$XLAT" other || ktap_bail "devices"
json() { "$PY" -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
# rc CMD...: the exit status of CMD (its output dropped)
rc() { "$@" >/dev/null 2>&1; echo $?; }

# the same table, in two orders
for i in 3 1 2 20 11; do xctl -d map646 add 192.0.2.$i 2001:db8:1::$i; done
for i in 11 2 20 1 3; do xctl -d other add 192.0.2.$i 2001:db8:1::$i; done

# -- save --
check_eq "save-sorted" "192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.11 192.0.2.20" \
	"$(xctl -d map646 save | awk '$1 == "map-static" { print $2 }' | xargs)"
check_eq "same-table-same-file" "$(xctl -d map646 save)" "$(xctl -d other save)"
d1=$(xctl -d map646 -j settings show | json "d['digest']")
d2=$(xctl -d other -j settings show | json "d['digest']")
check_eq "same-table-same-digest" "$d1" "$d2"
# the digest as documented: SHA-256 over IPv4 (4 bytes) + IPv6 (16 bytes)
# of each mapping, in IPv4 order
want=$(xctl -d map646 -j mapping show | "$PY" -c '
import hashlib, ipaddress, json, sys
m = sorted((ipaddress.IPv4Address(x["ipv4"]).packed, ipaddress.IPv6Address(x["ipv6"]).packed) for x in json.load(sys.stdin))
print(hashlib.sha256(b"".join(a + b for a, b in m)).hexdigest())')
check_eq "digest-as-documented" "$want" "$d1"
xctl -d other del 192.0.2.20
check "digest-follows-table" test "$d1" != "$(xctl -d other -j settings show | json "d['digest']")"

# nothing written on failure: no such device, to stdout and to FILE; the
# message says where it looked, not the errno's text twice
check_eq "no-such-device-message" \
	"map646ctl: No such device: no device of that name or index in this network namespace" \
	"$(xctl -d nosuch settings show 2>&1 | head -n 1)"
out=$(ip netns exec "$XLAT" "$MAP646CTL" -d nosuch save 2>/dev/null)
check_eq "failed-save-prints-nothing" "" "$out"
echo "old content" >"$TMP/saved.conf"
chmod 640 "$TMP/saved.conf"
xctl -d nosuch save "$TMP/saved.conf" 2>/dev/null
check_eq "failed-save-keeps-file" "old content" "$(cat "$TMP/saved.conf")"
check "save-file" xctl -d map646 save "$TMP/saved.conf"
check_eq "save-file-content-mode" "$(xctl -d map646 save) 640" \
	"$(cat "$TMP/saved.conf") $(stat -c %a "$TMP/saved.conf")"
check_eq "save-file-no-temporary-left" "saved.conf" "$(ls -A "$TMP" | grep saved)"

# -- load: the file is the whole state --
xctl -d map646 settings set pool4 192.0.2.240/28 lowest-ipv6-mtu 1400 tos zero path device
printf 'mapping-prefix 64:ff9b::\nmap-static 192.0.2.10 2001:db8:1::10\n' >"$TMP/min.conf"
check "load-minimal" xctl -d map646 load "$TMP/min.conf"
check_eq "omitted-settings-default" "None 1280 copy prerouting 1" \
	"$(xctl -d map646 -j settings show | json "d['pool4'], d['lowest_ipv6_mtu'], d['tos'], d['path'], d['mappings']" | tr -d "(),'")"

# -- the command line, like ip(8) --
check_eq "abbrev-m-s" "192.0.2.10 2001:db8:1::10" "$(xctl -d map646 m s)"
check_eq "list-ls-aliases" "192.0.2.10 2001:db8:1::10,192.0.2.10 2001:db8:1::10" \
	"$(xctl -d map646 mapping list),$(xctl -d map646 mapping ls)"
check_eq "exit-usage-2" "2 2 2" \
	"$(rc xctl mapping add 192.0.2.1) $(rc xctl frobnicate) $(rc xctl -d map646 mapping add 192.0.2.300 2001:db8::1)"
check_eq "exit-refusal-1" "1 1" \
	"$(rc xctl -d map646 mapping add 192.0.2.10 2001:db8:1::99) $(rc xctl -d map646 mapping del 192.0.2.99)"
printf 'frobnicate yes\nmap-static 192.0.2.1\n' >"$TMP/bad.conf"
err=$(xctl -d map646 config check "$TMP/bad.conf" 2>&1)
diag "$err"
check_eq "unknown-statement" 1 "$(grep -c "bad.conf:1: unknown statement 'frobnicate'" <<<"$err")"
check_eq "one-error-prefix" "" "$( (xctl -d map646 config check "$TMP/bad.conf"; xctl -d map646 mapping add 1; xctl -d map646 mapping add 192.0.2.10 2001:db8:1::99; xctl -d nosuch save) 2>&1 >/dev/null | grep -v '^map646ctl: ' | grep -v '^usage: ')"
printf 'map-static 224.0.0.1 2001:db8:1::77\n' >"$TMP/mc.conf"
check_eq "add-refuses-as-config-check" \
	"$(xctl config check "$TMP/mc.conf" 2>&1 | sed -n 's/.*mc.conf:1: //p')" \
	"$(xctl -d map646 mapping add 224.0.0.1 2001:db8:1::77 2>&1 | sed 's/^map646ctl: //')"
check_eq "json-everywhere" "1 1 4 1 0" "$(
	xctl -j config check "$TMP/min.conf" | json "d['mappings']") $(
	xctl -j -d map646 sync "$TMP/min.conf" | json "d['unchanged']") $(
	xctl -j config routes "$TMP/min.conf" | json "d[0]['family']") $(
	xctl -j -d map646 prefix show | json "d == '64:ff9b::/96' and 1") $(
	xctl -j -d map646 save | json "len(d['mappings']) - 1")"

# mapping show ADDR: the kernel looks the address up (a request without
# NLM_F_DUMP), whichever family the address is
trace=$(in_ns "$XLAT" strace -o "$TMP/strace" -e trace=sendto "$MAP646CTL" -d map646 mapping show 2001:db8:1::10 2>&1)
check_eq "show-addr-lookup" "192.0.2.10 2001:db8:1::10" "$trace"
diag "$(cut -c1-150 "$TMP/strace")"
check_eq "show-addr-no-dump" "2 0" \
	"$(grep -c 'NLM_F_REQUEST|NLM_F_ACK' "$TMP/strace") $(grep -c 'NLM_F_DUMP' "$TMP/strace")"
check_eq "show-addr-missing" "1" "$(rc xctl -d map646 mapping show 192.0.2.99)"
