#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The map646 demo (`make demo` boots a guest and runs this; as root it runs
# on any machine where the module loads). Every command is printed first,
# "+ [namespace] command".
#
#  ┌─────────────────────┐    ┌──────────────────────────────┐    ┌───────────────────────────┐
#  │ client4 (IPv4 only) │    │ xlat                         │    │ server6 (IPv6 only)       │
#  │ 198.51.100.7/24    ─┼────┼─ 198.51.100.1/24             │    │                           │
#  │                     │    │           2001:db8:1::1/64  ─┼────┼─ 2001:db8:1::10/64        │
#  │ curl 192.0.2.10     │    │ map646: 192.0.2.10           │    │ python3 -m http.server    │
#  │                     │    │      <-> 2001:db8:1::10      │    │ sees the client as        │
#  │                     │    │ prefix 64:ff9b::/96          │    │ 64:ff9b::198.51.100.7     │
#  └─────────────────────┘    └──────────────────────────────┘    └───────────────────────────┘
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$TOP/tools:$PATH
W=$(mktemp -d /tmp/map646-demo.XXXXXX)
failed=0

say() { printf '\n== %s\n' "$*"; }
# on NS CMD...: print (to stderr, so pipes get only CMD's output) and run
# CMD in namespace NS ("-" = this namespace)
on() {
	local ns=$1
	shift
	if [ "$ns" = - ]; then
		echo "+ $*" >&2
		"$@"
	else
		echo "+ [$ns] $*" >&2
		ip netns exec "$ns" "$@"
	fi
}
cleanup() {
	[ -n "${HTTP_PID:-}" ] && kill "$HTTP_PID" 2>/dev/null && wait "$HTTP_PID" 2>/dev/null
	for ns in client4 xlat server6; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT

say "Three namespaces, two veth links"
for ns in client4 xlat server6; do on - ip netns add $ns; ip -n $ns link set lo up; done
on - ip link add eth0 netns client4 type veth peer name to-client netns xlat
on - ip link add eth0 netns server6 type veth peer name to-server netns xlat
ip netns exec client4 sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for ns in xlat server6; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0; done
on client4 ip addr add 198.51.100.7/24 dev eth0
on xlat ip addr add 198.51.100.1/24 dev to-client
on xlat ip addr add 2001:db8:1::1/64 dev to-server nodad
on server6 ip addr add 2001:db8:1::10/64 dev eth0 nodad
for l in "client4 eth0" "xlat to-client" "xlat to-server" "server6 eth0"; do
	set -- $l
	ip -n "$1" link set "$2" up
done
on client4 ip route add default via 198.51.100.1
on server6 ip -6 route add default via 2001:db8:1::1
on xlat sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

say "The translator: a map646 device, routes into it, prefix, one mapping"
on xlat ip link add map646 type map646
on xlat ip link set map646 up
on xlat ip route add 192.0.2.0/24 dev map646
on xlat ip -6 route add 64:ff9b::/96 dev map646
on xlat map646ctl prefix set 64:ff9b::/96
on xlat map646ctl add 192.0.2.10 2001:db8:1::10
on xlat map646ctl show

say "The IPv4-only client pings the server's public IPv4 address"
on client4 ping -c 3 -i 0.3 192.0.2.10 || failed=1

say "An HTTP server listening on IPv6 only"
mkdir -p "$W/www"
echo "Hello from 2001:db8:1::10, an IPv6-only server" >"$W/www/index.html"
echo "+ [server6] python3 -m http.server --bind 2001:db8:1::10 80 &"
ip netns exec server6 /usr/bin/python3 -m http.server --bind 2001:db8:1::10 \
	--directory "$W/www" 80 >"$W/access.log" 2>&1 &
HTTP_PID=$!
for _ in $(seq 100); do
	[ -n "$(ip netns exec server6 ss -Hltn 'sport = :80')" ] && break
	sleep 0.1
done
on server6 ss -ltn 'sport = :80'

say "The client fetches a page from it over IPv4"
on client4 curl -sS --max-time 10 http://192.0.2.10/ | tee "$W/page"
cmp -s "$W/page" "$W/www/index.html" || failed=1

say "The server's access log: the client appears as prefix + its IPv4 address"
for _ in $(seq 50); do grep -q 'GET /' "$W/access.log" && break; sleep 0.1; done
echo "+ [server6] cat access.log"
grep 'GET /' "$W/access.log" || failed=1
peer=$(awk '/GET \// { print $1; exit }' "$W/access.log")
if [[ $peer =~ ^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$ ]]; then
	hi=$((16#${BASH_REMATCH[1]})) lo=$((16#${BASH_REMATCH[2]}))
	v4=$((hi >> 8)).$((hi & 255)).$((lo >> 8)).$((lo & 255))
	echo "   $peer = 64:ff9b::$v4 (client4's address, 198.51.100.7)"
	[ "$v4" = 198.51.100.7 ] || failed=1
else
	echo "   unexpected client address: '$peer'"
	failed=1
fi

say "The IPv6-only server reaches the client through the prefix"
on server6 ping -c 2 -i 0.3 64:ff9b::198.51.100.7 || failed=1

say "What the translator saw"
on xlat map646ctl show
on xlat map646ctl stats
on xlat ip -s link show map646

echo
if [ $failed = 0 ]; then echo "demo: OK"; else echo "demo: FAILED"; fi
exit $failed
