# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink for the python selftests: build requests, read every
message of the answer as bytes, parse attributes, and check that the
kernel's bytes outside the values (padding, reserved fields) are zero.
Command and attribute numbers come from uapi/linux/map646.h.
"""
import os
import re
import socket
import struct

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# linux/netlink.h, linux/genetlink.h
NETLINK_GENERIC = 16
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 1, 10, 11
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP_INTR = 0x1, 0x2, 0x4, 0x10
NLM_F_DUMP, NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x300, 0x100, 0x200
NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK = 0x8000, 0x4000, 0x3FFF
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLMSGERR_ATTR_POLICY, NLMSGERR_ATTR_MISS_NEST = 4, 6
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLHDR, GENLHDR = 16, 4


def enum(name):
    """Members of enum NAME of the uapi header, in order (= their values)."""
    with open(os.path.join(TOP, "uapi/linux/map646.h")) as f:
        body = re.search(r"enum %s \{(.*?)\};" % name, f.read(), re.S).group(1)
    return {m: i for i, m in enumerate(re.findall(r"^\s*(\w+),", body, re.M))}


CMD, A = enum("map646_cmd"), enum("map646_attr")


def align(n):
    return (n + 3) & ~3


def attr(kind, payload):
    """One attribute, padded with zeros."""
    return struct.pack("=HH", 4 + len(payload), kind) + payload + b"\0" * (-len(payload) % 4)


def attrs(buf):
    """Attributes of BUF: {type: payload}, the last of a type wins."""
    out = {}
    while len(buf) >= 4:
        length, kind = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        out[kind & NLA_TYPE_MASK] = buf[4:length]
        buf = buf[align(length):]
    return out


def attr_list(buf):
    """Attributes of BUF in order: [(type with flags, payload)]."""
    out = []
    while len(buf) >= 4:
        length, kind = struct.unpack_from("=HH", buf)
        if length < 4:
            break
        out.append((kind, buf[4:length]))
        buf = buf[align(length):]
    return out


def _tlv_start(kind):
    """Where the extended-ack attributes of an NLMSG_ERROR (after the
    errno and the request's capped header) or NLMSG_DONE (after the
    errno) begin."""
    return NLHDR + 4 + (NLHDR if kind == NLMSG_ERROR else 0)


class Error:
    """The NLMSG_ERROR that ends an answer: errno (0: success), extended
    ack message and offset (-1 if none)."""

    def __init__(self, msg):
        length, kind, flags = struct.unpack_from("=IHH", msg)
        self.errno = -struct.unpack_from("=i", msg, NLHDR)[0] if length >= NLHDR + 4 else 0
        tlv = {}
        if flags & NLM_F_ACK_TLVS:
            tlv = attrs(msg[_tlv_start(kind):length])
        self.text = tlv.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode(errors="replace")
        offs = tlv.get(NLMSGERR_ATTR_OFFS)
        self.offset = struct.unpack("=I", offs)[0] if offs else -1


class Genl:
    """A generic netlink socket with extended acks and capped acks."""

    def __init__(self, portid=0):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sk.bind((portid, 0))
        self.portid = self.sk.getsockname()[0]
        self.seq = 0

    def close(self):
        self.sk.close()

    def message(self, family, cmd, payload, flags=NLM_F_REQUEST | NLM_F_ACK, version=1):
        """A request (header + genl header + PAYLOAD) with the next sequence number."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        return struct.pack("=IHHII", NLHDR + len(body), family, flags, self.seq, 0) + body

    def recv(self, size=1 << 20):
        """The messages of one read, each as bytes (alignment padding included)."""
        buf, out = self.sk.recv(size), []
        while len(buf) >= NLHDR:
            length = struct.unpack_from("=I", buf)[0]
            if length < NLHDR:
                break
            out.append(buf[:align(length)])
            buf = buf[align(length):]
        return out

    def exchange(self, raw):
        """Send RAW; return (Error, [data messages]) of its answer: everything
        up to its NLMSG_ERROR, or its NLMSG_DONE (Error is then errno 0)."""
        seq = struct.unpack_from("=I", raw, 8)[0]
        self.sk.send(raw)
        data = []
        while True:
            for msg in self.recv():
                _, kind, _, mseq = struct.unpack_from("=IHHI", msg)
                if mseq != seq:
                    continue
                if kind == NLMSG_ERROR:
                    return Error(msg), data
                if kind == NLMSG_DONE:	# a dump's error comes in it
                    return Error(msg), data
                data.append(msg)

    def request(self, family, cmd, payload, flags=NLM_F_REQUEST | NLM_F_ACK):
        """Send one request; return (Error, [attributes of each data message])."""
        err, data = self.exchange(self.message(family, cmd, payload, flags))
        return err, [attrs(m[NLHDR + GENLHDR:struct.unpack_from("=I", m)[0]]) for m in data]

    def family(self, name):
        """Generic netlink id of family NAME and {multicast group: id}."""
        err, data = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                 attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err.errno or not data:
            raise OSError(err.errno, "family %s: %s" % (name, err.text))
        groups = {}
        for _, grp in attr_list(data[0].get(CTRL_ATTR_MCAST_GROUPS, b"")):
            g = attrs(grp)
            groups[g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()] = \
                struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
        return struct.unpack("=H", data[0][CTRL_ATTR_FAMILY_ID][:2])[0], groups

    def join(self, group):
        self.sk.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)


