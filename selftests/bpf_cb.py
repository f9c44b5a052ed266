#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Load a tc program that leaves values in skb->cb, and pin it.

usage: bpf_cb.py PIN_PATH CB1_IPV4 CB2_IPV6

A BPF_PROG_TYPE_SCHED_CLS program (direct action, always TC_ACT_OK) that
writes CB1_IPV4 into __sk_buff cb[1] of IPv4 packets and CB2_IPV6 into
cb[2] of IPv6 packets: what a classifier may do to the qdisc's part of
skb->cb, which overlays the IP layer's control block (IPCB/IP6CB) the
device then finds. Pinned at PIN_PATH (a bpf filesystem) for
`tc filter ... bpf object-pinned PIN_PATH direct-action`. Written as
bytecode, so no compiler is needed.
"""
import ctypes
import struct
import sys

BPF_PROG_LOAD, BPF_OBJ_PIN = 5, 6
BPF_PROG_TYPE_SCHED_CLS = 3
NR_BPF = 321			# x86_64
SKB_PROTOCOL, SKB_CB1, SKB_CB2 = 16, 52, 56	# offsets in struct __sk_buff
ETH_P_IP_BE = 0x0008		# htons(ETH_P_IP) as __sk_buff->protocol holds it


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, dst | src << 4, off, imm)


def program(cb1, cb2):
    return b"".join([
        insn(0x61, 2, 1, SKB_PROTOCOL),		# r2 = skb->protocol
        insn(0x55, 2, 0, 3, ETH_P_IP_BE),	# if r2 != IPv4 goto 5
        insn(0xb7, 3, imm=cb1),			# r3 = cb1
        insn(0x63, 1, 3, SKB_CB1),		# skb->cb[1] = r3
        insn(0x05, off=2),			# goto 7
        insn(0xb7, 3, imm=cb2),			# 5: r3 = cb2
        insn(0x63, 1, 3, SKB_CB2),		# skb->cb[2] = r3
        insn(0xb7, 0, imm=0),			# 7: r0 = TC_ACT_OK
        insn(0x95),				# exit
    ])


def main():
    path, cb1, cb2 = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_uint]
    prog = program(cb1, cb2)
    code = ctypes.create_string_buffer(prog)
    lic = ctypes.create_string_buffer(b"GPL")
    log = ctypes.create_string_buffer(65536)
    attr = ctypes.create_string_buffer(struct.pack(
        "<IIQQIIQII16s", BPF_PROG_TYPE_SCHED_CLS, len(prog) // 8,
        ctypes.addressof(code), ctypes.addressof(lic), 1, len(log),
        ctypes.addressof(log), 0, 0, b"map646_cb"), 128)
    fd = libc.syscall(NR_BPF, BPF_PROG_LOAD, attr, 128)
    if fd < 0:
        sys.exit("BPF_PROG_LOAD: %s\n%s" % (ctypes.get_errno(), log.value.decode()))
    name = ctypes.create_string_buffer(path.encode())
    attr = ctypes.create_string_buffer(struct.pack("<QII", ctypes.addressof(name), fd, 0), 128)
    if libc.syscall(NR_BPF, BPF_OBJ_PIN, attr, 128) < 0:
        sys.exit("BPF_OBJ_PIN %s: %s" % (path, ctypes.get_errno()))


if __name__ == "__main__":
    main()
