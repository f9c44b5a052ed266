#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz the map646 generic netlink family, for map646_nlfuzz.sh.

Sends ITERATIONS requests built from a seeded random generator: every
command of the family and unknown ones, sane requests, random attribute
sets with boundary values, wrong types and lengths, unknown attributes,
nested garbage, broken genetlink headers. After each request it reads the
tables and settings of both devices back and compares them with a model:
a refused request must change nothing, an accepted one exactly what it
asked for. Then it fills DEV with DUMP_SIZE mappings and interrupts dumps
midway: sockets closed after the first part, and a dump during which the
table changes (it must end flagged NLM_F_DUMP_INTR).

Checks on every answer: success or an errno; a refusal that reached the
family (policy or handler) carries an extended-ack message; the reply's
padding and reserved bytes are zero (nlmsg.pad_errors).

usage: nlfuzz.py DEV DEV2 OTHER SEED ITERATIONS DUMP_SIZE
  DEV, DEV2: map646 devices of this namespace (changed freely)
  OTHER: a device of another type
Prints "# " diagnostics and one "CASE NAME 0|1 DETAIL" line per check.
"""
import errno
import random
import socket
import struct
import sys
from collections import Counter

import nlmsg
from nlmsg import A, CMD, NLHDR, GENLHDR, attr, attrs, attr_list

REQ = nlmsg.NLM_F_REQUEST | nlmsg.NLM_F_ACK
SETTINGS = {"MAP646_A_LOWEST_MTU": "=H", "MAP646_A_UDP_ZERO_CSUM": "=B",
            "MAP646_A_TOS_COPY": "=B", "MAP646_A_ICMP_REPLY": "=B",
            "MAP646_A_PATH": "=B"}
# a new device's settings (and what a replace of the settings starts from)
DEFAULTS = {"MAP646_A_LOWEST_MTU": struct.pack("=H", 1280), "MAP646_A_UDP_ZERO_CSUM": b"\0",
            "MAP646_A_TOS_COPY": b"\1", "MAP646_A_ICMP_REPLY": b"\1",
            "MAP646_A_PATH": b"\0", "prefix": None, "pool4": None}
DUMP_CMDS = {CMD["MAP646_CMD_MAP_GET"], CMD["MAP646_CMD_MAP66_GET"]}
SHOWN = 5	# diagnostics printed per kind of failure


class Unexplained(Exception):
    """The kernel accepted a request the model says it must refuse."""


def u32(b):
    return struct.unpack("=I", b[:4])[0]


class Values:
    """Attribute payloads: good ones, boundary values, garbage."""

    def __init__(self, r, devs, other):
        self.r, self.devs, self.other = r, devs, other

    def v4(self):
        r = self.r
        return r.choice([
            bytes([192, 0, 2, r.randrange(16)]), bytes([198, 51, 100, r.randrange(16)]),
            bytes([192, 0, 2, r.randrange(16)]), bytes([0, 0, 0, 0]), bytes([127, 0, 0, 1]),
            bytes([224, 0, 0, 1]), bytes([255] * 4), bytes([10, 0, 0, 0]),
            r.randbytes(4)])

    def v6(self):
        r = self.r
        base = bytes.fromhex("20010db8000100000000000000000000")
        return r.choice([
            base[:15] + bytes([r.randrange(16)]), base[:15] + bytes([r.randrange(16)]),
            bytes(16), bytes(15) + b"\1", b"\xff\x02" + bytes(13) + b"\1",
            bytes(10) + b"\xff\xff" + bytes([192, 0, 2, 1]), r.randbytes(16)])

    def prefix(self):
        """(address, length): usable, with host bits, with bits 64-71, odd lengths"""
        r = self.r
        n = r.choice([32, 40, 48, 56, 64, 96, 0, 0, 1, 31, 33, 95, 97, 128, 129, 255])
        addr = bytearray(bytes.fromhex("0064ff9b") + r.randbytes(12))
        for i in range(max(0, min(n, 128)) // 8, 16):
            addr[i] = 0
        roll = r.random()
        if roll < 0.15:
            addr[r.randrange(16)] |= 1 << r.randrange(8)
        elif roll < 0.25:
            addr[8] = r.randrange(1, 256)
        elif roll < 0.35 or n == 0:
            addr = bytearray(16)
        return bytes(addr), n

    def pool(self):
        r = self.r
        n = r.choice([0, 0, 1, 24, 30, 31, 32, 32, 33, 255])
        addr = r.randbytes(4)
        if r.random() < 0.7:
            mask = (0xFFFFFFFF << (32 - min(n, 32))) & 0xFFFFFFFF if n else 0
            addr = struct.pack("!I", struct.unpack("!I", addr)[0] & mask)
        return addr, n

    def u8(self):
        return self.r.choice([0, 1, 1, 0, 2, 127, 128, 255])

    def u16(self):
        return self.r.choice([0, 1, 576, 1279, 1280, 1281, 1500, 9000, 65535])

    def u32(self):
        return self.r.choice([0, 1, 2, 1000, 1 << 20, (1 << 20) + 1, 0x7FFFFFFF, 0xFFFFFFFF])

    def device(self):
        """Attributes naming a device: mostly one of ours, sometimes not."""
        r = self.r
        name, index = r.choice(self.devs)
        roll = r.random()
        if roll < 0.4:
            return attr(A["MAP646_A_IFINDEX"], struct.pack("=I", index))
        if roll < 0.75:
            return attr(A["MAP646_A_IFNAME"], name.encode() + b"\0")
        if roll < 0.85:
            return (attr(A["MAP646_A_IFINDEX"], struct.pack("=I", index)) +
                    attr(A["MAP646_A_IFNAME"], name.encode() + b"\0"))
        oname, oindex = self.other
        return r.choice([
            b"",
            attr(A["MAP646_A_IFINDEX"], struct.pack("=I", oindex)),
            attr(A["MAP646_A_IFNAME"], oname.encode() + b"\0"),
            attr(A["MAP646_A_IFINDEX"], struct.pack("=I", r.choice([0, 0xFFFFFFFF, 9999]))),
            attr(A["MAP646_A_IFNAME"], r.choice([b"", b"nosuchdev", b"x" * 15, b"x" * 16,
                                                 b"x" * 40]) + b"\0"),
            attr(A["MAP646_A_IFNAME"], name.encode()),	# no NUL
            attr(A["MAP646_A_IFINDEX"], struct.pack("=I", index)) +
            attr(A["MAP646_A_IFNAME"], r.choice(self.devs + [self.other])[0].encode() + b"\0"),
            attr(A["MAP646_A_IFINDEX"], b"\0\0\0\0") +
            attr(A["MAP646_A_IFNAME"], name.encode() + b"\0")])

    def entry(self, full=True):
        """One MAP646_A_MAP of a batch: both addresses, or one, or junk."""
        r = self.r
        roll = r.random()
        inner = []
        if full or roll < 0.5:
            inner = [attr(A["MAP646_A_MAP_IPV4"], self.v4()), attr(A["MAP646_A_MAP_IPV6"], self.v6())]
        else:
            inner = [r.choice([attr(A["MAP646_A_MAP_IPV4"], self.v4()),
                               attr(A["MAP646_A_MAP_IPV6"], self.v6())])]
        if r.random() < 0.1:
            inner.append(self.garbage())
        r.shuffle(inner)
        return attr(A["MAP646_A_MAP"] | nlmsg.NLA_F_NESTED, b"".join(inner))

    def batch(self, full=True):
        r = self.r
        n = r.choice([0, 1, 1, 2, 3, 5, 8, 20]) if r.random() < 0.98 else r.randrange(500, 1900)
        if n > 100:	# a large, valid batch of addresses outside the small pools
            base = r.randrange(1 << 16)
            ents = b"".join(
                attr(A["MAP646_A_MAP"] | nlmsg.NLA_F_NESTED,
                     attr(A["MAP646_A_MAP_IPV4"], bytes([100, 64]) + struct.pack("!H", (base + i) & 0xFFFF)) +
                     attr(A["MAP646_A_MAP_IPV6"], bytes.fromhex("20010db8000a") + bytes(8) +
                          struct.pack("!H", (base + i) & 0xFFFF)))
                for i in range(n))
        else:
            ents = b"".join(self.entry(full) for _ in range(n))
        return attr(A["MAP646_A_MAPS"] | nlmsg.NLA_F_NESTED, ents)

    def garbage(self):
        """An attribute of any type, flags and length, with random bytes."""
        r = self.r
        kind = r.choice([0, r.randrange(1, nlmsg_max() + 1), nlmsg_max() + 1,
                         r.randrange(nlmsg_max() + 2, 0x4000), 0x3FFF])
        kind |= r.choice([0, 0, nlmsg.NLA_F_NESTED, nlmsg.NLA_F_NET_BYTEORDER])
        return attr(kind, r.randbytes(r.choice([0, 1, 2, 3, 4, 5, 8, 15, 16, 17, 33])))

    def any_attr(self):
        """An attribute of a known type with a value of its own kind, or not."""
        r = self.r
        name = r.choice(list(A)[1:])
        t = A[name]
        if name in SETTINGS:
            v = self.u16() if SETTINGS[name] == "=H" else self.u8()
            return attr(t, struct.pack(SETTINGS[name], v))
        if name == "MAP646_A_MAP_IPV4" or name == "MAP646_A_POOL4":
            return attr(t, self.v4())
        if name == "MAP646_A_MAP_IPV6" or name == "MAP646_A_PREFIX":
            return attr(t, self.v6())
        if name in ("MAP646_A_PREFIX_LEN", "MAP646_A_POOL4_LEN"):
            return attr(t, struct.pack("=B", self.u8()))
        if name in ("MAP646_A_IFINDEX", "MAP646_A_MAP_COUNT"):
            return attr(t, struct.pack("=I", self.u32()))
        if name == "MAP646_A_MAPS":
            return self.batch(full=False)
        if name == "MAP646_A_MAP":
            return self.entry(full=False)
        if name == "MAP646_A_IFNAME":
            return self.device()
        if name == "MAP646_A_REPLACE_CONFIG" and r.random() < 0.5:
            return attr(t, b"")
        return attr(t | nlmsg.NLA_F_NESTED, self.garbage() if r.random() < 0.5 else b"")


def nlmsg_max():
    return len(A) - 1	# MAP646_A_MAX: A holds MAP646_A_UNSPEC..MAP646_A_MAX


class Fuzzer:
    def __init__(self, devs, other, seed):
        self.r = random.Random(seed)
        self.devs, self.other = devs, other
        self.val = Values(self.r, devs, other)
        self.obs = nlmsg.Genl()
        self.family, _ = self.obs.family("map646")
        self.socks = [nlmsg.Genl(), nlmsg.Genl()]
        for s in [self.obs] + self.socks:
            s.sk.settimeout(60)
        self.by_index = {i: n for n, i in devs}
        self.by_name = {n: i for n, i in devs}
        self.stages = {}	# socket slot -> (ifindex, {v4: v6}, staged settings or None)
        self.state = {i: self.observe(i) for _, i in devs}
        self.failures = Counter()
        self.stats = Counter()

    def fail(self, kind, text):
        self.failures[kind] += 1
        if self.failures[kind] <= SHOWN:
            print("# %s: %s" % (kind, text), flush=True)

    def answer(self, sock, raw):
        """Send RAW on SOCK; check the bytes of every message of the answer."""
        err, data = sock.exchange(raw)
        for m in data:
            for p in nlmsg.pad_errors(m, self.family):
                self.fail("reply-bytes", "%s (request %s)" % (p, raw.hex()))
        return err, data

    def observe(self, index):
        """(table {v4: v6}, settings) of a device as the kernel reports them."""
        dev = attr(A["MAP646_A_IFINDEX"], struct.pack("=I", index))
        err, data = self.answer(self.obs, self.obs.message(
            self.family, CMD["MAP646_CMD_MAP_GET"], dev, REQ | nlmsg.NLM_F_DUMP))
        if err.errno:
            raise OSError(err.errno, "dump: " + err.text)
        table = {}
        for m in data:
            a = attrs(m[NLHDR + GENLHDR:u32(m)])
            table[a[A["MAP646_A_MAP_IPV4"]]] = a[A["MAP646_A_MAP_IPV6"]]
        raw = self.obs.message(self.family, CMD["MAP646_CMD_CONFIG_GET"], dev)
        err, data = self.answer(self.obs, raw)
        if err.errno or len(data) != 1:
            raise OSError(err.errno, "config get: " + err.text)
        a = attrs(data[0][NLHDR + GENLHDR:u32(data[0])])
        cfg = {k: a[A[k]] for k in SETTINGS}
        cfg["prefix"] = (a[A["MAP646_A_PREFIX"]], a[A["MAP646_A_PREFIX_LEN"]]) \
            if A["MAP646_A_PREFIX"] in a else None
        cfg["pool4"] = (a[A["MAP646_A_POOL4"]], a[A["MAP646_A_POOL4_LEN"]]) \
            if A["MAP646_A_POOL4"] in a else None
        if u32(a[A["MAP646_A_MAP_COUNT"]]) != len(table):
            self.fail("state", "MAP_COUNT %d, dump %d" % (u32(a[A["MAP646_A_MAP_COUNT"]]), len(table)))
        return table, cfg

    # ------------------------------------------------------------ requests

    def build(self):
        """(socket slot, cmd, flags, raw genl body after the 4-byte header,
        header override or None, refused by the genetlink core?)"""
        r, v = self.r, self.val
        cmd = r.randrange(1, len(CMD))
        name = [k for k, n in CMD.items() if n == cmd][0]
        flags = REQ | (nlmsg.NLM_F_DUMP if cmd in DUMP_CMDS else 0)
        slot = r.randrange(2)
        parts = [v.device()]
        if name == "MAP646_CMD_REPLACE_ADD" and slot in self.stages and r.random() < 0.7:
            # mostly the device this socket staged a table for: else the
            # command is hardly ever accepted
            parts = [attr(A["MAP646_A_IFINDEX"], struct.pack("=I", self.stages[slot][0]))]
        mode = r.random()
        if mode < 0.55:		# what the command takes, now and then one too few or many
            parts += self.sane(name)
            if r.random() < 0.1 and len(parts) > 1:
                parts.pop(r.randrange(len(parts)))
            if r.random() < 0.1:
                parts.append(v.any_attr())
        else:			# a random set of known attributes
            parts += [v.any_attr() for _ in range(r.randrange(6))]
        r.shuffle(parts)
        payload = b"".join(parts)
        core = False
        header = None
        if mode > 0.85:		# mangled bytes
            payload, header, flags, cmd, core = self.mangle(payload, flags, cmd)
        return slot, cmd, flags, payload, header, core

    def sane(self, name):
        r, v = self.r, self.val
        if name in ("MAP646_CMD_MAP_ADD", "MAP646_CMD_MAP_DEL"):
            if r.random() < 0.35:
                return [v.batch(full=name == "MAP646_CMD_MAP_ADD")]
            v4, v6 = v.v4(), v.v6()
            mapped = [p for table, _ in self.state.values() for p in table.items()]
            if mapped and r.random() < 0.5:	# addresses of a mapping: delete it, or collide
                m4, m6 = r.choice(mapped)
                v4, v6 = r.choice([(m4, m6), (m4, v6), (v4, m6)])
            if name == "MAP646_CMD_MAP_DEL" and r.random() < 0.8:
                return [r.choice([attr(A["MAP646_A_MAP_IPV4"], v4), attr(A["MAP646_A_MAP_IPV6"], v6)])]
            return [attr(A["MAP646_A_MAP_IPV4"], v4), attr(A["MAP646_A_MAP_IPV6"], v6)]
        if name in ("MAP646_CMD_MAP66_ADD", "MAP646_CMD_MAP66_DEL"):
            # small pools of their own, so that deletions find additions
            g = attr(A["MAP646_A_MAP66_GLOBAL"],
                     bytes.fromhex("20010db800ff") + bytes(9) + bytes([r.randrange(8)]))
            i = attr(A["MAP646_A_MAP66_INTERNAL"],
                     bytes.fromhex("fd00") + bytes(13) + bytes([r.randrange(8)]))
            if name == "MAP646_CMD_MAP66_DEL":
                return [r.choice([g, i])]
            return [g, i]
        if name == "MAP646_CMD_REPLACE_ADD":
            return [v.batch(full=r.random() < 0.5)]
        out = []
        if name == "MAP646_CMD_REPLACE_BEGIN":
            if r.random() < 0.5:
                out.append(attr(A["MAP646_A_MAP_COUNT"], struct.pack("=I", v.u32())))
            if r.random() < 0.5:	# the settings too: those given, defaults for the rest
                out.append(attr(A["MAP646_A_REPLACE_CONFIG"], b""))
            else:
                return out
        elif name != "MAP646_CMD_CONFIG_SET":
            return []
        for k, fmt in SETTINGS.items():
            if r.random() < 0.3:
                out.append(attr(A[k], struct.pack(fmt, v.u16() if fmt == "=H" else v.u8())))
        if r.random() < 0.4:
            p, n = v.prefix()
            out += [attr(A["MAP646_A_PREFIX"], p), attr(A["MAP646_A_PREFIX_LEN"], bytes([n]))]
        if r.random() < 0.3:
            p, n = v.pool()
            out += [attr(A["MAP646_A_POOL4"], p), attr(A["MAP646_A_POOL4_LEN"], bytes([n]))]
        return out

    def mangle(self, payload, flags, cmd):
        """Low-level damage: lengths, flags, unknown attributes, headers."""
        r, v = self.r, self.val
        header, core, odd_header, flipped = None, False, None, False
        for _ in range(r.randrange(1, 4)):
            roll = r.random()
            if roll < 0.2 and len(payload) >= 4:	# an attribute length field
                off = r.choice([o for o in range(0, len(payload) - 3, 4)])
                payload = payload[:off] + struct.pack("=H", r.choice(
                    [0, 1, 3, 4, 5, 7, 8, 0xFFFF, r.randrange(0x10000)])) + payload[off + 2:]
            elif roll < 0.4:
                payload += v.garbage()
            elif roll < 0.5:
                payload = payload[:r.randrange(len(payload) + 1)]
            elif roll < 0.6:
                payload += r.randbytes(r.randrange(1, 4))
            elif roll < 0.7 and payload:
                i = r.randrange(len(payload))
                payload = payload[:i] + bytes([payload[i] ^ (1 << r.randrange(8))]) + payload[i + 1:]
            elif roll < 0.8:
                odd_header = r.choice([0, 2, 255]), r.choice([0, 1, 0xFFFF])
            elif roll < 0.87:		# a genetlink header cut short: nothing may follow it
                return b"", b"\0" * r.randrange(4), flags, cmd, True
            elif roll < 0.94:		# a command the family does not have
                cmd, core = r.choice([0, len(CMD), len(CMD) + 1, 100, 255]), True
            else:			# dump flag on a do command or the reverse
                flags ^= nlmsg.NLM_F_DUMP
                flipped = not flipped
        # flipped twice is the request it was; MAP_GET has both a dump and a do
        core = core or (flipped and cmd not in DUMP_CMDS)
        if odd_header:	# packed last, so it names the command the model checks
            header = struct.pack("=BBH", cmd, *odd_header)
        return payload, header, flags, cmd, core

    def raw(self, sock, cmd, flags, payload, header):
        if header is None:
            return sock.message(self.family, cmd, payload, flags)
        sock.seq += 1
        body = header + payload
        return struct.pack("=IHHII", NLHDR + len(body), self.family, flags, sock.seq, 0) + body

    # --------------------------------------------------------------- model

    def device_of(self, a):
        """The ifindex an accepted request named."""
        index = u32(a[A["MAP646_A_IFINDEX"]]) if A["MAP646_A_IFINDEX"] in a else None
        name = a.get(A["MAP646_A_IFNAME"], b"").split(b"\0")[0].decode(errors="replace")
        if index == 0:
            raise Unexplained("ifindex 0")
        if index is not None:
            if index not in self.by_index or (A["MAP646_A_IFNAME"] in a and
                                              self.by_index[index] != name):
                raise Unexplained("device %d/%r" % (index, name))
            return index
        if name not in self.by_name:
            raise Unexplained("device %r" % name)
        return self.by_name[name]

    @staticmethod
    def entries(maps):
        """(v4, v6) of each MAP646_A_MAP of a batch, None where absent."""
        out = []
        for _, inner in attr_list(maps):
            e = attrs(inner)
            out.append((e.get(A["MAP646_A_MAP_IPV4"]), e.get(A["MAP646_A_MAP_IPV6"])))
        return out

    @staticmethod
    def add(table, pairs):
        table = dict(table)
        for v4, v6 in pairs:
            if v4 is None or v6 is None or v4 in table or v6 in table.values() or \
               not translatable(v4, v6):
                raise Unexplained("added %r %r" % (v4, v6))
            table[v4] = v6
        return table

    @staticmethod
    def delete(table, wanted, batch):
        table = dict(table)
        for v4, v6 in wanted:
            if (v4 is None) == (v6 is None):
                raise Unexplained("deleted by %r %r" % (v4, v6))
            key = v4 if v4 is not None else next((k for k, x in table.items() if x == v6), None)
            if key in table:
                del table[key]
            elif not batch:
                raise Unexplained("deleted absent %r %r" % (v4, v6))
        return table

    def predict(self, slot, cmd, payload):
        """The state of every device after CMD with PAYLOAD was accepted."""
        a = attrs(payload)
        name = [k for k, n in CMD.items() if n == cmd][0]
        index = self.device_of(a)
        state = dict(self.state)
        table, cfg = state[index]
        maps = a.get(A["MAP646_A_MAPS"])
        if name == "MAP646_CMD_MAP_ADD":
            pairs = self.entries(maps) if maps is not None else \
                [(a.get(A["MAP646_A_MAP_IPV4"]), a.get(A["MAP646_A_MAP_IPV6"]))]
            state[index] = self.add(table, pairs), cfg
        elif name == "MAP646_CMD_MAP_DEL":
            wanted = self.entries(maps) if maps is not None else \
                [(a.get(A["MAP646_A_MAP_IPV4"]), a.get(A["MAP646_A_MAP_IPV6"]))]
            state[index] = self.delete(table, wanted, maps is not None), cfg
        elif name == "MAP646_CMD_MAP_FLUSH":
            state[index] = {}, cfg
        elif name == "MAP646_CMD_CONFIG_SET":
            state[index] = table, self.settings(cfg, a)
        elif name == "MAP646_CMD_REPLACE_BEGIN":
            if A["MAP646_A_REPLACE_CONFIG"] in a:
                staged_cfg = self.settings(DEFAULTS, a)
            elif any(A[k] in a for k in list(SETTINGS) + ["MAP646_A_PREFIX", "MAP646_A_PREFIX_LEN",
                                                          "MAP646_A_POOL4", "MAP646_A_POOL4_LEN"]):
                raise Unexplained("settings without MAP646_A_REPLACE_CONFIG")
            else:
                staged_cfg = None
            self.stages[slot] = (index, {}, staged_cfg)
        elif name == "MAP646_CMD_REPLACE_ADD":
            if self.stages.get(slot, (None,))[0] != index or maps is None:
                raise Unexplained("replace add without a stage")
            _, staged, staged_cfg = self.stages[slot]
            self.stages[slot] = (index, self.add(staged, self.entries(maps)), staged_cfg)
        elif name in ("MAP646_CMD_REPLACE_COMMIT", "MAP646_CMD_REPLACE_ABORT"):
            if self.stages.get(slot, (None,))[0] != index:
                raise Unexplained("%s without a stage" % name)
            _, staged, staged_cfg = self.stages.pop(slot)
            if name == "MAP646_CMD_REPLACE_COMMIT":
                state[index] = staged, cfg if staged_cfg is None else staged_cfg
        return state

    @staticmethod
    def settings(cfg, a):
        """@cfg changed by the settings of request attributes @a."""
        cfg = dict(cfg)
        for k, fmt in SETTINGS.items():
            if A[k] in a:
                n = struct.unpack(fmt, a[A[k]])[0]
                if (fmt == "=H" and n < 1280) or (fmt == "=B" and n > 1):
                    raise Unexplained("%s %d" % (k, n))
                cfg[k] = a[A[k]]
        for key, addr, ln in (("prefix", "MAP646_A_PREFIX", "MAP646_A_PREFIX_LEN"),
                              ("pool4", "MAP646_A_POOL4", "MAP646_A_POOL4_LEN")):
            if (A[addr] in a) != (A[ln] in a):
                raise Unexplained("half of %s" % key)
            if A[addr] in a:
                if not valid_net(key, a[A[addr]], a[A[ln]][0]):
                    raise Unexplained("%s %s/%d" % (key, a[A[addr]].hex(), a[A[ln]][0]))
                cfg[key] = (a[A[addr]], a[A[ln]]) if a[A[ln]][0] else None
        return cfg

    # ---------------------------------------------------------------- runs

    def step(self, i):
        slot, cmd, flags, payload, header, core = self.build()
        sock = self.socks[slot]
        raw = self.raw(sock, cmd, flags, payload, header)
        err, data = self.answer(sock, raw)
        name = [k for k, n in CMD.items() if n == cmd]
        name = name[0][len("MAP646_CMD_"):].lower() if name else "cmd%d" % cmd
        self.stats["%s %s" % (name, errno.errorcode.get(err.errno, err.errno) if err.errno else "ok")] += 1
        where = "iteration %d: %s errno %d %r, request %s" % (i, name, err.errno, err.text,
                                                              raw.hex()[:400])
        if err.errno and not err.text and not core:
            self.fail("extack", where)
        if core and not err.errno:
            self.fail("answers", "accepted: " + where)
        after = {idx: self.observe(idx) for idx in self.state}
        if err.errno:
            want = self.state
        else:
            try:
                want = self.predict(slot, cmd, payload)
            except Unexplained as e:
                self.fail("state", "accepted, the model refuses (%s): %s" % (e, where))
                want = after
        if cmd == CMD["MAP646_CMD_MAP_GET"] and not err.errno:
            got = {}
            for m in data:
                at = attrs(m[NLHDR + GENLHDR:u32(m)])
                got[at[A["MAP646_A_MAP_IPV4"]]] = at[A["MAP646_A_MAP_IPV6"]]
            try:
                table = self.state[self.device_of(attrs(payload))][0]
                if flags & nlmsg.NLM_F_DUMP and got != table:
                    self.fail("state", "dump differs from the table: " + where)
                if not flags & nlmsg.NLM_F_DUMP and (len(got) != 1 or
                                                      not got.items() <= table.items()):
                    self.fail("state", "lookup answered %s: %s" % (got, where))
            except Unexplained as e:
                self.fail("state", "dump accepted, the model refuses (%s): %s" % (e, where))
        if after != want:
            for idx in after:
                if after[idx] != want[idx]:
                    self.fail("state", "device %d: expected %s, got %s after %s" % (
                        idx, describe(want[idx]), describe(after[idx]), where))
        self.state = after
        if self.r.random() < 0.02:	# a socket closes: its staged table goes
            self.socks[slot].close()
            self.socks[slot] = nlmsg.Genl(self.r.choice([0, sock.portid]))
            self.socks[slot].sk.settimeout(60)
            self.stages.pop(slot, None)

    def fill(self, index, n):
        """Replace DEV's table by N mappings, in batches."""
        s = nlmsg.Genl()
        dev = attr(A["MAP646_A_IFINDEX"], struct.pack("=I", index))
        table = {}
        err, _ = self.answer(s, s.message(self.family, CMD["MAP646_CMD_REPLACE_BEGIN"],
                                          dev + attr(A["MAP646_A_MAP_COUNT"], struct.pack("=I", n))))
        for lo in range(0, n, 1500):
            ents = []
            for k in range(lo, min(n, lo + 1500)):
                v4 = struct.pack("!I", 0x0A000000 + k)
                v6 = bytes.fromhex("20010db8000b") + bytes(6) + struct.pack("!I", k)
                table[v4] = v6
                ents.append(attr(A["MAP646_A_MAP"] | nlmsg.NLA_F_NESTED,
                                 attr(A["MAP646_A_MAP_IPV4"], v4) + attr(A["MAP646_A_MAP_IPV6"], v6)))
            e2, _ = self.answer(s, s.message(self.family, CMD["MAP646_CMD_REPLACE_ADD"],
                                             dev + attr(A["MAP646_A_MAPS"] | nlmsg.NLA_F_NESTED,
                                                        b"".join(ents))))
            err = err if err.errno else e2
        e3, _ = self.answer(s, s.message(self.family, CMD["MAP646_CMD_REPLACE_COMMIT"], dev))
        s.close()
        return (err.errno or e3.errno), table

    def dumps(self, index, n, closes):
        """Dumps of a large table: cut short by closing, and by a change."""
        err, table = self.fill(index, n)
        case("dump-fill", not err and self.observe(index)[0] == table,
             "%d mappings loaded (errno %d)" % (n, err))
        dev = attr(A["MAP646_A_IFINDEX"], struct.pack("=I", index))
        parts = 0
        for _ in range(closes):
            s = nlmsg.Genl()
            s.sk.settimeout(60)
            s.sk.send(s.message(self.family, CMD["MAP646_CMD_MAP_GET"], dev, REQ | nlmsg.NLM_F_DUMP))
            parts += len(s.recv(self.r.choice([4096, 16384, 1 << 20])))
            s.close()
        got = self.observe(index)[0]
        case("dump-closed-midway", got == table and parts > 0,
             "%d dumps closed after their first read (%d messages); a full dump then: %d of %d"
             % (closes, parts, len(got), len(table)))

        s, w = nlmsg.Genl(), nlmsg.Genl()
        s.sk.settimeout(60)
        req = s.message(self.family, CMD["MAP646_CMD_MAP_GET"], dev, REQ | nlmsg.NLM_F_DUMP)
        seq = struct.unpack_from("=I", req, 8)[0]
        s.sk.send(req)
        first = [m for m in s.recv() if struct.unpack_from("=I", m, 8)[0] == seq]
        extra = (b"\x64\x40\xff\xff", bytes.fromhex("20010db8000c") + bytes(9) + b"\1")
        e, _ = self.answer(w, w.message(self.family, CMD["MAP646_CMD_MAP_ADD"], dev +
                                         attr(A["MAP646_A_MAP_IPV4"], extra[0]) +
                                         attr(A["MAP646_A_MAP_IPV6"], extra[1])))
        rest, done = [], False
        while not done:
            for m in s.recv():
                kind, mflags = struct.unpack_from("=HH", m, 4)
                done = done or kind in (nlmsg.NLMSG_DONE, nlmsg.NLMSG_ERROR)
                rest.append((kind, mflags))
        intr = any(f & nlmsg.NLM_F_DUMP_INTR for _, f in rest)
        entries = len(first) + sum(1 for k, _ in rest if k == self.family)
        case("dump-changed-midway-flagged", not e.errno and intr and entries <= n,
             "first read %d messages, then %d; NLM_F_DUMP_INTR %s" % (len(first), len(rest), intr))
        s.close()
        w.close()
        table[extra[0]] = extra[1]
        got = self.observe(index)[0]
        case("dump-complete-after", got == table, "%d of %d mappings" % (len(got), len(table)))
        self.state[index] = got, self.state[index][1]


