#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one raw generic netlink request to the map646 family and print the
kernel's answer to it, for tests that need requests map646ctl never sends.

usage: genl.py COMMAND [ATTR=VALUE ...] [-- COMMAND [ATTR=VALUE ...]] ...
  COMMAND  map_add map_del map_get map_flush config_set config_get stats_get
  ATTR     ifindex=N ifname=S ipv4=A ipv6=A prefix=A prefix_len=N

Prints one line per request: "errno=NAME msg=TEXT" (errno=0 for success;
msg is the extended-ack message, empty if there was none); exit status 0
once every answer came back, 1 on usage or transport errors.
"""
import errno
import ipaddress
import os
import socket
import struct
import sys

# uapi/linux/map646.h
CMDS = {"map_add": 1, "map_del": 2, "map_get": 3, "map_flush": 4,
        "config_set": 5, "config_get": 6, "stats_get": 7}
A_IFINDEX, A_IFNAME, A_MAP_IPV4, A_MAP_IPV6, A_PREFIX, A_PREFIX_LEN = range(1, 7)

# linux/netlink.h, linux/genetlink.h
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_ACK, NLM_F_ACK_TLVS = 0x1, 0x4, 0x200
NETLINK_GENERIC = 16
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLMSGERR_ATTR_MSG = 1
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2


def attr(kind, payload):
    hdr = struct.pack("=HH", 4 + len(payload), kind)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def attrs(buf):
    out = {}
    while len(buf) >= 4:
        length, kind = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        out[kind & 0x3FFF] = buf[4:length]
        buf = buf[(length + 3) & ~3:]
    return out


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, payload, version=1):
        """Send; return (errno, extack message, data messages)."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body
        self.sk.send(msg)
        data = []
        while True:
            buf = self.sk.recv(65536)
            while len(buf) >= 16:
                length, kind, flags, seq, _ = struct.unpack_from("=IHHII", buf)
                part, buf = buf[16:length], buf[(length + 3) & ~3:]
                if seq != self.seq:
                    continue
                if kind == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", part)[0]
                    text = ""
                    if flags & NLM_F_ACK_TLVS:
                        # error, then the request's header (capped)
                        tlv = attrs(part[4 + 16:])
                        text = tlv.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
                    return err, text, data
                if kind == NLMSG_DONE:
                    return 0, "", data
                data.append(attrs(part[4:]))

    def family(self, name):
        err, text, data = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                       attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err or not data:
            sys.exit("genl.py: family %s: %s %s" % (name, os.strerror(err), text))
        return struct.unpack("=H", data[0][CTRL_ATTR_FAMILY_ID][:2])[0]


def encode(key, value):
    if key == "ifindex":
        return attr(A_IFINDEX, struct.pack("=I", int(value)))
    if key == "ifname":
        return attr(A_IFNAME, value.encode() + b"\0")
    if key == "ipv4":
        return attr(A_MAP_IPV4, ipaddress.IPv4Address(value).packed)
    if key == "ipv6":
        return attr(A_MAP_IPV6, ipaddress.IPv6Address(value).packed)
    if key == "prefix":
        return attr(A_PREFIX, ipaddress.IPv6Address(value).packed)
    if key == "prefix_len":
        return attr(A_PREFIX_LEN, struct.pack("=B", int(value)))
    sys.exit("genl.py: unknown attribute " + key)


def main():
    requests, words = [], []
    for word in sys.argv[1:] + ["--"]:
        if word != "--":
            words.append(word)
            continue
        if not words or words[0] not in CMDS:
            sys.exit(__doc__)
        requests.append((CMDS[words[0]], b"".join(encode(*a.split("=", 1)) for a in words[1:])))
        words = []
    nl = Genl()
    family = nl.family("map646")
    for cmd, payload in requests:
        err, text, _ = nl.request(family, cmd, payload)
        print("errno=%s msg=%s" % (errno.errorcode.get(err, err) if err else 0, text))


if __name__ == "__main__":
    main()
