#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A steady UDP stream whose every packet is checked on arrival.

usage: udp_stream.py recv PORT STOPFILE RESULT
       udp_stream.py send SRC[,SRC...] DST PORT RATE STOPFILE RESULT

send: from each SRC in turn (one socket bound to each) to DST:PORT, RATE
      packets per second until STOPFILE exists. Packet n carries n and a
      payload derived from n, 24 to 1047 bytes long. Writes "sent=N".
recv: on [::]:PORT (dual-stack) until STOPFILE exists and no packet came
      for a second. For each packet: its source and destination address
      (IP_PKTINFO / IPV6_PKTINFO), its TTL or hop limit, and whether the
      payload is exactly what the sender put in. Writes one line:
      "packets=N bad_payload=B dup=D" followed by "SRC>DST/HOP=COUNT" for
      every combination seen.

A packet the network corrupted fails the kernel's UDP checksum check and
never reaches the socket: the caller compares the namespace's
InCsumErrors counters and the sent/received counts. Plain sockets only: the
interpreter starts in a fraction of a second in the guest.
"""
import os
import socket
import struct
import sys
import time

HDR = struct.Struct("!QI")
# <linux/in.h>; Python's socket module has no names for them before 3.12
IP_TTL, IP_PKTINFO, IP_RECVTTL = 2, 8, 12
SO_RCVBUFFORCE = 33	# <asm-generic/socket.h>


def payload(n):
    size = 16 + n % 1024
    return HDR.pack(n, size) + bytes((n * 7 + i) & 255 for i in range(size))


def send(srcs, dst, port, rate, stop, out):
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    socks = []
    for src in srcs.split(","):
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((src, 0))
        socks.append(s)
    n = 0
    start = time.monotonic()
    while not os.path.exists(stop):
        try:
            socks[n % len(socks)].sendto(payload(n), (dst, port))
        except OSError:
            pass	# an ICMP error of an earlier packet; keep the pace
        n += 1
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    with open(out, "w", encoding="ascii") as f:
        f.write("sent=%d\n" % n)


def unmapped(addr):
    # a dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d
    return addr[7:] if addr.startswith("::ffff:") else addr


def recv(port, stop, out):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    for level, opt in ((socket.IPPROTO_IP, IP_PKTINFO),
                       (socket.IPPROTO_IP, IP_RECVTTL),
                       (socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO),
                       (socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT)):
        s.setsockopt(level, opt, 1)
    # room for a burst while the interpreter waits for the CPU
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    s.bind(("::", port))
    s.settimeout(1.0)
    seen, combos = set(), {}
    bad = dup = 0
    while True:
        try:
            data, anc, _, peer = s.recvmsg(2048, 256)
        except socket.timeout:
            if os.path.exists(stop):
                break
            continue
        dst, hop = "?", -1
        for level, kind, val in anc:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                dst = socket.inet_ntop(socket.AF_INET, val[8:12])
            elif level == socket.IPPROTO_IP and kind == IP_TTL:
                hop = struct.unpack("=i", val[:4])[0]
            elif level == socket.IPPROTO_IPV6 and kind == socket.IPV6_PKTINFO:
                dst = socket.inet_ntop(socket.AF_INET6, val[:16])
            elif level == socket.IPPROTO_IPV6 and kind == socket.IPV6_HOPLIMIT:
                hop = struct.unpack("=i", val[:4])[0]
        if len(data) < HDR.size:
            bad += 1
            continue
        n = HDR.unpack_from(data)[0]
        if data != payload(n):
            bad += 1
            continue
        if n in seen:
            dup += 1
        seen.add(n)
        key = "%s>%s/%d" % (unmapped(peer[0]), unmapped(dst), hop)
        combos[key] = combos.get(key, 0) + 1
    with open(out, "w", encoding="ascii") as f:
        f.write("packets=%d bad_payload=%d dup=%d %s\n" %
                (len(seen) + dup, bad, dup,
                 " ".join("%s=%d" % kv for kv in sorted(combos.items()))))


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == "recv":
        recv(int(a[1]), a[2], a[3])
    elif len(a) == 7 and a[0] == "send":
        send(a[1], a[2], int(a[3]), float(a[4]), a[5], a[6])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
