#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Every kind of message the map646 family sends, checked byte by byte
(nlmsg.pad_errors: padding, the genetlink header's reserved field, lengths
that add up), for map646_nlreply.sh. Run after traffic crossed DEV's
mapping, so that its dump carries every per-mapping counter. Changes DEV's
table and puts it back.

usage: nlreply.py DEV
Prints one "CASE NAME 0|1 DETAIL" line per kind of message.
"""
import errno
import struct
import sys

import nlmsg
from nlmsg import A, CMD, NLHDR, GENLHDR, attr, attrs

DEV = sys.argv[1]
s, mon = nlmsg.Genl(), nlmsg.Genl()
for sk in (s, mon):
    sk.sk.settimeout(30)
family, groups = s.family("map646")
mon.join(groups["table"])
dev = attr(A["MAP646_A_IFNAME"], DEV.encode() + b"\0")
REQ = nlmsg.NLM_F_REQUEST | nlmsg.NLM_F_ACK


def case(name, ok, detail=""):
    print("CASE %s %d %s" % (name, 0 if ok else 1, detail), flush=True)


def send(cmd, payload=b"", flags=REQ):
    """Send; return (Error, data messages, every message's byte problems)."""
    raw = s.message(family, CMD[cmd], dev + payload, flags)
    seq = struct.unpack_from("=I", raw, 8)[0]
    s.sk.send(raw)
    msgs, problems = [], []
    while not msgs or struct.unpack_from("=H", msgs[-1], 4)[0] not in (nlmsg.NLMSG_ERROR,
                                                                      nlmsg.NLMSG_DONE):
        msgs += [m for m in s.recv() if struct.unpack_from("=I", m, 8)[0] == seq]
    for m in msgs:
        problems += nlmsg.pad_errors(m, family)
    return nlmsg.Error(msgs[-1]), msgs[:-1], problems


def check(name, cmd, payload=b"", flags=REQ, want=0):
    err, data, problems = send(cmd, payload, flags)
    case(name, err.errno == want and not problems,
         "errno %d (want %d) %r, %d messages: %s" % (err.errno, want, err.text, len(data) + 1,
                                                     "; ".join(problems[:3]) or "bytes clean"))
    return data


def pair(v4, v6):
    return attr(A["MAP646_A_MAP_IPV4"], bytes(v4)) + attr(A["MAP646_A_MAP_IPV6"], bytes(v6))


V6 = bytes.fromhex("20010db8000100000000000000000099")
check("config-get", "MAP646_CMD_CONFIG_GET")
check("stats-get", "MAP646_CMD_STATS_GET")
data = check("dump", "MAP646_CMD_MAP_GET", flags=REQ | nlmsg.NLM_F_DUMP)
stats = [attrs(attrs(m[NLHDR + GENLHDR:])[A["MAP646_A_MAP_STATS"]]) for m in data]
counters = len(nlmsg.enum("map646_map_stat")) - 2	# not _UNSPEC, _PAD
full = [x for x in stats if len([t for t in x if t > 1]) == counters]
case("dump-has-every-counter", full, "%d of %d mappings with all counters" % (len(full), len(stats)))

check("ack-success", "MAP646_CMD_MAP_ADD", pair([192, 0, 2, 99], V6))
check("ack-refused-extack", "MAP646_CMD_MAP_ADD", pair([192, 0, 2, 99], V6), want=errno.EEXIST)
check("ack-policy-extack", "MAP646_CMD_CONFIG_SET",
      attr(A["MAP646_A_LOWEST_MTU"], struct.pack("=H", 1000)), want=errno.ERANGE)
check("ack-del", "MAP646_CMD_MAP_DEL", attr(A["MAP646_A_MAP_IPV4"], bytes([192, 0, 2, 99])))


def batch(entry):
    return attr(A["MAP646_A_MAPS"] | nlmsg.NLA_F_NESTED,
                attr(A["MAP646_A_MAP"] | nlmsg.NLA_F_NESTED, entry))


check("ack-batch", "MAP646_CMD_MAP_ADD", batch(pair([192, 0, 2, 98], V6)))
check("ack-batch-del", "MAP646_CMD_MAP_DEL",
      batch(attr(A["MAP646_A_MAP_IPV4"], bytes([192, 0, 2, 98]))))

# a settings change (to the value it has): announced with every setting
check("ack-config-set", "MAP646_CMD_CONFIG_SET",
      attr(A["MAP646_A_LOWEST_MTU"], struct.pack("=H", 1280)))

# the notifications of those five changes
notes, problems = [], []
while len(notes) < 5:
    for m in mon.recv():
        notes.append(struct.unpack_from("=B", m, NLHDR)[0])
        problems += nlmsg.pad_errors(m, family)
case("notifications", notes == [CMD["MAP646_CMD_MAP_ADD"], CMD["MAP646_CMD_MAP_DEL"]] * 2
     + [CMD["MAP646_CMD_CONFIG_SET"]]
     and not problems, "commands %s: %s" % (notes, "; ".join(problems[:3]) or "bytes clean"))
