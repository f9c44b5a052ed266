#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP segmentation offload: the datagrams an application sends as one.

usage: udp_gso.py send DST PORT SIZE SEGS SENDS df|nodf
       udp_gso.py recv PORT IDLE

send: SENDS times, one write of SEGS datagrams of SIZE bytes each
      (UDP_SEGMENT, so the stack hands a single GSO packet down), DF set
      or not; prints what a receiver must see.
recv: listen on [::]:PORT (dual-stack), take datagrams until none came for
      IDLE seconds, print what arrived.

Both print "datagrams=N sizes=S,... sha256=HEX": the number of datagrams,
their distinct sizes, and a digest of their payloads in order.
"""
import hashlib
import socket
import sys

# Linux values Python 3.11's socket module has no names for
UDP_SEGMENT = 103
IP_MTU_DISCOVER, IP_PMTUDISC_DONT, IP_PMTUDISC_PROBE = 10, 0, 3


def summary(dgrams):
    h = hashlib.sha256()
    for d in dgrams:
        h.update(d)
    sizes = ",".join(str(n) for n in sorted({len(d) for d in dgrams}))
    return "datagrams=%d sizes=%s sha256=%s" % (len(dgrams), sizes, h.hexdigest())


def payload(n, size):
    return bytes((n * 131 + i) & 0xff for i in range(size))


def send(dst, port, size, segs, sends, df):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER,
                 IP_PMTUDISC_PROBE if df == "df" else IP_PMTUDISC_DONT)
    s.setsockopt(socket.SOL_UDP, UDP_SEGMENT, size)
    s.connect((dst, port))
    sent = []
    for k in range(sends):
        dgrams = [payload(k * segs + i, size) for i in range(segs)]
        s.send(b"".join(dgrams))
        sent += dgrams
    print(summary(sent))


def recv(port, idle):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    s.bind(("::", port))
    got = []
    s.settimeout(None)
    got.append(s.recv(65536))
    s.settimeout(idle)
    try:
        while True:
            got.append(s.recv(65536))
    except socket.timeout:
        pass
    print(summary(got))


def main():
    a = sys.argv[1:]
    if a[0] == "send":
        send(a[1], int(a[2]), int(a[3]), int(a[4]), int(a[5]), a[6])
    else:
        recv(int(a[1]), float(a[2]))


if __name__ == "__main__":
    main()
