#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packages, as an operator lives with them: install, upgrade, remove.
# map646-dkms and map646-tools of an older version (VERSION~old1) and of
# this tree's are built on the host by selftests/ops_debs.sh (build/deb).
#  - install the older ones: the DKMS postinst installs the module for the
#    running kernel, modprobe loads it; the systemd unit's commands
#    (map646-unit, what map646@map646.service runs) create the device from
#    map646.conf, add its routes, pass traffic, apply an edited file on
#    reload
#  - upgrade to this tree's while the device runs: traffic still passes,
#    the old module stays loaded, and map646ctl -V, ethtool -i and the
#    Prometheus metrics say so; the module swap (unit stop, modprobe -r,
#    modprobe, unit start) loads the new one and traffic passes again
#  - the package's autopkgtest (debian/tests/translate)
#  - the module unloaded: the exporter reports no device (promtool)
#  - stop, purge: nothing of the packages or of their module is left
#
# Each dpkg run with DKMS takes about a minute under TCG on a busy host:
# timeout: 600
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
ARCH=$(dpkg --print-architecture)
N=28
ktap_plan $N
# DKMS builds against /lib/modules/KVER/build: the guest's module tree is
# the test kernel's (no build link in it), the headers are the host's. A
# kernel whose headers apt did not install on the host (6.12, sid:
# extracted under build/) cannot take the package.
kver=$(uname -r)
if [ ! -d "/usr/src/linux-headers-$kver" ]; then
	for i in $(seq $N); do
		ktap_skip "deb-$i" "no headers at /usr/src/linux-headers-$kver for DKMS"
	done
	exit 0
fi
[ -e "/lib/modules/$kver/build" ] || ln -s "/usr/src/linux-headers-$kver" "/lib/modules/$kver/build"
V=$(cat "$TOP/VERSION")
OLD=$V~old1
ls "$DEB/map646-dkms_${V}_all.deb" "$DEB/old/map646-dkms_${OLD}_all.deb" \
	"$DEB/map646-$V.dkms.tar.gz" "$DEB/map646-$OLD.dkms.tar.gz" >/dev/null 2>&1 ||
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

mkdir -p /usr/share/map646-dkms "$TMP/dpkg/info" "$TMP/dpkg/updates" "$TMP/dpkg/triggers"
cp "$DEB/map646-$V.dkms.tar.gz" "$DEB/map646-$OLD.dkms.tar.gz" /usr/share/map646-dkms/
dpkg-query -s dkms iproute2 libc6 libmnl0 libssl3 libcurl4 libjson-c5 >"$TMP/dpkg/status"
touch "$TMP/dpkg/available"
# dpkg_check NAME DPKG-ARGS...: a dpkg run as a case, with the stock
# modules hidden from DKMS's depmod meanwhile
dpkg_check() {
	local name=$1 t0
	shift
	mount -t tmpfs hide "$MODS/kernel"
	t0=$(_now_ms)
	check "$name" env DEBIAN_FRONTEND=noninteractive dpkg --admindir="$TMP/dpkg" "$@"
	umount "$MODS/kernel"
	diag "$name: $(($(_now_ms) - t0)) ms"
}
MAP646CTL=/usr/sbin/map646ctl
versions() { "$MAP646CTL" -V 2>&1 | paste -sd,; }
ethtool_version() { in_ns "$XLAT" ethtool -i map646 | sed -n 's/^version: //p'; }

# install the older version
dpkg_check "dpkg-install" -i "$DEB/old/map646-dkms_${OLD}_all.deb" \
	"$DEB/old/map646-tools_${OLD}_$ARCH.deb"
check_eq "dkms-installed" "1 0" \
	"$(dkms status "map646/$OLD" -k "$kver" | grep -c installed) $(dkms status "map646/$V" | grep -c .)"
check "modprobe" modprobe map646
check_eq "module-from-dkms" 1 "$(modinfo -n map646 | grep -c /updates/dkms/)"
check_eq "versions-installed" "map646ctl $OLD,map646 module $OLD" "$(versions)"
check "unit-files-valid" systemd-analyze verify /lib/systemd/system/map646@.service \
	/lib/systemd/system/map646-prometheus.service /lib/systemd/system/map646-prometheus.timer
