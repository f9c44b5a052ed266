#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest initramfs: static busybox, /init (guest-init.sh), and the
# modules needed before the host root can be mounted over 9p, in load order.
# usage: mkinitramfs.sh KROOT KVER OUT.cpio.gz
#   KROOT: directory holding lib/modules/KVER (the extracted linux-image .deb)
set -euo pipefail
KROOT=$1 KVER=$2 OUT=$(realpath -m "$3")
MODS="virtio_pci 9pnet_virtio 9p overlay veth"
ST=$(mktemp -d)
trap 'rm -rf "$ST"' EXIT
mkdir -p "$ST"/{bin,sbin,dev,proc,sys,tmp,run,etc,host,out,lib/modules}
cp /bin/busybox "$ST/bin/busybox"	# busybox-static; /init installs the applets
ln -s busybox "$ST/bin/sh"
[ -f "$KROOT/lib/modules/$KVER/modules.dep" ] || depmod -b "$KROOT" "$KVER"
: >"$ST/lib/modules/load.list"	# stays empty for a kernel with all of them built in
for m in $MODS; do
	modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r ko; do
	b=$(basename "$ko")
	case $b in	# busybox insmod wants plain .ko
	*.ko.xz) xz -dc "$ko" >"$ST/lib/modules/${b%.xz}"; b=${b%.xz} ;;
	*.ko.zst) zstd -dcq "$ko" >"$ST/lib/modules/${b%.zst}"; b=${b%.zst} ;;
	*) cp "$ko" "$ST/lib/modules/" ;;
	esac
	echo "/lib/modules/$b" >>"$ST/lib/modules/load.list"
done
install -m 755 "$(dirname "$0")/guest-init.sh" "$ST/init"
(cd "$ST" && find . | cpio -o -H newc --quiet | gzip -1 >"$OUT.tmp")
mv "$OUT.tmp" "$OUT"
