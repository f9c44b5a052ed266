#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the kernel ABI behind Debian's linux-image-amd64 metapackage
# (e.g. 6.1.0-56-amd64), as apt currently knows it.
# usage: kver.sh [--update]   --update: run `apt-get update` first when
#                             apt-cache knows nothing (the test harness's
#                             setup does; a plain `make` never does)
kver() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | head -n 1
}
v=$(kver)
if [ -z "$v" ] && [ "${1:-}" = --update ]; then
	apt-get update -qq >/dev/null 2>&1 || true
	v=$(kver)
fi
[ -n "$v" ] || { echo "kver.sh: apt-cache knows no linux-image-amd64" >&2; exit 1; }
echo "$v"
