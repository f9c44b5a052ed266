#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run an apt command against one more Debian suite (bookworm-backports, sid)
# without touching the host's apt configuration: the archive URI is the one
# already configured for bookworm in /etc/apt/sources.list(.d), the package
# lists and caches live in build/apt/SUITE. The lists are refreshed when
# older than a day (or with APT_SUITE_UPDATE=1).
# usage: apt-suite.sh SUITE apt-get|apt-cache ARGS...
#        apt-suite.sh SUITE --uri      (print the archive URI and exit)
set -euo pipefail
VM=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$VM/../.." && pwd)
SUITE=${1:?suite}
shift

# The URI of the main Debian archive: the entry that serves suite "bookworm"
# (deb822 .sources stanzas or one-line .list entries).
archive_uri() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		     { uri = ""; ok = 0
		       for (i = 1; i <= NF; i++) {
			       if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri = a[2] }
			       if ($i ~ /^Suites:/ && $i ~ /[ \t]bookworm([ \t]|$)/) ok = 1
		       }
		       if (ok && uri != "") { print uri; exit } }' "$f"
	done
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) break
				   if ($(i + 1) == "bookworm") { print $i; exit } }'
}
URI=$(archive_uri | head -n 1) || true
[ -n "$URI" ] || { echo "apt-suite: no bookworm entry in /etc/apt/sources.list*" >&2; exit 1; }
if [ "${1:-}" = --uri ]; then
	echo "$URI"
	exit 0
fi

D=$TOP/build/apt/$SUITE
mkdir -p "$D/lists/partial" "$D/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $URI $SUITE main" >"$D/sources.list"
OPTS=(-o Dir::Etc::sourcelist="$D/sources.list" -o Dir::Etc::sourceparts=-
	-o Dir::State::Lists="$D/lists" -o Dir::Cache="$D/cache"
	-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin
	-o APT::Get::List-Cleanup=0 -o Acquire::Check-Valid-Until=false
	-o APT::Sandbox::User=root)
stamp=$D/lists/updated
if [ "${APT_SUITE_UPDATE:-0}" = 1 ] || [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
	apt-get "${OPTS[@]}" -qq update >&2
	touch "$stamp"
fi
cmd=$1
shift
exec "$cmd" "${OPTS[@]}" "$@"
