#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The topology the RFC 7915 packet suites assume (sourced after lib.sh by
# map646_jool_siit.sh and map646_rfc7915.sh); siit_topology sets N4, XL
# (also XLAT) and N6:
#
#  ┌──────────────────────────┐   ┌─────────────────────────────────────┐   ┌────────────────────────────┐
#  │ n4 (IPv4 node)           │   │ xlat                                │   │ n6 (IPv6 node)             │
#  │ n4-eth 198.51.100.2/24 ──┼───┼─ x-n4 198.51.100.1/24                │   │                            │
#  │ 192.0.2.0/24, 1.0.0.0/24,│   │            x-n6 2001:db8:1c0:2:1::/64┼───┼─ n6-eth 2001:db8:1c0:2:21::│
#  │ 10.0.0.0/24 via xlat     │   │ map646: prefix 2001:db8:100::/40    │   │ 2001:db8:100::/40 via xlat │
#  └──────────────────────────┘   │  192.0.2.33 <-> 2001:db8:1c0:2:21:: │   └────────────────────────────┘
#                                 │  1.0.0.N  <-> 2001:db8:3::N         │
#                                 │  10.0.0.N <-> 2001:db8:2::N         │
#                                 │   (N = 0..15, 96)                   │
#                                 │  pool4 203.0.113.8 (RFC 6791)       │
#                                 └─────────────────────────────────────┘
#
# n4 and n6 are packet taps: what arrives reaches their capture sockets,
# never their stacks (so they add no replies of their own to a case).

mac_of() { ip -n "$1" -o link show "$2" | sed 's/.*link\/ether \([^ ]*\).*/\1/'; }

siit_topology() {
	ns_new N4 n4 && ns_new XL xl && ns_new N6 n6 || ktap_bail "namespaces"
	XLAT=$XL
	# auto_flowlabels=0: the ICMPv6 errors the kernel sends for the translator
	# carry flow label 0, as the suite's expected packets do (any is valid)
	steps "in_ns $XL sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.auto_flowlabels=0" \
		"in_ns $N6 sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0" \
		"in_ns $N4 sysctl -qw net.ipv6.conf.all.disable_ipv6=1" \
		"ip link add n4-eth netns $N4 type veth peer name x-n4 netns $XL" \
		"ip link add n6-eth netns $N6 type veth peer name x-n6 netns $XL" \
		"ip -n $N4 addr add 198.51.100.2/24 dev n4-eth" \
		"ip -n $N4 link set n4-eth up" \
		"ip -n $N4 route add 192.0.2.0/24 via 198.51.100.1" \
		"ip -n $N4 route add 1.0.0.0/24 via 198.51.100.1" \
		"ip -n $N4 route add 10.0.0.0/24 via 198.51.100.1" \
		"ip -n $XL addr add 198.51.100.1/24 dev x-n4" \
		"ip -n $XL addr add 2001:db8:1c0:2:1::/64 dev x-n6 nodad" \
		"ip -n $XL link set x-n4 up" \
		"ip -n $XL link set x-n6 up" \
		"ip -n $N6 addr add 2001:db8:1c0:2:21::/64 dev n6-eth nodad" \
		"ip -n $N6 link set n6-eth up" \
		"ip -n $N6 route add 2001:db8:100::/40 via 2001:db8:1c0:2:1::" \
		"xlat_dev_add $XL map646 2001:db8:100::/40" \
		"ip -n $XL route add 192.0.2.0/24 dev map646" \
		"ip -n $XL route add 1.0.0.0/24 dev map646" \
		"ip -n $XL route add 10.0.0.0/24 dev map646" \
		"ip -n $XL route add 2001:db8:100::/40 dev map646" \
		"ip -n $XL route add 2001:db8:3::/120 via 2001:db8:1c0:2:21::" \
		"ip -n $XL route add 2001:db8:2::/120 via 2001:db8:1c0:2:21::" \
		"xctl add 192.0.2.33 2001:db8:1c0:2:21::" ||
		ktap_bail "topology"
	for n in $(seq 0 15) 96; do
		q xctl add 1.0.0.$n 2001:db8:3::$(printf %x "$n") &&
			q xctl add 10.0.0.$n 2001:db8:2::$(printf %x "$n") || ktap_bail "mappings"
	done
	# taps (see above); the translator knows their link addresses up front
	steps "ip -n $XL neigh replace 198.51.100.2 lladdr $(mac_of "$N4" n4-eth) dev x-n4 nud permanent" \
		"ip -n $XL neigh replace 2001:db8:1c0:2:21:: lladdr $(mac_of "$N6" n6-eth) dev x-n6 nud permanent" \
		"tc -n $N4 qdisc add dev n4-eth clsact" \
		"tc -n $N4 filter add dev n4-eth ingress matchall action drop" \
		"tc -n $N6 qdisc add dev n6-eth clsact" \
		"tc -n $N6 filter add dev n6-eth ingress matchall action drop" ||
		ktap_bail "taps"
}