def translatable(v4, v6):
    """What MAP646_CMD_MAP_ADD accepts (uapi/linux/map646.h)."""
    return not (v4[0] in (0, 127) or 224 <= v4[0] < 240 or v4 == b"\xff" * 4 or
                v6 in (bytes(16), bytes(15) + b"\1") or v6[0] == 0xFF or
                v6[:12] == bytes(10) + b"\xff\xff")


def valid_net(key, addr, n):
    """A prefix (RFC 6052 lengths, bits 64-71 zero) or an RFC 6791 pool
    with no bits past its length; length 0 with a zero address: none."""
    if n == 0:
        return not any(addr)
    if key == "prefix" and (n not in (32, 40, 48, 56, 64, 96) or addr[8]):
        return False
    if n > len(addr) * 8:
        return False
    bits = int.from_bytes(addr, "big")
    return not bits & ((1 << (len(addr) * 8 - n)) - 1)


def describe(st):
    table, cfg = st
    return "%d mappings %s, settings %s" % (
        len(table), sorted((socket.inet_ntop(socket.AF_INET, k), socket.inet_ntop(socket.AF_INET6, v))
                           for k, v in table.items())[:4],
        {k.replace("MAP646_A_", "").lower(): (x.hex() if isinstance(x, bytes) else x) for k, x in cfg.items()})


