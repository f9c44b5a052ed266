#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""map646's own RFC 7915 packet cases, written from the RFC text.

Builds, with scapy (an implementation independent of map646), the packet
each case sends and the packet(s) RFC 7915 says must come out, into
OUTDIR/cases.tsv + OUTDIR/*.pkt in the format of the Jool suite, so the same
runner (jool_siit.py) plays them. Topology and addresses are those of
map646_jool_siit.sh: prefix 2001:db8:100::/40, n4 = 198.51.100.2,
n6 = 2001:db8:1c0:2:21:: mapped to 192.0.2.33, 1.0.0.N <-> 2001:db8:3::N.
Case names say the rule they check.

usage: rfc7915_cases.py OUTDIR
"""
import os
import sys
import warnings

warnings.filterwarnings("ignore")
from scapy.all import (IP, IPv6, TCP, UDP, ICMP, Raw, IPOption,  # noqa: E402
                       ICMPv6EchoRequest, ICMPv6EchoReply,
                       ICMPv6DestUnreach, ICMPv6PacketTooBig,
                       ICMPv6TimeExceeded, ICMPv6ParamProblem,
                       IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                       IPerror, UDPerror, TCPerror, IPerror6, raw)

OUT = sys.argv[1]
N4, S4 = "198.51.100.2", "192.0.2.33"            # IPv4 node, mapped server
N4_6, S6 = "2001:db8:1c6:3364:2::", "2001:db8:1c0:2:21::"
XL4, XL6 = "198.51.100.1", "2001:db8:1c0:2:1::"  # the translator itself
PAY = bytes(range(64))
IGN4 = "4,5,10,11"        # IPv4 identification and header checksum
rows = []


def emit(name, direction, sent, expected, ignored="-", settings=""):
    """One case: expected is a list of packets, [] when nothing may come out."""
    files = []
    for i, p in enumerate([sent] + expected):
        f = "%s-%s.pkt" % (name, "t" if i == 0 else "e%d" % i)
        with open(os.path.join(OUT, f), "wb") as fd:
            fd.write(raw(p))
        files.append(f)
    rows.append("\t".join(["map646", direction, files[0],
                           ",".join(files[1:]) or "-", ignored,
                           settings or "lowest-ipv6-mtu=1280"]))


def v4(src=N4, dst=S4, **kw):
    return IP(src=src, dst=dst, ttl=kw.pop("ttl", 64), **kw)


def v6(src=N4_6, dst=S6, **kw):
    return IPv6(src=src, dst=dst, hlim=kw.pop("hlim", 63), **kw)


def main():
    os.makedirs(OUT, exist_ok=True)
    udp = UDP(sport=2000, dport=4000) / PAY
    tcp = TCP(sport=2000, dport=4000, flags="S") / PAY

    # 4.1 / 5.1: header fields; one decrement across the translator
    for tos in (0, 0xb8):
        emit("4.1-udp-tos%02x-to-tclass" % tos, "46", v4(tos=tos) / udp,
             [v6(tc=tos) / udp])
        emit("5.1-udp-tclass%02x-to-tos" % tos, "64",
             v6(src=S6, dst=N4_6, tc=tos, hlim=64) / udp,
             [v4(src=S4, dst=N4, tos=tos, ttl=63) / udp], IGN4)
    emit("4.1-tcp", "46", v4() / tcp, [v6() / tcp])
    emit("5.1-tcp", "64", v6(src=S6, dst=N4_6, hlim=64) / tcp,
         [v4(src=S4, dst=N4, ttl=63) / tcp], IGN4)
    emit("4.1-unknown-protocol-passes", "46", v4(proto=132) / Raw(PAY),
         [v6(nh=132) / Raw(PAY)])
    emit("5.1-unknown-protocol-passes", "64",
         v6(src=S6, dst=N4_6, nh=132, hlim=64) / Raw(PAY),
         [v4(src=S4, dst=N4, proto=132, ttl=63) / Raw(PAY)], IGN4)
    emit("4.1-options-ignored", "46",
         v4(options=[IPOption(b"\x01\x01\x01\x00")]) / udp, [v6() / udp])
    emit("4.1-tos-zero-setting", "46", v4(tos=0xb8) / udp, [v6(tc=0) / udp],
         settings="lowest-ipv6-mtu=1280;map646:tos=zero")

    # 5.1: DF is set only above 1260 bytes; never an atomic fragment
    for size in (1260, 1261):
        body = UDP(sport=2000, dport=4000) / bytes(size - 28)
        emit("5.1-df-%s-at-%d" % ("clear" if size <= 1260 else "set", size),
             "64", v6(src=S6, dst=N4_6, hlim=64) / body,
             [v4(src=S4, dst=N4, ttl=63, flags="DF" if size > 1260 else 0)
              / body], IGN4)

    # 4.1: IPv4 fragments get a Fragment header (ID, offset, M)
    emit("4.1-first-fragment", "46",
         v4(id=0x1234, flags="MF") / udp,
         [v6() / IPv6ExtHdrFragment(id=0x1234, m=1, nh=17) / udp])
    emit("4.1-middle-fragment", "46",
         v4(id=0x1234, flags="MF", frag=100, proto=17) / Raw(PAY),
         [v6() / IPv6ExtHdrFragment(id=0x1234, m=1, offset=100, nh=17) / Raw(PAY)])
    emit("4.1-last-fragment", "46",
         v4(id=0x4321, frag=200, proto=6) / Raw(PAY),
         [v6() / IPv6ExtHdrFragment(id=0x4321, m=0, offset=200, nh=6) / Raw(PAY)])
    # 5.1: and back
    emit("5.1-fragment-to-ipv4-fragment", "64",
         v6(src=S6, dst=N4_6, hlim=64) / IPv6ExtHdrFragment(id=0xabcd1234, m=1, offset=7, nh=17) / Raw(PAY),
         [v4(src=S4, dst=N4, ttl=63, id=0x1234, flags="MF", frag=7, proto=17) / Raw(PAY)])

    # 4: DF=0 and too big for the lowest IPv6 MTU: fragmented to it
    big = UDP(sport=2000, dport=4000) / bytes(1400)
    whole = raw(v6() / big)[40:]
    first, rest = whole[:1232], whole[1232:]
    emit("4-df0-fragmented-to-lowest-mtu", "46", v4(id=0x77) / big,
         [v6() / IPv6ExtHdrFragment(id=0x77, m=1, nh=17) / Raw(first),
          v6() / IPv6ExtHdrFragment(id=0x77, offset=1232 // 8, nh=17) / Raw(rest)],
         settings="lowest-ipv6-mtu=1280")
    emit("4-df0-fits-lowest-mtu-1500", "46", v4(id=0x77) / big, [v6() / big],
         settings="lowest-ipv6-mtu=1500")
    # 4 (RFC 8021): DF=1 unfragmented never gets a Fragment header
    emit("4-df1-no-atomic-fragment", "46", v4(flags="DF") / udp, [v6() / udp])

    # 4 (PMTU): DF=1 and too big for the IPv6 next hop: Frag Needed, MTU-20
    d1 = v4(flags="DF") / UDP(sport=2000, dport=4000) / bytes(1372)
    emit("4-df1-too-big-frag-needed-mtu-minus-20", "44", d1,
         [IP(src=XL4, dst=N4) / ICMP(type=3, code=4, nexthopmtu=1260) /
          Raw(raw(d1)[:576 - 28])],
         "1,4,5,10,11", "lowest-ipv6-mtu=1280;mtu=joolns/to_client_v6=1280")
    # 5 (PMTU): too big for the IPv4 next hop: Packet Too Big, MTU+20
    p6 = v6(src=S6, dst=N4_6, hlim=64) / UDP(sport=2000, dport=4000) / bytes(1392)
    emit("5-too-big-for-ipv4-ptb-mtu-plus-20", "66", p6,
         [IPv6(src=XL6, dst=S6, hlim=64) / ICMPv6PacketTooBig(mtu=1420) /
          Raw(raw(p6)[:1280 - 48])],
         settings="lowest-ipv6-mtu=1280;mtu=joolns/to_client_v4=1400")

    # 5.1: skipped extension headers
    for eh, nm in ((IPv6ExtHdrHopByHop(), "hop-by-hop"),
                   (IPv6ExtHdrDestOpt(), "destination-options"),
                   (IPv6ExtHdrRouting(segleft=0, addresses=[]), "routing-segleft0")):
        emit("5.1-skip-" + nm, "64", v6(src=S6, dst=N4_6, hlim=64) / eh / udp,
             [v4(src=S4, dst=N4, ttl=63) / udp], IGN4)
    # 5.1: Routing header with Segments Left != 0: Parameter Problem
    rt = v6(src=S6, dst=N4_6, hlim=64) / IPv6ExtHdrRouting(segleft=1, addresses=["2001:db8::1"]) / udp
    emit("5.1-routing-segleft-param-problem", "66", rt,
         [IPv6(src=XL6, dst=S6, hlim=64) / ICMPv6ParamProblem(code=0, ptr=43) / rt])

    # 4.3 / 4.5: UDP without checksum: dropped with 3/13, or computed
    u0 = v4() / UDP(sport=2000, dport=4000, chksum=0) / PAY
    emit("4.5-udp-zero-checksum-3-13", "44", u0,
         [IP(src=XL4, dst=N4) / ICMP(type=3, code=13) / u0], "1,4,5,10,11")
    emit("4.5-no-reply-with-icmp-errors-off", "44", u0, [],
         settings="lowest-ipv6-mtu=1280;map646:icmp-errors=off")
    emit("4.5-udp-zero-checksum-computed", "46", u0, [v6() / udp],
         settings="lowest-ipv6-mtu=1280;amend-udp-checksum-zero=1")

    # 4.2: ICMPv4 -> ICMPv6
    emit("4.2-echo-request", "46", v4() / ICMP(type=8, id=7, seq=1) / PAY,
         [v6() / ICMPv6EchoRequest(id=7, seq=1, data=PAY)])
    emit("4.2-echo-reply", "46", v4() / ICMP(type=0, id=7, seq=1) / PAY,
         [v6() / ICMPv6EchoReply(id=7, seq=1, data=PAY)])
    inner4 = IP(src=S4, dst=N4, ttl=10, id=0, flags="DF") / UDP(sport=4000, dport=2000) / PAY
    inner6 = IPv6(src=S6, dst=N4_6, hlim=10) / UDP(sport=4000, dport=2000) / PAY
    for code, (t6, c6), nm in ((0, (1, 0), "net"), (1, (1, 0), "host"),
                               (3, (1, 4), "port"), (9, (1, 1), "net-prohibited"),
                               (10, (1, 1), "host-prohibited"), (13, (1, 1), "filtered")):
        emit("4.2-dest-unreach-%d-%s" % (code, nm), "46",
             v4() / ICMP(type=3, code=code) / inner4,
             [v6() / ICMPv6DestUnreach(code=c6) / inner6])
    emit("4.2-protocol-unreach-param-problem-ptr6", "46",
         v4() / ICMP(type=3, code=2) / inner4,
         [v6() / ICMPv6ParamProblem(code=1, ptr=6) / inner6])
    emit("4.2-time-exceeded", "46", v4() / ICMP(type=11, code=0) / inner4,
         [v6() / ICMPv6TimeExceeded(code=0) / inner6])
    for mtu, mtu6, nm in ((1400, 1420, "plus-20"), (1000, 1280, "never-below-1280")):
        emit("4.2-frag-needed-ptb-%s" % nm, "46",
             v4() / ICMP(type=3, code=4, nexthopmtu=mtu) / inner4,
             [v6() / ICMPv6PacketTooBig(mtu=mtu6) / inner6])
    # mtu 0: RFC 1191 plateau below the inner total length (1500 -> 1492),
    # on 9000-byte links that leave it the minimum
    big4 = IP(src=S4, dst=N4, ttl=10, flags="DF") / UDP(sport=4000, dport=2000) / bytes(1472)
    big6 = IPv6(src=S6, dst=N4_6, hlim=10) / UDP(sport=4000, dport=2000) / bytes(1472)
    emit("4.2-frag-needed-mtu0-plateau", "46",
         v4() / ICMP(type=3, code=4, nexthopmtu=0) / raw(big4)[:548],
         [v6() / ICMPv6PacketTooBig(mtu=1512) / raw(big6)[:40 + 528]],
         settings="lowest-ipv6-mtu=1280;mtu=joolns/to_client_v6=9000;"
         "mtu=joolns/to_client_v4=9000")
    # RFC 7915 4.2: minimum(MTU + 20, IPv6 next hop, IPv4 next hop + 20);
    # the IPv6 next hop leads to the server, the IPv4 one to the router
    # that sent the error
    for mtu, ptb, links, nm in (
            (1500, 1500, "", "1500-ptb-1500-ipv6-link-1500"),
            (0, 1500, "", "mtu0-plateau-1512-ipv6-link-1500"),
            (1400, 1300, ";mtu=joolns/to_client_v6=1300", "ptb-min-ipv6-next-hop-1300"),
            (1400, 1370, ";mtu=joolns/to_client_v4=1350", "ptb-min-ipv4-next-hop-1350-plus-20")):
        inner = raw(big4)[:548] if mtu == 0 else inner4
        quoted = raw(big6)[:40 + 528] if mtu == 0 else inner6
        emit("4.2-frag-needed-" + nm, "46",
             v4() / ICMP(type=3, code=4, nexthopmtu=mtu) / inner,
             [v6() / ICMPv6PacketTooBig(mtu=ptb) / quoted],
             settings="lowest-ipv6-mtu=1280" + links)
    for ptr4, ptr6 in ((0, 0), (1, 1), (2, 4), (8, 7), (9, 6), (12, 8), (16, 24)):
        emit("4.2-param-problem-ptr-%d-to-%d" % (ptr4, ptr6), "46",
             v4() / ICMP(type=12, code=0, ptr=ptr4) / inner4,
             [v6() / ICMPv6ParamProblem(code=0, ptr=ptr6) / inner6])
    emit("4.2-param-problem-ptr-id-dropped", "46",
         v4() / ICMP(type=12, code=0, ptr=4) / inner4, [])
    emit("4.2-redirect-dropped", "46", v4() / ICMP(type=5, code=1) / inner4, [])
    emit("4.2-timestamp-dropped", "46", v4() / ICMP(type=13) / PAY, [])
    emit("4.2-fragmented-echo-dropped", "46",
         v4(flags="MF") / ICMP(type=8) / PAY, [])

    # 5.2: ICMPv6 -> ICMPv4
    o6 = dict(src=S6, dst=N4_6, hlim=64)
    o4 = dict(src=S4, dst=N4, ttl=63)
    inner6r = IPv6(src=N4_6, dst=S6, hlim=10) / UDP(sport=2000, dport=4000) / PAY
    inner4r = IP(src=N4, dst=S4, ttl=10, id=0) / UDP(sport=2000, dport=4000) / PAY
    ign = "4,5,10,11,32,33,38,39"  # outer and inner ID and header checksums
    emit("5.2-echo-request", "64", v6(**o6) / ICMPv6EchoRequest(id=7, seq=1, data=PAY),
         [v4(**o4) / ICMP(type=8, id=7, seq=1) / PAY], IGN4)
    for code, c4, nm in ((0, 1, "no-route"), (1, 10, "prohibited"),
                         (3, 1, "address"), (4, 3, "port")):
        emit("5.2-dest-unreach-%d-%s" % (code, nm), "64",
             v6(**o6) / ICMPv6DestUnreach(code=code) / inner6r,
             [v4(**o4) / ICMP(type=3, code=c4) / inner4r], ign)
    emit("5.2-ptb-frag-needed-minus-20", "64",
         v6(**o6) / ICMPv6PacketTooBig(mtu=1400) / inner6r,
         [v4(**o4) / ICMP(type=3, code=4, nexthopmtu=1380) / inner4r], ign)
    # RFC 7915 5.2: minimum(MTU - 20, IPv4 next hop, IPv6 next hop - 20);
    # the IPv4 next hop leads to the client, the IPv6 one to the sender of
    # the error; an MTU of 20 or less says nothing (as Jool takes it)
    for mtu, fn, links, nm in (
            (9000, 1480, "", "9000-frag-needed-1480-ipv6-link-1500"),
            (0, 1480, "", "0-frag-needed-1480-ipv6-link-1500"),
            (1400, 1300, ";mtu=joolns/to_client_v4=1300", "frag-needed-min-ipv4-next-hop-1300"),
            (1400, 1330, ";mtu=joolns/to_client_v6=1350", "frag-needed-min-ipv6-next-hop-1350-minus-20")):
        emit("5.2-ptb-" + nm, "64",
             v6(**o6) / ICMPv6PacketTooBig(mtu=mtu) / inner6r,
             [v4(**o4) / ICMP(type=3, code=4, nexthopmtu=fn) / inner4r], ign,
             "lowest-ipv6-mtu=1280" + links)
    emit("5.2-time-exceeded", "64", v6(**o6) / ICMPv6TimeExceeded(code=1) / inner6r,
         [v4(**o4) / ICMP(type=11, code=1) / inner4r], ign)
    emit("5.2-unknown-next-header-protocol-unreach", "64",
         v6(**o6) / ICMPv6ParamProblem(code=1, ptr=6) / inner6r,
         [v4(**o4) / ICMP(type=3, code=2) / inner4r], ign)
    for ptr6, ptr4 in ((0, 0), (4, 2), (6, 9), (7, 8), (8, 12), (24, 16)):
        emit("5.2-param-problem-ptr-%d-to-%d" % (ptr6, ptr4), "64",
             v6(**o6) / ICMPv6ParamProblem(code=0, ptr=ptr6) / inner6r,
             [v4(**o4) / ICMP(type=12, code=0, ptr=ptr4) / inner4r], ign)
    emit("5.2-neighbor-solicitation-dropped", "64",
         v6(nh=58, **o6) / Raw(b"\x87\x00\x00\x00" + bytes(20)), [])
    emit("5.2-mld-dropped", "64",
         v6(nh=58, **o6) / Raw(b"\x83\x00\x00\x00" + bytes(20)), [])
    quoted = raw(IP(src=N4, dst=S4, ttl=10, id=0) /
                 UDP(sport=2000, dport=4000) / bytes(1000))[:576 - 28]
    emit("5.2-truncated-to-576", "64",
         v6(**o6) / ICMPv6DestUnreach(code=4) / IPv6(src=N4_6, dst=S6, hlim=10) /
         UDP(sport=2000, dport=4000) / bytes(1000),
         [v4(**o4) / ICMP(type=3, code=3) / Raw(quoted)], ign)

    # RFC 6791: an ICMPv6 error from an unmapped router uses the pool
    emit("6791-error-from-unmapped-router-uses-pool", "64",
         IPv6(src="2001:db8:ffff::1", dst=N4_6, hlim=64) / ICMPv6TimeExceeded() / inner6r,
         [IP(src="203.0.113.8", dst=N4, ttl=63) / ICMP(type=11) / inner4r], ign)
    # without a pool: the RFC 7600 dummy address, as Linux uses
    emit("6791-no-pool-dummy-192.0.0.8", "64",
         IPv6(src="2001:db8:ffff::1", dst=N4_6, hlim=64) / ICMPv6TimeExceeded() / inner6r,
         [IP(src="192.0.0.8", dst=N4, ttl=63) / ICMP(type=11) / inner4r], ign,
         settings="lowest-ipv6-mtu=1280;rfc6791v4-prefix=null")

    # anti-spoofing: only mapped servers may use the translator
    emit("spoof-6to4-unmapped-source-dropped", "64",
         IPv6(src="2001:db8:1c0:2:99::", dst=N4_6, hlim=64) / udp, [])
    emit("spoof-4to6-mapped-source-from-outside-dropped", "46",
         v4(src="1.0.0.5") / udp, [])

    # RFC 7757 hairpinning: a server reaches another mapped server's IPv4
    emit("7757-hairpin-server-to-server", "66",
         IPv6(src="2001:db8:3::8", dst="2001:db8:101:0:9::", hlim=64) / udp,
         [IPv6(src="2001:db8:101:0:8::", dst="2001:db8:3::9", hlim=63) / udp])

    with open(os.path.join(OUT, "cases.tsv"), "w") as f:
        f.write("# group\tdir\tsent\texpected\tignored_offsets\tsettings\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
