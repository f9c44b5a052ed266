#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A long TCP transfer at a steady rate, checked end to end.

usage: tcp_stream.py recv PORT RESULT
       tcp_stream.py send ADDR PORT SRC RATE STOPFILE RESULT

recv: listen on [::]:PORT (and 0.0.0.0, dual-stack), take one connection,
      read to the end, then close.
send: connect from SRC to ADDR:PORT (retrying while refused, up to a
      minute: the receiver may start slowly) and send pseudo-random data at RATE
      bytes per second until STOPFILE exists; then half-close and wait for
      the receiver to close (so every byte has arrived).

Both write one line to RESULT: "bytes=N sha256=HEX" on success, or
"error=TEXT"; the exit status is 0 on success. Plain sockets only: the
interpreter starts in a fraction of a second in the guest.
"""
import hashlib
import os
import random
import socket
import sys
import time

CHUNK = 16384


def result(path, text, ok):
    with open(path, "w", encoding="ascii") as f:
        f.write(text + "\n")
    sys.exit(0 if ok else 1)


def recv(port, out):
    srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    srv.bind(("::", port))
    srv.listen(1)
    conn, _ = srv.accept()
    srv.close()
    h, n = hashlib.sha256(), 0
    try:
        while True:
            data = conn.recv(1 << 16)
            if not data:
                break
            h.update(data)
            n += len(data)
    except OSError as e:
        result(out, f"error={e} bytes={n}", False)
    conn.close()
    result(out, f"bytes={n} sha256={h.hexdigest()}", True)


def connect(addr, port, src):
    """Connect, retrying for a minute while nothing listens yet."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return socket.create_connection((addr, port), timeout=30,
                                            source_address=(src, 0))
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def send(addr, port, src, rate, stopfile, out):
    gen = random.Random(port)
    h, n = hashlib.sha256(), 0
    try:
        s = connect(addr, port, src)
        s.settimeout(None)
        start = time.monotonic()
        while not os.path.exists(stopfile):
            due = start + n / rate
            now = time.monotonic()
            if due > now:
                time.sleep(min(due - now, 0.1))
                continue
            data = gen.randbytes(CHUNK)
            s.sendall(data)
            h.update(data)
            n += len(data)
        s.shutdown(socket.SHUT_WR)
        s.settimeout(60)
        while s.recv(4096):
            pass
        s.close()
    except OSError as e:
        result(out, f"error={e} bytes={n}", False)
    result(out, f"bytes={n} sha256={h.hexdigest()}", True)


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "recv":
        recv(int(a[1]), a[2])
    elif len(a) == 7 and a[0] == "send":
        send(a[1], int(a[2]), a[3], float(a[4]), a[5], a[6])
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