def case(name, ok, detail=""):
    print("CASE %s %d %s" % (name, 0 if ok else 1, detail), flush=True)


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    dev, dev2, other, seed, iterations, dump_size = sys.argv[1:]
    index = {n: socket.if_nametoindex(n) for n in (dev, dev2, other)}
    f = Fuzzer([(dev, index[dev]), (dev2, index[dev2])], (other, index[other]), int(seed))
    print("# seed %s, %s iterations" % (seed, iterations), flush=True)
    names = {k[len("MAP646_CMD_"):].lower() for k in CMD if k != "MAP646_CMD_UNSPEC"}

    def accepted():
        return {k.split()[0] for k, n in f.stats.items() if k.endswith(" ok")}

    # A command that needs a prior one (replace_add after replace_begin on
    # the same socket) can go unaccepted in a short random run: go on, up
    # to twice the iterations, until every command was accepted once.
    i = 0
    while i < int(iterations) or (names - accepted() and i < 2 * int(iterations)):
        f.step(i)
        i += 1
    print("# %d iterations run" % i)
    for k in sorted(f.stats):
        print("# %6d %s" % (f.stats[k], k))
    got = accepted()
    case("every-command-accepted", got >= names, "never accepted: %s" % " ".join(sorted(names - got)))
    case("every-command-refused", {k.split()[0] for k in f.stats if not k.endswith(" ok")} >= names)
    for kind in ("answers", "extack", "state", "reply-bytes"):
        case(kind, not f.failures[kind], "%d failures" % f.failures[kind])
    f.dumps(index[dev], int(dump_size), 20)
    case("reply-bytes-dumps", not f.failures["reply-bytes"], "%d failures" % f.failures["reply-bytes"])


if __name__ == "__main__":
    main()
