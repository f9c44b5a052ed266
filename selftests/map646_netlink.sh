#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad requests are refused: map646ctl exits 2 for malformed arguments and 1
# for a refusal, with a message on stderr; raw
# netlink requests get the right errno with an extended-ack message, and a
# refused request changes nothing (table and prefix compared before/after).
#
#  ┌─────────────────────────────────────┐
#  │ xlat                                │
#  │  map646: prefix 64:ff9b::/96        │
#  │    192.0.2.10 <-> 2001:db8:1::10    │
#  └─────────────────────────────────────┘
#  map646ctl and genl.py (raw generic netlink) run here, as root and as
#  nobody (setpriv --reuid=65534).
. "$(dirname "$0")/lib.sh"

ktap_plan 27
ns_new XLAT xl || ktap_bail "netns"
xlat_dev_add "$XLAT" map646 && xctl add "$SERVER_PUB" "$SERVER_IP6" ||
	ktap_bail "device setup failed"

state() { xctl show; xctl prefix show; }
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
STATE=	# as last seen

# refused NAME [STDERR-PATTERN] -- CMD...: CMD exits 1 (WANT=2: a usage
# error), says something on stderr (matching the pattern if given), and the
# state is unchanged
refused() {
	local name=$1 pat="" rc after why=""
	shift
	[ "$1" != -- ] && { pat=$1; shift; }
	shift
	in_ns "$XLAT" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	after=$(state)
	diag "$name: status $rc, stderr: $(head -c 300 "$TMP/err")"
	[ $rc = "${WANT:-1}" ] || why="$why status $rc (expected ${WANT:-1});"
	[ -s "$TMP/err" ] || why="$why nothing on stderr;"
	[ -n "$pat" ] && ! grep -qiE -- "$pat" "$TMP/err" && why="$why stderr lacks '$pat';"
	[ "$STATE" = "$after" ] || why="$why state changed: '$STATE' -> '$after';"
	STATE=$after
	if [ -z "$why" ]; then ktap_ok "$name"; else ktap_fail "$name" "$why"; fi
}

# raw NAME ERRNO ...: one raw request (genl.py arguments) and the errno it
# must get back, with a non-empty extack message. raw_run sends them all
# (one python start) and reports a case per request.
RAW_NAMES=() RAW_WANT=() RAW_ARGS=()
raw() {
	RAW_NAMES+=("$1") RAW_WANT+=("$2")
	shift 2
	[ ${#RAW_ARGS[@]} = 0 ] || RAW_ARGS+=(--)
	RAW_ARGS+=("$@")
}
raw_run() {
	local i out answers=()
	out=$(in_ns "$XLAT" "$PY" "$ST/genl.py" "${RAW_ARGS[@]}" 2>&1)
	mapfile -t answers <<<"$out"
	for i in "${!RAW_NAMES[@]}"; do
		out=${answers[$i]:-}
		diag "${RAW_NAMES[$i]}: $out"
		if [[ $out == "errno=${RAW_WANT[$i]} msg="?* ]]; then
			ktap_ok "${RAW_NAMES[$i]}"
		else
			ktap_fail "${RAW_NAMES[$i]}" "expected errno=${RAW_WANT[$i]} with an extack message"
		fi
	done
}

M=$MAP646CTL
STATE=$(state)
check_eq "initial-state" "$(printf '%s\n' "$SERVER_PUB $SERVER_IP6" "$PREFIX")" "$STATE"

# malformed input, refused by the tool
WANT=2 refused "tool-bad-ipv4" -- "$M" add 192.0.2.300 2001:db8:1::20
WANT=2 refused "tool-bad-ipv6" -- "$M" add 192.0.2.20 2001:db8:1::zz
WANT=2 refused "tool-swapped-families" -- "$M" add 2001:db8:1::20 192.0.2.20
WANT=2 refused "tool-prefix-len-95" -- "$M" prefix set 64:ff9b::/95
# what config check refuses, mapping add refuses before asking the kernel
refused "untranslatable-ipv4-loopback" "127.0.0.1 cannot be translated" -- "$M" add 127.0.0.1 2001:db8:1::20
refused "untranslatable-ipv6-multicast" "ff02::1 cannot be translated" -- "$M" add 192.0.2.20 ff02::1

# refused by the kernel (the tool prints strerror, then the extack message)
refused "dup-ipv4" "File exists" -- "$M" add "$SERVER_PUB" 2001:db8:1::20
refused "dup-ipv6" "File exists" -- "$M" add 192.0.2.20 "$SERVER_IP6"
refused "dup-both" "File exists" -- "$M" add "$SERVER_PUB" "$SERVER_IP6"
refused "del-absent" "No such file" -- "$M" del 192.0.2.99
refused "unknown-device" "No such device" -- "$M" -d nosuchdev add 192.0.2.20 2001:db8:1::20
refused "unknown-device-show" "No such device" -- "$M" -d nosuchdev show
WANT=2 refused "prefix-bits-64-71-set" -- "$M" prefix set 2001:db8:0:0:ff00::/96

# raw requests the tool cannot make
raw "raw-add-missing-ipv6" EINVAL map_add ifname=map646 ipv4=192.0.2.20
raw "raw-add-dup-ipv4" EEXIST map_add ifname=map646 ipv4="$SERVER_PUB" ipv6=2001:db8:1::20
raw "raw-add-dup-ipv6" EEXIST map_add ifname=map646 ipv4=192.0.2.20 ipv6="$SERVER_IP6"
raw "raw-unknown-device" ENODEV map_add ifname=nosuchdev ipv4=192.0.2.20 ipv6=2001:db8:1::20
raw "raw-prefix-len-95" EINVAL config_set ifname=map646 prefix=64:ff9b:: prefix_len=95
raw "raw-add-loopback" EINVAL map_add ifname=map646 ipv4=127.0.0.1 ipv6=2001:db8:1::20
# ifindex 0 without a name once made the kernel look up a NULL name (oops)
raw "raw-ifindex-zero" ERANGE config_get ifindex=0
raw_run
check_eq "raw-requests-changed-nothing" "$STATE" "$(state)"

# unprivileged callers may read, not write
refused "nobody-add-eperm" "Operation not permitted" -- "${NOBODY[@]}" "$M" add 192.0.2.20 2001:db8:1::20
refused "nobody-flush-eperm" "Operation not permitted" -- "${NOBODY[@]}" "$M" flush
refused "nobody-prefix-eperm" "Operation not permitted" -- "${NOBODY[@]}" "$M" prefix set none
check_eq "nobody-show-works" "$SERVER_PUB $SERVER_IP6" "$(in_ns "$XLAT" "${NOBODY[@]}" "$M" show 2>&1)"
check_eq "final-state" "$(printf '%s\n' "$SERVER_PUB $SERVER_IP6" "$PREFIX")" "$(state)"
