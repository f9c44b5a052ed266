#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the test kernel under QEMU/TCG with the host root shared read-only and
# run one shell command in the guest; exit with the command's status.
# usage: run-vm.sh 'COMMAND'
# env: KVER (default: kver.sh), KIMAGE (image to boot, default the vmlinux
#      setup.sh extracted), OUT (dir shared read-write, the guest sees it
#      as /tmp/out; default build/vm/out), LOG (console log, default
#      build/vm/console.log), SHOW=1 (copy the console to stdout, kernel lines
#      left out), TIMEOUT (seconds, default 480), SMP (2), MEM (1024),
#      ICOUNT=N (guest clock driven by instructions: one per 2^N ns; one
#      host thread runs every vCPU, see selftests/bench/bench.sh)
# status: the command's, 124 on timeout, 125 if the guest died (panic, oops,
#      WARN with panic_on_warn) without reporting.
set -u
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
B=$TOP/build/vm
KVER=${KVER:-$("$VM/kver.sh")}
OUT=${OUT:-$B/out}
LOG=${LOG:-$B/console.log}
TIMEOUT=${TIMEOUT:-480}
mkdir -p "$OUT"
rm -f "$OUT/rc"
printf '%s\n' "$1" >"$OUT/cmd.sh"	# a kernel command line cannot carry quotes
APPEND="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 softlockup_panic=1
 loglevel=${LOGLEVEL:-5} cryptomgr.notests mitigations=off tsc=reliable m646_modroot=$B/kroot"
# -cpu without ERMS/FSRM: TCG emulates the kernel's `rep movsb` copies slowly;
# one CPU per socket: a kernel without ACPI (the debug kernel) finds its CPUs
# in the BIOS MP table, which lists one per socket
accel=(-accel tcg,thread=multi)
[ -z "${ICOUNT:-}" ] || accel=(-accel tcg,thread=single -icount "shift=$ICOUNT${ICOUNT_OPTS:-}")
qemu=(qemu-system-x86_64 "${accel[@]}" -cpu "${CPU:-max,-erms,-fsrm}"
	-smp "${SMP:-2},sockets=${SMP:-2}" -m "${MEM:-1024}"
	-nodefaults -no-user-config -display none -no-reboot -serial stdio
	-kernel "${KIMAGE:-$B/vmlinux-$KVER}" -initrd "$B/initrd-$KVER.cpio.gz" -append "${APPEND//$'\n'/}"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-fsdev local,id=hr,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=hr,mount_tag=hostroot
	-fsdev local,id=o,path="$OUT",security_model=none
	-device virtio-9p-pci,fsdev=o,mount_tag=out)
show() {
	if [ "${SHOW:-0}" = 1 ]; then
		grep --line-buffered -avE '^\[ *[0-9]+\.[0-9]+\]|^M646: '
	else
		cat >/dev/null
	fi
}
timeout -k 5 "$TIMEOUT" "${qemu[@]}" </dev/null 2>&1 | sed -u 's/\r$//' | tee "$LOG" | show
st=${PIPESTATUS[0]}
if [ "$st" = 124 ] || [ "$st" = 137 ]; then
	echo "run-vm: guest timed out after $TIMEOUT s" >&2
	exit 124
fi
if [ $((st & 1)) = 1 ]; then
	exit $((st >> 1))
fi
echo "run-vm: guest died without reporting (qemu status $st), see $LOG" >&2
exit 125
