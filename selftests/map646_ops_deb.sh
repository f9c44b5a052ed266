#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packages, as an operator uses them: install map646-dkms and
# map646-tools (built from this tree on the host by selftests/ops_debs.sh,
# in build/deb), the DKMS postinst installs the module for the running
# kernel, modprobe loads it; the systemd unit's commands (map646-unit, what
# map646@map646.service runs) create the device from map646.conf, add its
# routes, pass traffic, apply an edited file on reload, and delete it all on
# stop.
#
# Three shortcuts keep this short under TCG, where the guest reads the host
# over 9p; each replaces a step that is slow only there:
#  - DKMS compiled the module on the host for this kernel (ops_debs.sh);
#    the postinst loads that binaries-only DKMS tarball instead of
#    compiling (Debian's prebuilt-DKMS mechanism; compiling here: > 6 min)
#  - dpkg keeps its database in a private admin directory holding the
#    packages' dependencies (the host's full database: ~45 s)
#  - while DKMS installs, the stock modules (kernel/) are hidden from its
#    depmod (indexing 400 MB of modules over 9p: ~150 s); the module index
#    as it was is put back at the end, for the tests that follow
#
#  ┌───────────────────────┐   ┌────────────────────────────────┐   ┌──────────────────────────┐
#  │ client4 (IPv4 only)   │   │ xlat                           │   │ server6 (IPv6 only)      │
#  │ eth0 198.51.100.7/24 ─┼───┼─ to-c4 198.51.100.1/24          │   │                          │
#  │                       │   │          to-s6 2001:db8:1::1/64 ┼───┼─ eth0 2001:db8:1::10/64  │
#  │                       │   │ map646 from map646-unit start  │   │                          │
#  │                       │   │  + $TMP/etc/map646.conf        │   │                          │
#  └───────────────────────┘   └────────────────────────────────┘   └──────────────────────────┘
. "$(dirname "$0")/lib.sh"

DEB=$TOP/build/deb
UNIT=/usr/libexec/map646/map646-unit
ktap_plan 13
# DKMS builds against /lib/modules/KVER/build: the guest's module tree is
# the test kernel's (no build link in it), the headers are the host's. A
# kernel whose headers apt did not install on the host (6.12, sid:
# extracted under build/) cannot take the package.
kver=$(uname -r)
if [ ! -d "/usr/src/linux-headers-$kver" ]; then
	for i in $(seq 13); do
		ktap_skip "deb-$i" "no headers at /usr/src/linux-headers-$kver for DKMS"
	done
	exit 0
fi
[ -e "/lib/modules/$kver/build" ] || ln -s "/usr/src/linux-headers-$kver" "/lib/modules/$kver/build"
V=$(cat "$TOP/VERSION")
ls "$DEB/map646-dkms_${V}_all.deb" "$DEB/map646-$V.dkms.tar.gz" >/dev/null 2>&1 ||
	ktap_bail "no packages in $DEB: run selftests/ops_debs.sh KVER on the host first"

# dkms uses <(...): bash needs /dev/fd, which a bare devtmpfs lacks
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for d in $(ip -o link show type map646 | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
	ip link del "$d"
done
modprobe -r map646 2>/dev/null
modprobe veth	# before the stock modules are hidden
MODS=/lib/modules/$kver
mkdir -p "$TMP/modules"
cp -a "$MODS"/modules.* "$TMP/modules/"
# a module installed by hand (make install, the test harness) of the same
# version would make DKMS keep it
[ -e "$MODS/extra/map646.ko" ] && mv "$MODS/extra/map646.ko" "$TMP/modules/"
restore_modules() {
	mountpoint -q "$MODS/kernel" && umount "$MODS/kernel"
	[ -e "$TMP/modules/map646.ko" ] && mv "$TMP/modules/map646.ko" "$MODS/extra/"
	cp -a "$TMP/modules"/modules.* "$MODS/"
}
trap 'rc=$?; restore_modules; (exit $rc); _cleanup' EXIT
mount -t tmpfs hide "$MODS/kernel"

mkdir -p /usr/share/map646-dkms "$TMP/dpkg/info" "$TMP/dpkg/updates" "$TMP/dpkg/triggers"
cp "$DEB/map646-$V.dkms.tar.gz" /usr/share/map646-dkms/
dpkg-query -s dkms iproute2 libc6 libmnl0 libssl3 libcurl4 libjson-c5 >"$TMP/dpkg/status"
touch "$TMP/dpkg/available"
t0=$(_now_ms)
check "dpkg-install" env DEBIAN_FRONTEND=noninteractive dpkg --admindir="$TMP/dpkg" -i \
	"$DEB/map646-dkms_${V}_all.deb" "$DEB/map646-tools_${V}_$(dpkg --print-architecture).deb"
t1=$(_now_ms)
umount "$MODS/kernel"
diag "dpkg -i with the DKMS install: $((t1 - t0)) ms"
check_eq "dkms-installed" 1 "$(dkms status map646 -k "$kver" | grep -c installed)"
check "modprobe" modprobe map646
check_eq "module-from-dkms" 1 "$(modinfo -n map646 | grep -c /updates/dkms/)"
MAP646CTL=/usr/sbin/map646ctl
check_eq "packaged-tool" "map646ctl $(cat "$TOP/VERSION")" "$($MAP646CTL -V)"
check "unit-file-valid" systemd-analyze verify /lib/systemd/system/map646@.service

topo_standard || ktap_bail "topology setup failed"
ip -n "$XLAT" link del map646	# the unit makes its own
mkdir -p "$TMP/etc"
cat >"$TMP/etc/map646.conf" <<'CONF'
mapping-prefix 64:ff9b::
route4 192.0.2.0/25
map-static 192.0.2.10 2001:db8:1::10
CONF
unit() { in_ns "$XLAT" env MAP646_CONF_DIR="$TMP/etc" "$UNIT" "$@"; }

check "unit-start" unit start map646
# the package's rt_protos.d entry names the unit's protocol
check_eq "unit-routes" "192.0.2.0/25 64:ff9b::/96" \
	"$(ip -n "$XLAT" -4 route show dev map646 proto map646 | cut -d' ' -f1) $(ip -n "$XLAT" -6 route show dev map646 proto map646 | cut -d' ' -f1)"
check_eq "traffic" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$SERVER_PUB")"

# the operator adds a server in the other half of the /24, then reloads
cat >>"$TMP/etc/map646.conf" <<'CONF'
route4 192.0.2.128/25
map-static 192.0.2.200 2001:db8:1::10:1
CONF
sed -i '/^map-static 192.0.2.10 /d; /^route4 192.0.2.0\/25/d' "$TMP/etc/map646.conf"
echo "map-static 192.0.2.10 2001:db8:1::10" >>"$TMP/etc/map646.conf"
check "unit-reload" unit reload map646
check_eq "reload-table-routes" "192.0.2.10 2001:db8:1::10,192.0.2.200 2001:db8:1::10:1,192.0.2.128/25" \
	"$(xctl mapping show | sort | paste -sd,),$(ip -n "$XLAT" -4 route show dev map646 | cut -d' ' -f1)"
check "unit-stop" unit stop map646
check_eq "stop-removes-device" "" "$(ip -n "$XLAT" -o link show type map646)"