check_eq "package-files" "/etc/map646 /usr/lib/sysctl.d/60-map646.conf /usr/share/doc/map646-tools/README.md.gz /usr/share/doc/map646-tools/examples/prometheus/map646-alerts.yml" \
	"$(ls -d /etc/map646 /usr/lib/sysctl.d/60-map646.conf /usr/share/doc/map646-tools/README.md.gz \
		/usr/share/doc/map646-tools/examples/prometheus/map646-alerts.yml | paste -sd' ')"

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
# from here on the traffic goes to the new server (the file routes only
# the upper half of the /24 now)
q ip -n "$SERVER" addr add 2001:db8:1::10:1/64 dev eth0 nodad
NEW_PUB=192.0.2.200

# upgrade while the device runs: the old module stays loaded, and says so
dpkg_check "dpkg-upgrade" -i "$DEB/map646-dkms_${V}_all.deb" "$DEB/map646-tools_${V}_$ARCH.deb"
check_eq "dkms-upgraded" "1 0" \
	"$(dkms status "map646/$V" -k "$kver" | grep -c installed) $(dkms status "map646/$OLD" | grep -c .)"
check_eq "traffic-after-upgrade" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$NEW_PUB")"
check_eq "skew-shown" "map646ctl $V,map646 module $OLD,map646ctl: the loaded module is not this tool's version: reload it (README, \"Upgrading\") $OLD 1" \
	"$(versions) $(ethtool_version) $(xctl stats prometheus | sed -n 's/^map646_module_version_mismatch //p')"

# the module swap
check "module-swap" sh -c "set -e
	ip netns exec $XLAT env MAP646_CONF_DIR=$TMP/etc $UNIT stop map646
	modprobe -r map646
	modprobe map646
	ip netns exec $XLAT env MAP646_CONF_DIR=$TMP/etc $UNIT start map646"
check_eq "traffic-after-swap" 3 "$(ping_recv "$CLIENT" -c 3 -i 0.2 -W 2 "$NEW_PUB")"
check_eq "versions-upgraded" "map646ctl $V,map646 module $V $V 0" \
	"$(versions) $(ethtool_version) $(xctl stats prometheus | sed -n 's/^map646_module_version_mismatch //p')"

# the packages' own test, as autopkgtest runs it
mkdir -p "$TMP/autopkgtest"
check "autopkgtest-translate" env AUTOPKGTEST_TMP="$TMP/autopkgtest" "$TOP/debian/tests/translate"

check "unit-stop" unit stop map646
check_eq "stop-removes-device" "" "$(ip -n "$XLAT" -o link show type map646)"

# remove everything (the autopkgtest's namespaces may still be going)
wait_for 10 modprobe -r map646
# the exporter without the module: the versions and no device; with -d,
# an error and nothing on stdout (the textfile goes stale)
"$MAP646CTL" stats prometheus >"$TMP/nomod.prom"
check "metrics-without-module" promtool check metrics <"$TMP/nomod.prom"
check_eq "metrics-without-module-values" "map646_info{tool_version=\"$V\"} 1,map646_module_version_mismatch 0,map646_devices 0 1 0" \
	"$(grep -v '^#' "$TMP/nomod.prom" | paste -sd,) $("$MAP646CTL" -d map646 stats prometheus 2>/dev/null; echo "$? $("$MAP646CTL" -d map646 stats prometheus 2>/dev/null | wc -l)")"
dpkg_check "dpkg-purge" --purge map646-tools map646-dkms
check_eq "dkms-removed" "0 0" "$(dkms status map646 | grep -c .) $(find "$MODS/updates" -name 'map646.ko*' 2>/dev/null | grep -c .)"
check_eq "files-removed" "" "$(ls -d /usr/sbin/map646ctl /etc/map646 /usr/lib/sysctl.d/60-map646.conf \
	/usr/sbin/map646-agent /usr/libexec/map646 /usr/share/doc/map646-tools \
	/lib/systemd/system/map646@.service 2>/dev/null)"
check "module-gone" sh -c "! modprobe map646"
