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
import struct
import sys

import nlmsg
from nlmsg import A, CMD, attr

CMDS = {c: CMD["MAP646_CMD_" + c.upper()] for c in
        ("map_add", "map_del", "map_get", "map_flush", "config_set", "config_get", "stats_get")}
A_IFINDEX, A_IFNAME, A_MAP_IPV4, A_MAP_IPV6, A_PREFIX, A_PREFIX_LEN = (
    A["MAP646_A_IFINDEX"], A["MAP646_A_IFNAME"], A["MAP646_A_MAP_IPV4"],
    A["MAP646_A_MAP_IPV6"], A["MAP646_A_PREFIX"], A["MAP646_A_PREFIX_LEN"])


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
    nl = nlmsg.Genl()
    family, _ = nl.family("map646")
    for cmd, payload in requests:
        err, _ = nl.request(family, cmd, payload)
        print("errno=%s msg=%s" % (errno.errorcode.get(err.errno, err.errno) if err.errno else 0,
                                   err.text))


if __name__ == "__main__":
    main()
