#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP through the translator: 4 MiB of random data in each direction, with
# connections opened from either side, checked byte for byte (sha256).
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24         │   │                          │
#  │                       │   │         to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646: prefix 64:ff9b::/96    │   │                          │
#  │                       │   │  192.0.2.10 <-> 2001:db8:1::10 │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
#
#  1  client4 connects to 192.0.2.10:5001, sends      (server6 listens)
#  2  client4 connects to 192.0.2.10:5002, receives
#  3  server6 connects to [64:ff9b::198.51.100.7]:5003, sends   (client4 listens)
#  4  server6 connects to [64:ff9b::198.51.100.7]:5004, receives
#  1-4 on the default path (prerouting)
#  5  the re-injection path (path device) feeds GRO: with segmentation
#     offload off in client4 and GRO off on to-c4, the translator is
#     handed ~1500-byte segments; the device's GRO merges them again, so
#     to-s6 sends far fewer (bigger) packets than with GRO off on the
#     device (ethtool -K),
#     which must still deliver every byte (the netif_rx fallback)
. "$(dirname "$0")/lib.sh"

ktap_plan 10
topo_standard || ktap_bail "topology setup failed"

SIZE=$((4 * 1024 * 1024 + 1234))	# not a multiple of any segment size
head -c $SIZE /dev/urandom >"$TMP/data"
SUM=$(sha256sum <"$TMP/data" | cut -d' ' -f1)

# transfer CASE LISTEN_NS LISTEN_ADDR CONNECT_NS CONNECT_ADDR PORT DIRECTION
#   DIRECTION "push": the connecting side sends; "pull": the listening side sends
transfer() {
	local name=$1 lns=$2 laddr=$3 cns=$4 caddr=$5 port=$6 dir=$7 srv rc got
	local fam=4
	[[ $laddr == *:* ]] && fam=6
	rm -f "$TMP/recv"
	if [ "$dir" = push ]; then
		bg "$lns" socat -d -d -u "TCP$fam-LISTEN:$port,bind=$laddr,reuseaddr" \
			"CREATE:$TMP/recv" 2>"$TMP/$name.listen.log"
	else
		bg "$lns" socat -d -d -u "OPEN:$TMP/data" \
			"TCP$fam-LISTEN:$port,bind=$laddr,reuseaddr" 2>"$TMP/$name.listen.log"
	fi
	srv=$BG_PID
	wait_listen "$lns" tcp "$port" || { ktap_fail "$name" "nothing listens on $port"; return; }
	if [ "$dir" = push ]; then
		in_ns "$cns" timeout 60 socat -u "OPEN:$TMP/data" "TCP:$caddr:$port"
	else
		in_ns "$cns" timeout 60 socat -u "TCP:$caddr:$port" "CREATE:$TMP/recv"
	fi
	rc=$?
	bg_wait $srv 30 || rc=$((rc + 100))
	got=$(sha256sum <"$TMP/recv" 2>/dev/null | cut -d' ' -f1)
	diag "$name: status $rc, $(stat -c %s "$TMP/recv" 2>/dev/null) of $SIZE bytes"
	if [ $rc = 0 ] && [ "$got" = "$SUM" ]; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "status $rc, sha256 $got, expected $SUM"
	fi
}

stats_save "$TMP/s0"
transfer tcp-client4-sends "$SERVER" "[$SERVER_IP6]" "$CLIENT" "$SERVER_PUB" 5001 push
# the listening server saw the client as prefix + client IPv4
peer=$(sed -n 's/.*accepting connection from AF=10 \[\([^]]*\)\].*/\1/p' \
	"$TMP/tcp-client4-sends.listen.log")
# (socat spells IPv6 addresses out in full)
check_eq "server6-sees-64:ff9b::c633:6407" "0064:ff9b:0000:0000:0000:0000:c633:6407" "$peer"
transfer tcp-client4-receives "$SERVER" "[$SERVER_IP6]" "$CLIENT" "$SERVER_PUB" 5002 pull
transfer tcp-server6-sends "$CLIENT" "$CLIENT_IP" "$SERVER" "[$CLIENT_IP6]" 5003 push
peer=$(sed -n 's/.*accepting connection from AF=2 \([0-9.]*\):.*/\1/p' \
	"$TMP/tcp-server6-sends.listen.log")
check_eq "client4-sees-192.0.2.10" "$SERVER_PUB" "$peer"
transfer tcp-server6-receives "$CLIENT" "$CLIENT_IP" "$SERVER" "[$CLIENT_IP6]" 5004 pull
stats_save "$TMP/s1"
stats_delta "$TMP/s0" "$TMP/s1" | sed 's/^/# delta /'
# 4 x 4 MiB crossed the translator: both counters moved (by how much depends
# on GSO: a packet may be a 64 KiB super-packet)
d4=$(stats_delta "$TMP/s0" "$TMP/s1" | awk '$1 == "xlat_4to6" { print $2 }')
d6=$(stats_delta "$TMP/s0" "$TMP/s1" | awk '$1 == "xlat_6to4" { print $2 }')
if [ "${d4:-0}" -ge 128 ] && [ "${d6:-0}" -ge 128 ]; then
	ktap_ok "counters-moved"
else
	ktap_fail "counters-moved" "xlat_4to6 +${d4:-0}, xlat_6to4 +${d6:-0}, expected >= 128 each"
fi

# gro_push on|off PORT: one 4 MiB push client4 -> server6 with the device's
# GRO on or off; SENT = what to-s6 transmitted meanwhile (veth counts a GSO
# packet once)
gro_push() {
	local t0
	q in_ns "$XLAT" ethtool -K map646 gro "$1" || ktap_bail "ethtool -K map646 gro $1"
	t0=$(in_ns "$XLAT" cat /sys/class/net/to-s6/statistics/tx_packets)
	transfer "gro-$1-delivers" "$SERVER" "[$SERVER_IP6]" "$CLIENT" "$SERVER_PUB" "$2" push
	SENT=$(($(in_ns "$XLAT" cat /sys/class/net/to-s6/statistics/tx_packets) - t0))
}
q in_ns "$CLIENT" ethtool -K eth0 tso off gso off &&
	q in_ns "$XLAT" ethtool -K to-c4 gro off && xlat_path device ||
	ktap_bail "cannot switch offloads off, or to path device"
gro_push off 5005
p_off=$SENT
gro_push on 5006
p_on=$SENT
diag "to-s6 sent $p_off packets with the device's GRO off, $p_on with it on"
# Unmerged, 4 MiB is at least 2800 segments of at most 1500 bytes. How many
# merge depends on how many arrive in one softirq run (segments the client
# sends on an ACK come together, those sent from its write() one by one):
# 81 % fewer packets on the stock kernel, 48 % on the debug kernel. At least
# 10 % fewer shows GRO at work.
if [ "$p_off" -ge 2800 ] && [ "$p_on" -gt 0 ] && [ $((p_on * 10)) -le $((p_off * 9)) ]; then
	ktap_ok "gro-merges-reinjected"
else
	ktap_fail "gro-merges-reinjected" "$p_on packets with GRO, $p_off without; expected at least 10 % fewer"
fi
