#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Changes to a map646 key prefix in etcd, each timed from the write to the
translated packet on every translator (map646_etcd.sh).

usage: etcd_sync.py [options] ENDPOINTS PREFIX R4_NS SERVER_NS N OUT

Runs in the namespace that reaches etcd (ENDPOINTS: http://[ADDR]:PORT,...).
Reads PREFIX, then makes N changes one after the other, each one etcd
transaction through the v3 JSON gateway: adds (map/IPV4 = IPV6 of a free
address), deletes, moves (a mapped IPv4 address to another server's IPv6
address), a delete and an add in one transaction, or with --prefix-change
the translation prefix (settings/prefix: to the other of 64:ff9b::/96 and
2001:db8:64::/96). After each write it sends ICMP echo probes from R4_NS
through each translator (SO_BINDTODEVICE on to-xa, to-xb) and captures
them in SERVER_NS on eth0 (AF_PACKET) as they arrive translated: a change
has reached a translator when a probe arrives with the new IPv6
destination and prefix, or, for a delete, when probes through it stop
arriving (the time of the first probe that never arrives). Each change is
written once the previous one reached every translator.

Appends "INDEX KIND SECONDS" to OUT per change (SECONDS: the slowest
translator) and prints "measured=N p50=S p99=S max=S timeouts=N".
Stops at the first change that does not reach a translator within the
timeout (what is in etcd then is no longer what the translators hold):
exit status 1.

options: --via xa,xb (translators to time), --seed N, --timeout S,
         --prefix-change (every change is a prefix change)
"""
import argparse
import base64
import ctypes
import http.client
import ipaddress
import json
import os
import random
import select
import socket
import struct
import sys
import time
import urllib.parse

CLONE_NEWNET = 0x40000000
ETH_P_IPV6 = 0x86DD
SO_BINDTODEVICE = 25
PACKET_OUTGOING = 4
PROBE_INTERVAL = 0.01
# a delete has reached a translator when probes sent this long ago never arrived
QUIET = 0.3
TRANSLATOR_SRC = {"xa": "203.0.113.1", "xb": "203.0.113.5"}  # r4's address on the link
PREFIXES = ("64:ff9b::/96", "2001:db8:64::/96")
POOL4 = [f"192.0.2.{i}" for i in range(100, 250)]
SERVERS6 = ipaddress.IPv6Network("2001:db8:1::1:0/112")  # r6 routes it to the server

libc = ctypes.CDLL("libc.so.6", use_errno=True)


def enter(ns):
    """Join network namespace @ns (a name under /run/netns, or an fd)."""
    fd = ns if isinstance(ns, int) else os.open(f"/run/netns/{ns}", os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), f"setns {ns}")
    if not isinstance(ns, int):
        os.close(fd)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo(ident, seq):
    head = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    body = b"map646-etcd-sync"
    return struct.pack("!BBHHH", 8, 0, checksum(head + body), ident, seq) + body


class Etcd:
    """The v3 JSON gateway of a cluster: the next member when one fails."""

    def __init__(self, endpoints):
        self.urls = [urllib.parse.urlsplit(u) for u in endpoints.split(",")]
        self.cur = 0
        self.conn = None

    def call(self, path, body):
        last = None
        for _ in range(2 * len(self.urls)):
            u = self.urls[self.cur]
            try:
                if not self.conn:
                    self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
                self.conn.request("POST", path, json.dumps(body),
                                  {"Content-Type": "application/json"})
                r = self.conn.getresponse()
                data = json.loads(r.read() or b"{}")
                if r.status == 200:
                    return data
                last = f"{u.netloc}: HTTP {r.status} {data}"
            except (OSError, http.client.HTTPException, ValueError) as e:
                last = f"{u.netloc}: {e}"
            self.conn = None
            self.cur = (self.cur + 1) % len(self.urls)
            time.sleep(0.1)
        raise RuntimeError(f"etcd: {last}")


def b64(s):
    return base64.b64encode(s.encode()).decode()


def unb64(s):
    return base64.b64decode(s).decode()


def prefix_end(prefix):
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def read_prefix(etcd, prefix):
    ans = etcd.call("/v3/kv/range", {"key": b64(prefix), "range_end": b64(prefix_end(prefix))})
    return {unb64(kv["key"])[len(prefix):]: unb64(kv.get("value", "")) for kv in ans.get("kvs", [])}


class Plan:
    """Random changes of the table (and the prefix) as etcd ops + expectations."""

    def __init__(self, state, rng):
        self.rng = rng
        self.maps = {k[4:]: v for k, v in state.items() if k.startswith("map/")}
        self.prefix = state.get("settings/prefix", PREFIXES[0])
        self.stable = "192.0.2.10" if "192.0.2.10" in self.maps else None

    def free6(self):
        used = set(self.maps.values())
        while True:
            a = str(SERVERS6[self.rng.randrange(1, SERVERS6.num_addresses - 1)])
            if a not in used:
                return a

    def present(self, v4):
        return ("present", v4, self.maps[v4], self.prefix)

    def next(self, prefix_change):
        """(kind, ops, expectations); ops: (key, value or None)."""
        ours = [a for a in POOL4 if a in self.maps]
        free = [a for a in POOL4 if a not in self.maps]
        if prefix_change:
            self.prefix = PREFIXES[1] if self.prefix == PREFIXES[0] else PREFIXES[0]
            return "prefix", [("settings/prefix", self.prefix)], [self.present(self.stable)]
        r = self.rng.random()
        if len(ours) < 20 or (r < 0.45 and free):
            kind = "add"
        elif r < 0.7:
            kind = "delete"
        elif r < 0.9:
            kind = "move"
        else:
            kind = "txn"
        if kind == "add":
            a = self.rng.choice(free)
            self.maps[a] = self.free6()
            return kind, [(f"map/{a}", self.maps[a])], [self.present(a)]
        if kind == "delete":
            a = self.rng.choice(ours)
            del self.maps[a]
            return kind, [(f"map/{a}", None)], [("absent", a)]
        if kind == "move":
            a = self.rng.choice(ours)
            self.maps[a] = self.free6()
            return kind, [(f"map/{a}", self.maps[a])], [self.present(a)]
        # one transaction: a server's IPv4 address goes, another is added
        a, b = self.rng.choice(ours), self.rng.choice(free)
        del self.maps[a]
        self.maps[b] = self.free6()
        return kind, [(f"map/{a}", None), (f"map/{b}", self.maps[b])], [("absent", a), self.present(b)]


def write(etcd, prefix, ops):
    req = []
    for key, value in ops:
        if value is None:
            req.append({"request_delete_range": {"key": b64(prefix + key)}})
        else:
            req.append({"request_put": {"key": b64(prefix + key), "value": b64(value)}})
    etcd.call("/v3/kv/txn", {"success": req})


class Probe:
    """Probes through each translator, captured at the server."""

    def __init__(self, r4, server, via):
        home = os.open("/proc/self/ns/net", os.O_RDONLY)
        enter(r4)
        self.send = {}
        for t in via:
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, f"to-{t}".encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # replies: unread
            self.send[t] = s
        enter(server)
        self.cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IPV6))
        self.cap.bind(("eth0", ETH_P_IPV6))
        self.cap.setblocking(False)
        enter(home)
        os.close(home)
        self.via = via

    def drain(self):
        """Captured echo requests: (time, src, dst, ident, seq)."""
        out = []
        while True:
            try:
                pkt, addr = self.cap.recvfrom(2048)
            except BlockingIOError:
                return out
            if addr[2] == PACKET_OUTGOING or len(pkt) < 48 or pkt[6] != 58 or pkt[40] != 128:
                continue
            ident, seq = struct.unpack("!HH", pkt[44:48])
            out.append((time.monotonic(), ipaddress.IPv6Address(pkt[8:24]),
                        ipaddress.IPv6Address(pkt[24:40]), ident, seq))

    def measure(self, index, expect, t0, timeout):
        """Seconds until each expectation holds on each translator, or None."""
        todo = {}
        for t_i, t in enumerate(self.via):
            for e_i, e in enumerate(expect):
                ident = (index * 8 + t_i * 4 + e_i) & 0xFFFF
                todo[ident] = {"t": t, "e": e, "sent": {}, "seen": -1, "done": None}
        seq = 0
        end = t0 + timeout
        while any(p["done"] is None for p in todo.values()) and time.monotonic() < end:
            now = time.monotonic()
            for ident, p in todo.items():
                if p["done"] is None:
                    self.send[p["t"]].sendto(echo(ident, seq), (p["e"][1], 0))
                    p["sent"][seq] = now
            seq = (seq + 1) & 0xFFFF
            select.select([self.cap], [], [], PROBE_INTERVAL)
            for when, src, dst, ident, s in self.drain():
                p = todo.get(ident)
                if not p or p["done"] is not None or s not in p["sent"]:
                    continue
                if int(src) & 0xFFFFFFFF != int(ipaddress.IPv4Address(TRANSLATOR_SRC[p["t"]])):
                    continue
                e = p["e"]
                if e[0] == "absent":
                    p["seen"] = max(p["seen"], s)
                elif dst == ipaddress.IPv6Address(e[2]) and src in ipaddress.IPv6Network(e[3]):
                    p["done"] = when - t0
            now = time.monotonic()
            for p in todo.values():
                gone = p["sent"].get(p["seen"] + 1)
                if p["e"][0] == "absent" and p["done"] is None and gone and now - gone > QUIET:
                    p["done"] = max(gone - t0, 0.0)
        worst = {}
        for p in todo.values():
            d = p["done"]
            worst[p["t"]] = None if d is None or worst.get(p["t"], 0) is None else max(d, worst.get(p["t"], 0))
        return worst


def percentile(v, q):
    v = sorted(v)
    return v[max(0, -(-len(v) * q // 100) - 1)] if v else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("endpoints")
    ap.add_argument("prefix")
    ap.add_argument("r4")
    ap.add_argument("server")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--via", default="xa,xb")
    ap.add_argument("--seed", type=int, default=646)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--prefix-change", action="store_true")
    a = ap.parse_args()

    via = a.via.split(",")
    etcd = Etcd(a.endpoints)
    probe = Probe(a.r4, a.server, via)
    plan = Plan(read_prefix(etcd, a.prefix), random.Random(a.seed))
    lat, timeouts = [], 0
    with open(a.out, "a", encoding="ascii") as out:
        for i in range(a.n):
            kind, ops, expect = plan.next(a.prefix_change)
            t0 = time.monotonic()
            write(etcd, a.prefix, ops)
            worst = probe.measure(a.seed + i, expect, t0, a.timeout)
            if None in worst.values():
                timeouts += 1
                late = ",".join(t for t, d in worst.items() if d is None)
                print(f"change {i} ({kind} {ops}) did not reach {late} in {a.timeout} s", flush=True)
                break
            secs = max(worst.values())
            lat.append(secs)
            out.write(f"{i} {kind} {secs:.4f} " + " ".join(f"{t}={d:.4f}" for t, d in worst.items()) + "\n")
    print(f"measured={len(lat)} p50={percentile(lat, 50):.3f} p99={percentile(lat, 99):.3f} "
          f"max={max(lat, default=0):.3f} timeouts={timeouts}")
    return 1 if timeouts else 0


if __name__ == "__main__":
    sys.exit(main())
