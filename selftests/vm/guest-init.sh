#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the guest initramfs (busybox sh). Mounts the host root read-only
# over 9p with a RAM overlay on top, binds the test kernel's modules over
# /lib/modules, chroots into it and runs /out/cmd.sh from the writable "out"
# 9p share. The exit status leaves through isa-debug-exit (QEMU exits with
# (rc << 1) | 1) and is also written to out/rc.
# Kernel command line words "key=value" without dots arrive as environment:
#   m646_modroot=DIR  host directory holding lib/modules/$(uname -r)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
ln -s /proc/self/fd /dev/fd	# what udev would do: bash's <(...) needs them
ln -s fd/0 /dev/stdin
ln -s fd/1 /dev/stdout
ln -s fd/2 /dev/stderr
while read -r ko; do insmod "$ko" || echo "M646: insmod $ko failed"; done </lib/modules/load.list

report() {
	rc=$1
	echo "M646: guest result rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
	grep -q ' /out ' /proc/mounts && { echo "$rc" >/out/rc; sync; }
	[ "$rc" -gt 127 ] && rc=127
	printf "\\$(printf %o "$rc")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	poweroff -f
}

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /host ||
	{ echo "M646: 9p mount of the host root failed"; report 99; }
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /out ||
	{ echo "M646: 9p mount of out failed"; report 99; }
mkdir -p /ov && mount -t tmpfs ovt /ov && mkdir -p /ov/u /ov/w /ov/m
mount -t overlay overlay -o lowerdir=/host,upperdir=/ov/u,workdir=/ov/w /ov/m ||
	{ echo "M646: overlay mount failed"; report 99; }
R=/ov/m
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -o bind /dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
mount -t tmpfs shm $R/dev/shm
mount -t tmpfs run $R/run && mkdir -p $R/run/netns	# (/tmp stays: a checkout may live there)
[ -n "${m646_modroot:-}" ] && mount -o bind "$R$m646_modroot/lib/modules" $R/lib/modules
mkdir -p $R/tmp/out && mount -o bind /out $R/tmp/out
hostname map646-guest
# The kernel runs /proc/sys/kernel/modprobe from init's root (this initramfs)
# to autoload modules (`ip link add … type map646`, genl families): send it
# into the chroot.
printf '#!/bin/sh\nexec chroot %s /sbin/modprobe "$@"\n' $R >/sbin/modprobe-chroot
chmod +x /sbin/modprobe-chroot
echo /sbin/modprobe-chroot >/proc/sys/kernel/modprobe
echo "M646: userland ready uptime=$(cut -d' ' -f1 /proc/uptime)"
chroot $R /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	TERM=dumb LANG=C.UTF-8 /bin/sh -c 'ip link set lo up; cd /tmp; exec /bin/sh /tmp/out/cmd.sh'
report $?
