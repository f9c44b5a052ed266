#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Traffic control on the map646 device. A qdisc or a classifier on the
# device owns skb->cb before the device sees the packet, so the ICMP errors
# the device sends about a packet must not read the IP layer's control
# block (IP options to echo, Mobile IPv6 home address offset) from it: a
# Fragmentation Needed, a 3/13 and a Packet Too Big must arrive
# well-formed (no IP options, right checksum, the packet quoted, sent to
# the packet's source) with fq_codel as the device's qdisc, and with a
# classifier that leaves values there (bpf_cb.py). That is path device;
# on path prerouting (the PRE_ROUTING hooks, no qdisc before them) the
# same errors come from the hooks, well-formed too.
#
#  ┌───────────────────────┐   ┌────────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4               │   │ xlat                               │   │ server6                  │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24             │   │                          │
#  │ icmp_probe.py 4       │   │   route 198.51.100.7/32 mtu 1300   │   │ icmp_probe.py 6          │
#  │                       │   │             to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │   route 2001:db8:1::10/128 mtu 1400│   │                          │
#  │                       │   │ map646 (standard) + qdisc/filters  │   │                          │
#  └───────────────────────┘   └────────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

ktap_plan 9
topo_standard || ktap_bail "topology setup failed"
steps "ip -n $XLAT -6 route add $SERVER_IP6/128 dev to-s6 mtu 1400" \
	"ip -n $XLAT route add $CLIENT_IP/32 dev to-c4 mtu 1300" ||
	ktap_bail "route MTUs"

# 1400 bytes of UDP: 1428 as IPv4, 1448 as IPv6 (> 1400: Fragmentation
# Needed, MTU 1380); 1448 as IPv6 from the server, 1428 as IPv4 (> 1300:
# Packet Too Big, MTU 1320); 300 bytes without checksum: 3/13
FN="from=$CLIENT_GW ihl=5 type=3 code=4 mtu=1380 csum=ok quote=ok"
NOCSUM="from=$CLIENT_GW ihl=5 type=3 code=13 mtu=0 csum=ok quote=ok"
PTB="from=$SERVER_GW6 type=2 code=0 mtu=1320 quote=ok"
probe4() { in_ns "$CLIENT" "$PY" "$ST/icmp_probe.py" 4 "$SERVER_PUB" 7000 "$@"; }
# the server's packets carry a home address option: a sender of errors
# that took it for the source would answer 2001:db8:1::99 instead
probe6() { in_ns "$SERVER" "$PY" "$ST/icmp_probe.py" 6 "$CLIENT_IP6" 7000 1400 hao=2001:db8:1::99; }
errors() {
	check_eq "$1: frag-needed-well-formed" "$FN" "$(probe4 1400)"
	check_eq "$1: udp-no-checksum-3-13-well-formed" "$NOCSUM" "$(probe4 300 nocsum)"
	check_eq "$1: packet-too-big-to-its-source" "$PTB" "$(probe6)"
}

errors prerouting
xlat_path device || ktap_bail "path device"
q tc -n "$XLAT" qdisc add dev map646 root fq_codel || ktap_bail "fq_codel"
errors fq_codel
q tc -n "$XLAT" qdisc del dev map646 root

# IPv4: optlen 4 and a record-route offset of 1 (ip_options in IPCB);
# IPv6: a home address option offset of 40 (dsthao in IP6CB), where the
# Destination Options header of probe6 begins
q tc -n "$XLAT" qdisc add dev map646 clsact || ktap_bail "clsact"
in_ns "$XLAT" bash -c "mkdir -p $TMP/bpf && mount -t bpf bpf $TMP/bpf &&
	$PY $ST/bpf_cb.py $TMP/bpf/cb 0x00010004 0x00280000 &&
	tc filter add dev map646 egress bpf object-pinned $TMP/bpf/cb direct-action" \
	>"$TMP/bpf.log" 2>&1 || { cat "$TMP/bpf.log"; ktap_bail "tc bpf filter"; }
errors classifier-writes-cb
q tc -n "$XLAT" filter del dev map646 egress