# the nests of map646 replies (counters inside, no deeper nest)
NESTS = {A["MAP646_A_STATS"], A["MAP646_A_MAP_STATS"]}


def _attr_bytes(buf, where, nests, problems):
    """Check an attribute stream: lengths fill it exactly, padding is zero."""
    off = 0
    while off < len(buf):
        if off + 4 > len(buf):
            problems.append("%s: %d stray bytes at the end" % (where, len(buf) - off))
            return
        length, kind = struct.unpack_from("=HH", buf, off)
        end = off + align(length)
        if length < 4 or end > len(buf):
            problems.append("%s: attribute type %d length %d at %d overruns %d bytes"
                            % (where, kind, length, off, len(buf)))
            return
        pad = buf[off + length:end]
        if pad.strip(b"\0"):
            problems.append("%s: attribute type %d: padding %s not zero" % (where, kind, pad.hex()))
        t = kind & NLA_TYPE_MASK
        if t in nests:
            _attr_bytes(buf[off + 4:off + length], "%s/%d" % (where, t), set(), problems)
        off = end


def pad_errors(msg, family):
    """What is wrong with the bytes of one reply message MSG (as recv()
    returns it): non-zero alignment padding or reserved fields, lengths that
    do not add up. Attributes of the map646 family are checked inside
    their nests; an NLMSG_ERROR's extended-ack attributes likewise."""
    problems = []
    length, kind, flags = struct.unpack_from("=IHH", msg)
    tail = msg[length:]
    if tail.strip(b"\0"):
        problems.append("message padding %s not zero" % tail.hex())
    if kind in (NLMSG_ERROR, NLMSG_DONE):
        if kind == NLMSG_ERROR and length > NLHDR + 4 + NLHDR and not flags & NLM_F_CAPPED:
            problems.append("ack not capped")
        if flags & NLM_F_ACK_TLVS:
            _attr_bytes(msg[_tlv_start(kind):length], "ack", set(), problems)
        elif length > _tlv_start(kind):
            problems.append("ack of %d bytes without attributes" % length)
        return problems
    if kind != family:
        problems.append("message type %d, expected %d" % (kind, family))
        return problems
    if length < NLHDR + GENLHDR:
        problems.append("message of %d bytes" % length)
        return problems
    _, version, reserved = struct.unpack_from("=BBH", msg, NLHDR)
    if reserved:
        problems.append("genl header reserved field %#x" % reserved)
    if version != 1:
        problems.append("genl header version %d" % version)
    _attr_bytes(msg[NLHDR + GENLHDR:length], "genl", NESTS, problems)
    return problems
