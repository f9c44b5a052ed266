#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Write hostile packets at a map646 translator.

Truncated and inconsistent headers, options and extension header chains at
their limits, fragments, ICMP errors nested in errors, empty, maximum-size
and random packets, aimed at the mapped server and the prefix so they get
deep into the parsers. Prints "sent4 N sent6 N" (buffers the kernel
accepted).

usage: hostile.py DEV COUNT_PER_FAMILY
         an AF_PACKET socket on the map646 device DEV hands each buffer,
         both families, to its transmit path as it is (no IP stack
         validation before it)
       hostile.py DEV COUNT 4|6 MAC
         the packets of one family go out of link DEV to MAC, the
         translator's end of it, and meet its receive path (IPv4 header
         checksums are made right, so that more than the checksum check
         is exercised)
"""
import random
import socket
import struct
import sys

DEV, COUNT = sys.argv[1], int(sys.argv[2])
FAMILY = int(sys.argv[3]) if len(sys.argv) > 4 else None
MAC = bytes.fromhex(sys.argv[4].replace(":", "")) if FAMILY else None
ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
CLIENT4, SERVER4 = bytes([198, 51, 100, 7]), bytes([192, 0, 2, 10])
SERVER6 = socket.inet_pton(socket.AF_INET6, "2001:db8:1::10")
CLIENT6 = socket.inet_pton(socket.AF_INET6, "64:ff9b::198.51.100.7")
rnd = random.Random(646)


def rbytes(n):
    # one call, not one per byte: a byte at a time, the 65 535-byte
    # packets made generating cost ~45 s on the host and over the
    # 300 s test limit in a busy TCG guest
    return rnd.randbytes(n)


def l4(proto, n):
    """A plausible transport header + payload of about n bytes."""
    if proto == 6:
        return struct.pack("!HHIIBBHHH", 1000, 80, 1, 0, 5 << 4, 2, 512, 0, 0) + rbytes(n)
    if proto == 17:
        return struct.pack("!HHHH", 1000, 53, 8 + n, rnd.choice([0, 0x1234])) + rbytes(n)
    if proto in (1, 58):
        return bytes([rnd.choice([0, 3, 4, 5, 8, 11, 12, 13, 1, 2, 128, 129, 135, 143]),
                      rnd.randrange(20)]) + b"\0\0" + rbytes(4 + n)
    return rbytes(n)


def ip4(payload, proto, ihl=5, tot=None, frag=0, opts=b""):
    opts = opts.ljust((ihl - 5) * 4, b"\0")[:max(0, (ihl - 5) * 4)]
    tot = 20 + len(opts) + len(payload) if tot is None else tot
    return struct.pack("!BBHHHBBH4s4s", 0x40 | (ihl & 15), rnd.getrandbits(8), tot & 0xffff,
                       rnd.getrandbits(16), frag, rnd.randrange(1, 256), proto, 0,
                       CLIENT4, SERVER4) + opts + payload


def ip6(payload, nh, plen=None, src=SERVER6, dst=CLIENT6):
    plen = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", 0x60000000 | rnd.getrandbits(20), plen & 0xffff, nh,
                       rnd.randrange(1, 256), src, dst) + payload


def exthdrs(count, last):
    """A chain of extension headers ending in transport protocol last."""
    kinds = [rnd.choice([0, 43, 44, 60, 51, 50, 135]) for _ in range(count)] + [last]
    out = b""
    for i, k in enumerate(kinds[:-1]):
        nxt = kinds[i + 1]
        if k == 44:
            out += struct.pack("!BBHI", nxt, 0, rnd.getrandbits(16), rnd.getrandbits(32))
        elif k == 43:
            out += bytes([nxt, 2, 0, rnd.randrange(3)]) + rbytes(20)
        else:
            n = rnd.randrange(4)
            out += bytes([nxt, n]) + rbytes(6 + 8 * n)
    return kinds[0], out


def hostile4():
    kind = rnd.randrange(12)
    proto = rnd.choice([6, 17, 1, 58, 47, 132])
    body = l4(proto, rnd.randrange(0, 200))
    good = ip4(body, proto)
    if kind == 0:
        return good[:rnd.randrange(0, len(good))]                 # truncated
    if kind == 1:
        return ip4(body, proto, ihl=rnd.randrange(16))            # bad IHL
    if kind == 2:
        return ip4(body, proto, tot=len(good) + rnd.randrange(1, 4000))  # longer than buffer
    if kind == 3:
        return ip4(body, proto, tot=rnd.randrange(0, 20))         # shorter than header
    if kind == 4:                                                 # options at limits
        opts = bytes([rnd.choice([0, 1, 7, 68, 131, 137, 148]), rnd.randrange(256)]) + rbytes(38)
        return ip4(body, proto, ihl=15, opts=opts)
    if kind == 5:                                                 # fragments anywhere
        return ip4(body, proto, frag=rnd.getrandbits(16))
    if kind == 6:                                                 # ICMP error in error
        inner = ip4(bytes([3, 3, 0, 0, 0, 0, 0, 0]) + ip4(l4(17, 20), 17), 1)
        return ip4(bytes([rnd.choice([3, 11, 12]), rnd.randrange(16), 0, 0, 0,
                          rnd.randrange(256), 0, 0]) + inner[:rnd.randrange(len(inner))], 1)
    if kind == 7:
        return b""                                                # empty
    if kind == 8:                                                 # maximum size
        return ip4(l4(17, 65535 - 28 - 8), 17)
    if kind == 9:
        return rbytes(rnd.randrange(1, 1500))                     # noise
    if kind == 10:                                                # RFC 4884 lengths
        inner = ip4(l4(17, 100), 17)
        return ip4(bytes([rnd.choice([3, 11, 12]), 3, 0, 0, 0, rnd.randrange(256), 0, 0])
                   + inner + rbytes(rnd.randrange(300)), 1)
    return good


def hostile6():
    kind = rnd.randrange(11)
    proto = rnd.choice([6, 17, 58, 1, 47, 59])
    body = l4(proto, rnd.randrange(0, 200))
    good = ip6(body, proto)
    if kind == 0:
        return good[:rnd.randrange(0, len(good))]
    if kind == 1:
        return ip6(body, proto, plen=rnd.getrandbits(16))         # bad payload length
    if kind == 2:                                                 # extension chains
        first, chain = exthdrs(rnd.randrange(1, 40), proto)
        return ip6(chain + body, first)
    if kind == 3:                                                 # chain cut short
        first, chain = exthdrs(rnd.randrange(1, 10), proto)
        pkt = ip6(chain + body, first)
        return pkt[:rnd.randrange(40, len(pkt))]
    if kind == 4:                                                 # ICMPv6 error in error
        inner = ip6(bytes([1, 4, 0, 0, 0, 0, 0, 0]) + ip6(l4(17, 20), 17, src=CLIENT6, dst=SERVER6), 58)
        return ip6(bytes([rnd.choice([1, 2, 3, 4]), rnd.randrange(8), 0, 0,
                          rnd.randrange(256), 0, 0, 0]) + inner[:rnd.randrange(len(inner))], 58)
    if kind == 5:
        return b""
    if kind == 6:
        return ip6(l4(17, 65535 - 40 - 8), 17)                    # maximum size
    if kind == 7:
        return rbytes(rnd.randrange(1, 1500))
    if kind == 8:                                                 # jumbo, no jumbo option
        return ip6(body, proto, plen=0)
    if kind == 9:                                                 # error about a prefix host
        inner = ip6(l4(6, 40), 6, src=CLIENT6, dst=SERVER6)
        return ip6(bytes([rnd.choice([1, 2, 3, 4]), rnd.randrange(5), 0, 0, 0, 0, 5, 0x14])
                   + inner + rbytes(rnd.randrange(200)), 58,
                   src=rnd.choice([SERVER6, socket.inet_pton(socket.AF_INET6, "2001:db8:9::1")]))
    return good


def checksummed4(pkt):
    """pkt with a right IPv4 header checksum, where it has a header."""
    if len(pkt) < 20 or pkt[0] >> 4 != 4 or pkt[0] & 15 < 5:
        return pkt
    hl = min((pkt[0] & 15) * 4, len(pkt))
    hdr = pkt[:10] + b"\0\0" + pkt[12:hl]
    words = sum(struct.unpack("!%dH" % (hl // 2), hdr[:hl // 2 * 2]))
    while words >> 16:
        words = (words & 0xffff) + (words >> 16)
    return hdr[:10] + struct.pack("!H", ~words & 0xffff) + pkt[12:]


def main():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM)
    sent = {4: 0, 6: 0}
    for fam, make, proto in ((4, hostile4, ETH_P_IP), (6, hostile6, ETH_P_IPV6)):
        if FAMILY and fam != FAMILY:
            continue
        for _ in range(COUNT):
            pkt = make()
            to = (DEV, proto)
            if FAMILY:
                pkt = checksummed4(pkt) if fam == 4 else pkt
                to = (DEV, proto, 0, 0, MAC)
            try:
                s.sendto(pkt, to)
                sent[fam] += 1
            except OSError:
                pass        # refused by the socket layer (e.g. empty): not sent
    print("sent4 %d sent6 %d" % (sent[4], sent[6]))


if __name__ == "__main__":
    main()
