#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink checks of the map646 table-replace protocol, for
map646_ops_replace.sh: refusals name the attribute, a refused batch adds
nothing, a staged table dies with its socket. Prints one "CASE NAME 0|1
DETAIL" line per check. Command and attribute numbers come from
uapi/linux/map646.h, so this follows the header.

usage: ops_genl.py DEV
"""
import errno
import ipaddress
import os
import re
import socket
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLA_F_NESTED = 0x8000


def enum(name):
    """Members of enum NAME of the uapi header, in order (= their values)."""
    text = open(os.path.join(TOP, "uapi/linux/map646.h")).read()
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    return {m: i for i, m in enumerate(re.findall(r"^\s*(\w+),", body, re.M))}


CMD, A = enum("map646_cmd"), enum("map646_attr")


def attr(t, payload):
    a = struct.pack("=HH", 4 + len(payload), t) + payload
    return a + b"\0" * (-len(a) % 4)


def entry(v4, v6):
    return attr(A["MAP646_A_MAP"] | NLA_F_NESTED,
                attr(A["MAP646_A_MAP_IPV4"], ipaddress.IPv4Address(v4).packed) +
                attr(A["MAP646_A_MAP_IPV6"], ipaddress.IPv6Address(v6).packed))


class Genl:
    def __init__(self, portid=0):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((portid, 0))
        self.portid = self.s.getsockname()[0]
        self.seq = 0
        err, _, _, reply = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                        attr(CTRL_ATTR_FAMILY_NAME, b"map646\0"))
        self.family = struct.unpack("=H", reply[CTRL_ATTR_FAMILY_ID][:2])[0]

    def request(self, family, cmd, attrs):
        """Send; return (errno, extack message, extack offset, last reply attrs)."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + attrs
        self.s.send(struct.pack("=LHHLL", 16 + len(body), family,
                                NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body)
        reply = {}
        while True:
            data = self.s.recv(65536)
            off = 0
            while off < len(data):
                ln, typ = struct.unpack_from("=LH", data, off)
                msg = data[off:off + ln]
                off += (ln + 3) & ~3
                if typ == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", msg, 16)[0]
                    tlv, text, offs = 16 + 4 + 16, "", -1
                    while tlv + 4 <= len(msg):
                        alen, atyp = struct.unpack_from("=HH", msg, tlv)
                        val = msg[tlv + 4:tlv + alen]
                        if atyp == NLMSGERR_ATTR_MSG:
                            text = val.rstrip(b"\0").decode()
                        elif atyp == NLMSGERR_ATTR_OFFS:
                            offs = struct.unpack("=I", val)[0]
                        tlv += (alen + 3) & ~3
                    return err, text, offs, reply
                a = 16 + 4
                while a + 4 <= len(msg):
                    alen, atyp = struct.unpack_from("=HH", msg, a)
                    reply[atyp] = msg[a + 4:a + alen]
                    a += (alen + 3) & ~3

    def cmd(self, name, attrs=b""):
        return self.request(self.family, CMD[name],
                            attr(A["MAP646_A_IFNAME"], DEV.encode() + b"\0") + attrs)


def case(name, ok, detail=""):
    print("CASE %s %d %s" % (name, 0 if ok else 1, detail), flush=True)


DEV = sys.argv[1]
HDR = 16 + 4 + 4 + len(DEV) + 1 + (-(4 + len(DEV) + 1) % 4)	# nlmsg+genl+IFNAME

a = Genl(0x4d363436)
err, msg, _, _ = a.cmd("MAP646_CMD_REPLACE_COMMIT")
case("commit-without-begin", err == errno.ENOENT and "no table replace" in msg,
     "%s: %s" % (errno.errorcode.get(err, err), msg))

err, _, _, _ = a.cmd("MAP646_CMD_REPLACE_BEGIN")
case("begin", err == 0, errno.errorcode.get(err, ""))

# the second entry of the batch is refused: the offset points into it
e1, e2 = entry("192.0.2.20", "2001:db8:1::20"), entry("224.0.0.1", "2001:db8:1::21")
err, msg, offs, _ = a.cmd("MAP646_CMD_REPLACE_ADD", attr(A["MAP646_A_MAPS"] | NLA_F_NESTED, e1 + e2))
start2 = HDR + 4 + len(e1)
case("refusal-names-attribute",
     err == errno.EINVAL and "MAP646_A_MAP_IPV4" in msg and start2 <= offs < start2 + len(e2),
     "%s: %s at offset %d (entry at %d)" % (errno.errorcode.get(err, err), msg, offs, start2))

err, msg, _, _ = a.cmd("MAP646_CMD_REPLACE_ADD", attr(A["MAP646_A_MAPS"] | NLA_F_NESTED,
                       e1 + entry("192.0.2.20", "2001:db8:1::22")))
case("duplicate-in-batch-refused", err == errno.EEXIST and "already mapped" in msg,
     "%s: %s" % (errno.errorcode.get(err, err), msg))

# nothing of the refused batches was staged: e1 goes in now
err, msg, _, _ = a.cmd("MAP646_CMD_REPLACE_ADD", attr(A["MAP646_A_MAPS"] | NLA_F_NESTED, e1))
case("refused-batches-added-nothing", err == 0, msg)

# a socket that closes midway takes its staged table with it: a new
# socket with the same port id finds nothing to commit
a.s.close()
b = Genl(0x4d363436)
err, msg, _, _ = b.cmd("MAP646_CMD_REPLACE_COMMIT")
case("stage-freed-on-close", err == errno.ENOENT, "%s: %s" % (errno.errorcode.get(err, err), msg))

# a refused batch on the live table changes nothing
err, msg, _, _ = b.cmd("MAP646_CMD_MAP_ADD", attr(A["MAP646_A_MAPS"] | NLA_F_NESTED,
                       entry("192.0.2.21", "2001:db8:1::21") +
                       entry("192.0.2.10", "2001:db8:1::99")))
case("live-batch-refused", err == errno.EEXIST, "%s: %s" % (errno.errorcode.get(err, err), msg))
