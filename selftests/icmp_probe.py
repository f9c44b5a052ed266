#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one UDP datagram and describe the ICMP error that comes back.

usage: icmp_probe.py 4 DST PORT SIZE [nocsum]
       icmp_probe.py 6 DST PORT SIZE [hao=ADDR]

4: from an IPv4 UDP socket, DF set whatever the path MTU; nocsum: without
   a UDP checksum (SO_NO_CHECK).
6: from an IPv6 UDP socket that never fragments; hao=ADDR: with a
   Destination Options header carrying a Home Address option (RFC 6275)
   naming ADDR, which an error sender must not take for the source.

Prints one line about the first ICMP error that arrives within 3 s:
  4: "from=A ihl=N type=T code=C mtu=M csum=ok|bad quote=ok|bad"
  6: "from=A type=T code=C mtu=M quote=ok|bad"   (the kernel checked the
     ICMPv6 checksum; mtu is the 32-bit field of Packet Too Big, else 0)
or "none". quote=ok: the error quotes this datagram's header (addresses,
protocol, ports).
"""
import select
import socket
import struct
import sys
import time

# Linux values Python 3.11's socket module has no names for
SO_NO_CHECK = 11
IP_MTU_DISCOVER, IP_PMTUDISC_PROBE = 10, 3
IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE = 23, 3
IPV6_DSTOPTS = 59


def csum(b):
    b += b"\0" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def wait_error(raw, want):
    end = time.monotonic() + 3
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([raw], [], [], left)[0]:
            return None
        data, src = raw.recvfrom(65536)
        msg = want(data)
        if msg is not None:
            return src[0], data


def probe4(dst, port, size, nocsum):
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE)
    if nocsum:
        s.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
    s.connect((dst, port))
    me, sport = s.getsockname()
    s.send(bytes(size))

    def error(p):
        ihl = (p[0] & 15) * 4
        return p if len(p) >= ihl + 8 and p[ihl] in (3, 11, 12) else None
    got = wait_error(raw, error)
    if not got:
        return "none"
    src, p = got
    ihl = (p[0] & 15) * 4
    icmp = p[ihl:]
    q = icmp[8:]
    qihl = (q[0] & 15) * 4 if q else 0
    quote = (len(q) >= qihl + 4 and q[0] >> 4 == 4 and q[9] == 17 and
             socket.inet_ntoa(q[12:16]) == me and socket.inet_ntoa(q[16:20]) == dst and
             struct.unpack("!HH", q[qihl:qihl + 4]) == (sport, port))
    return "from=%s ihl=%d type=%d code=%d mtu=%d csum=%s quote=%s" % (
        src, ihl // 4, icmp[0], icmp[1], struct.unpack("!H", icmp[6:8])[0],
        "ok" if csum(icmp) == 0 else "bad", "ok" if quote else "bad")


def dstopts_hao(addr):
    # next header, length 2 (24 bytes), PadN of 2, Home Address at 6 (8n+6)
    return (b"\0\x02" + b"\x01\x02\0\0" + b"\xc9\x10" +
            socket.inet_pton(socket.AF_INET6, addr))


def probe6(dst, port, size, hao):
    raw = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE)
    s.connect((dst, port))
    me, sport = s.getsockname()[:2]
    anc = [(socket.IPPROTO_IPV6, IPV6_DSTOPTS, dstopts_hao(hao))] if hao else []
    s.sendmsg([bytes(size)], anc)

    def error(p):
        return p if len(p) >= 8 and p[0] in (1, 2, 3, 4) else None
    got = wait_error(raw, error)
    if not got:
        return "none"
    src, p = got
    q = p[8:]
    a = lambda b: socket.inet_ntop(socket.AF_INET6, b)
    quote = len(q) >= 40 and q[0] >> 4 == 6 and a(q[8:24]) == me and a(q[24:40]) == \
        socket.inet_ntop(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, dst))
    return "from=%s type=%d code=%d mtu=%d quote=%s" % (
        src, p[0], p[1], struct.unpack("!I", p[4:8])[0] if p[0] == 2 else 0,
        "ok" if quote else "bad")


def main():
    fam, dst, port, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    opt = sys.argv[5] if len(sys.argv) > 5 else ""
    if fam == "4":
        print(probe4(dst, port, size, opt == "nocsum"))
    else:
        print(probe6(dst, port, size, opt[4:] if opt.startswith("hao=") else None))


if __name__ == "__main__":
    main()
