#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Run a packet suite in the Jool SIIT format (RFC 7915) through map646.

Plays the external Jool suite, and map646's own cases (rfc7915_cases.py).

Reads cases.tsv from the suite folder; for each case writes the sent packet
on the sending node's link (AF_PACKET, as-is), captures what arrives on the
receiving node's link, and compares it byte for byte with the expected
packet(s) except at the ignored offsets. Settings a case needs are applied
with map646ctl / ip before it runs; cases whose settings map646 cannot
express are skipped with the reason. Prints KTAP-ish diagnostics and a line
"jool-siit conformance: P passed, F failed, S skipped"; exit status 0.

usage: jool_siit.py SUITE_DIR MAP646CTL XLAT_NS N4_NS N6_NS
(the topology is made by map646_jool_siit.sh)
"""
import ctypes
import os
import select
import socket
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True	# no __pycache__ in the tree
import nlmsg  # noqa: E402	(beside this script)

SUITE, CTL, XLAT, N4, N6 = sys.argv[1:6]
ETH_P_IP, ETH_P_IPV6, ETH_P_ALL = 0x0800, 0x86DD, 0x0003
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
ORIG_NS = os.open("/proc/self/ns/net", os.O_RDONLY)

# Interfaces of the topology: node -> (its link, the translator's end)
LINKS = {N4: ("n4-eth", "x-n4"), N6: ("n6-eth", "x-n6")}


def in_ns(ns, fn):
    """Run fn() with the network namespace switched to ns."""
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + ns)
        return fn()
    finally:
        libc.setns(ORIG_NS, CLONE_NEWNET)
        os.close(fd)


def mac_of(ns, ifname):
    out = subprocess.run(["ip", "-n", ns, "-o", "link", "show", ifname],
                         capture_output=True, text=True, check=True).stdout
    return bytes.fromhex(out.split("link/ether ")[1].split()[0].replace(":", ""))


def packet_socket(ns, ifname):
    def make():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                          socket.htons(ETH_P_ALL))
        s.bind((ifname, ETH_P_ALL))
        s.setblocking(False)
        return s
    return in_ns(ns, make)


def noise(pkt):
    """Neighbour discovery, MLD and router chatter are not under test."""
    if pkt[0] >> 4 == 6 and len(pkt) > 40 and pkt[6] == 58:
        return pkt[40] in (130, 131, 132, 133, 134, 135, 136, 137, 143)
    if pkt[0] >> 4 == 6 and len(pkt) > 40 and pkt[6] == 0:	# MLD with HbH
        return True
    return False


def wanted(data, addr):
    """IP packets arriving on the link, other than neighbour chatter."""
    return (addr[1] in (ETH_P_IP, ETH_P_IPV6) and
            addr[2] != socket.PACKET_OUTGOING and not noise(data))


def drain(s):
    while True:
        try:
            s.recvfrom(65536)
        except BlockingIOError:
            return


def capture(s, want, timeout=1.0):
    got, end = [], time.monotonic() + timeout
    while len(got) < want:
        left = end - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        data, addr = s.recvfrom(65536)
        if not wanted(data, addr):
            continue
        got.append(data)
    # a little longer: unexpected extra packets are failures too
    end = time.monotonic() + 0.05
    while select.select([s], [], [], max(0, end - time.monotonic()))[0]:
        data, addr = s.recvfrom(65536)
        if wanted(data, addr):
            got.append(data)
    return got


def same(exp, got, ignored):
    if len(exp) != len(got):
        return "length %d, expected %d" % (len(got), len(exp))
    diff = [i for i in range(len(exp)) if i not in ignored and exp[i] != got[i]]
    if diff:
        return "differs at offsets %s" % ",".join(map(str, diff[:12]))
    return None


class Stats:
    """The device's counters over generic netlink from this process (a
    map646ctl run per case cost more than the case)."""

    NAMES = {v: k[len("MAP646_STAT_"):].lower()
             for k, v in nlmsg.enum("map646_stat").items()}

    def __init__(self):
        self.nl = in_ns(XLAT, nlmsg.Genl)
        self.family, _ = self.nl.family("map646")
        self.req = nlmsg.attr(nlmsg.A["MAP646_A_IFNAME"], b"map646\0")

    def __call__(self):
        err, data = self.nl.request(self.family, nlmsg.CMD["MAP646_CMD_STATS_GET"],
                                    self.req)
        if err.errno or not data:
            return {}
        nest = nlmsg.attrs(data[0][nlmsg.A["MAP646_A_STATS"]])
        return {self.NAMES.get(k, str(k)): struct.unpack("=Q", v)[0]
                for k, v in nest.items()}


def hexdiff(exp, got):
    """The first differing 16-byte row of two packets, as hex."""
    for off in range(0, max(len(exp), len(got)), 16):
        if exp[off:off + 16] != got[off:off + 16]:
            return "@%d want %s got %s" % (off, exp[off:off + 16].hex(),
                                           got[off:off + 16].hex())
    return ""


def sh(*cmd):
    subprocess.run(cmd, check=True, capture_output=True)


DEFAULTS = {"lowest-ipv6-mtu": "1280", "amend-udp-checksum-zero": "0",
            "rfc6791v4-prefix": "203.0.113.8", "rfc6791v6-prefix": "null",
            "pool6": "2001:db8:100::/40"}
LINK_MTU = {"joolns/to_client_v6": (XLAT, "x-n6"),
            "joolns/to_client_v4": (XLAT, "x-n4"),
            "client4ns/to_jool_v4": (N4, "n4-eth")}


def settings_of(field):
    """Settings dict of a case, or (None, reason) when not expressible."""
    st, mtus, eams = dict(DEFAULTS), {}, []
    for kv in field.split(";"):
        key, _, val = kv.partition("=")
        if key == "mtu":
            key, _, val = val.partition("=")
            mtus[key] = val
        elif key in LINK_MTU:
            mtus[key] = val
        elif key in DEFAULTS:
            st[key] = val
        elif key.startswith("map646:"):
            st[key[7:]] = val
        elif key == "extra-eam":
            eams.append(tuple(val.split("=")))
        elif "/" in key:	# the next EAM of an extra-eam list
            eams.append((key, val))
        else:
            return None, "unknown setting " + kv
    if st["pool6"] not in ("2001:db8:100::/40", "null"):
        return None, "pool6=%s: map646 has one prefix, the topology's" % st["pool6"]
    st["eams"] = tuple(eams)
    return (st, mtus), None


applied = [None, None]
# map646 settings the suite's own settings stand for, and their defaults
MAP646_DEFAULTS = {"tos": "copy", "icmp-errors": "on",
                   "path": os.environ.get("XLAT_PATH", "prerouting")}


def apply(st, mtus):
    if applied[0] != st:
        # EAM blocks (RFC 7757): the previous case's go, this one's come
        for v4, _ in applied[0]["eams"] if applied[0] else ():
            sh("ip", "netns", "exec", XLAT, CTL, "mapping", "del", v4)
        for v4, v6 in st["eams"]:
            sh("ip", "netns", "exec", XLAT, CTL, "mapping", "add", v4, v6)
        pool = st["rfc6791v4-prefix"]
        pool6 = st["rfc6791v6-prefix"]
        extra = ["prefix", "none" if st["pool6"] == "null" else st["pool6"],
                 "pool6", "none" if pool6 == "null" else
                 pool6 if "/" in pool6 else pool6 + "/128"]
        for key, default in MAP646_DEFAULTS.items():
            extra += [key, st.get(key, default)]
        sh("ip", "netns", "exec", XLAT, CTL, "settings", "set",
           "lowest-ipv6-mtu", st["lowest-ipv6-mtu"],
           "udp-zero-checksum",
           "compute" if st["amend-udp-checksum-zero"] == "1" else "drop",
           "pool4", "none" if pool == "null" else pool + "/32", *extra)
        applied[0] = st
    if applied[1] != mtus:
        for key, (ns, dev) in LINK_MTU.items():
            sh("ip", "-n", ns, "link", "set", dev, "mtu", mtus.get(key, "1500"))
        # the other end of the IPv4 link must take big frames too
        sh("ip", "-n", XLAT, "link", "set", "x-n4", "mtu",
           mtus.get("joolns/to_client_v4", mtus.get("client4ns/to_jool_v4", "1500")))
        applied[1] = mtus


def main():
    socks = {ns: packet_socket(ns, LINKS[ns][0]) for ns in (N4, N6)}
    xmac = {ns: mac_of(XLAT, LINKS[ns][1]) for ns in (N4, N6)}
    idx = {ns: in_ns(ns, lambda ns=ns: socket.if_nametoindex(LINKS[ns][0]))
           for ns in (N4, N6)}
    stats = Stats()
    passed = failed = skipped = 0
    fails = []
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(SUITE, "cases.tsv"))
            if not l.startswith("#") and l.strip()]
    for n, (group, direction, sent, expected, ignored, settings) in enumerate(rows, 1):
        base = os.path.basename(sent)[:-4]
        name = base[:-2] if group == "map646" else "%s-%s-%s" % (group, direction, base)
        parsed, why = settings_of(settings)
        if why:
            skipped += 1
            print("ok %d %s # SKIP %s" % (n, name, why))
            continue
        apply(*parsed)
        src = N4 if direction[0] == "4" else N6
        dst = N4 if direction[1] == "4" else N6
        raw = open(os.path.join(SUITE, sent), "rb").read()
        exps = [open(os.path.join(SUITE, e), "rb").read()
                for e in expected.split(",") if e != "-"]
        ign = set() if ignored == "-" else {int(x) for x in ignored.split(",")}
        drain(socks[dst])
        before = stats()
        proto = ETH_P_IP if raw[0] >> 4 == 4 else ETH_P_IPV6
        socks[src].sendto(raw, (LINKS[src][0], proto, 0, 0, xmac[src]))
        got = capture(socks[dst], len(exps), 1.0 if exps else 0.3)
        errs, left = [], list(got)
        for i, e in enumerate(exps):
            match = next((g for g in left if same(e, g, ign) is None), None)
            if match is not None:
                left.remove(match)
            else:
                errs.append("expected packet %d: %s" % (i + 1, "; ".join(
                    same(e, g, ign) for g in left) or "nothing arrived"))
        if left and not errs:
            errs.append("%d unexpected extra packet(s)" % len(left))
        if errs:
            failed += 1
            fails.append(name)
            print("# %s: %s" % (name, " | ".join(errs)))
            after = stats()
            print("#   counters: %s" % " ".join(
                "%s+%d" % (k, v - before.get(k, 0))
                for k, v in after.items() if v != before.get(k)))
            for g in got:
                print("#   %s" % (hexdiff(exps[0], g) if len(exps) == len(got)
                                  else g[:64].hex()))
            print("not ok %d %s" % (n, name))
        else:
            passed += 1
            print("ok %d %s" % (n, name))
        sys.stdout.flush()
    print("%s: %d passed, %d failed, %d skipped" %
          (os.environ.get("SUITE_NAME", "jool-siit conformance"),
           passed, failed, skipped))
    with open(os.environ.get("JOOL_FAILS", "/dev/null"), "w") as f:
        f.write("\n".join(fails) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
