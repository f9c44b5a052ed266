#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure this translator's map646 device from one mapping file, the same
# file on every translator: device, translation prefix, routes into the
# device, then the table (flushed and reloaded: the table is empty for the
# moment between the two, so reload a translator while it does not announce
# its prefixes, see docs/failover.md).
# usage: map646-setup.sh PREFIX MAPPED4 MAPFILE [DEV]
#   e.g. map646-setup.sh 64:ff9b::/96 192.0.2.0/24 mappings.txt
# env: MAP646CTL (default: map646ctl on PATH)
set -eu
PREFIX=${1:?translation prefix} MAPPED4=${2:?mapped IPv4 block} FILE=${3:?mapping file}
DEV=${4:-map646}
CTL=${MAP646CTL:-map646ctl}

ip link show "$DEV" >/dev/null 2>&1 || ip link add "$DEV" type map646
ip link set "$DEV" up
"$CTL" -d "$DEV" prefix set "$PREFIX"
ip route replace "$MAPPED4" dev "$DEV"
ip -6 route replace "$PREFIX" dev "$DEV"
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
"$CTL" -d "$DEV" flush
n=0
while read -r v4 v6 _; do
	case $v4 in '' | '#'*) continue ;; esac
	"$CTL" -d "$DEV" add "$v4" "$v6"
	n=$((n + 1))
done <"$FILE"
echo "$DEV: prefix $PREFIX, $n mappings from $FILE"
