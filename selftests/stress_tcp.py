#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send-and-close TCP transfers, each checked by length and sha256.

usage: stress_tcp.py serve BIND PORT DATA COUNT RESULT
       stress_tcp.py burst BIND PORT DATA COUNT SYNC RESULT
       stress_tcp.py fetch ADDR PORT DATA COUNT PARALLEL PLAN RESULT

DATA: a file of random bytes that both sides read (one file system).
serve: listen on BIND:PORT and take COUNT connections, each in its own
       thread. A connection asks "OFFSET SIZE WRITE"; the server sends
       DATA[OFFSET:OFFSET+SIZE] in writes of WRITE bytes (0: one sendall)
       and close()s at once, as a server does that answers and hangs up.
       Writes "served=N errors=E".
burst: like serve, one connection after the other, each answer shaped
       so that its end leaves as one full segment followed at once by a
       super-packet carrying the rest and the FIN (for SIZE of more than
       16 segments, on a new connection whose first flight the caller
       holds back, see map646_stress.sh). Having read the request of
       connection I (from 0), it creates SYNC.I.ready and waits for
       SYNC.I.go; having sent and closed, it creates SYNC.I.sent. Writes
       "served=N errors=E mss=M".
fetch: COUNT transfers from ADDR:PORT, PARALLEL at a time. PLAN "mixed:
       SEED": transfer i asks for a size (around 6 MB, or an odd small
       one) and a write pattern drawn from SEED and i; "fixed:SIZE": each
       asks for SIZE bytes in one write. It reads to the end of the stream and
       checks what arrived: its length, its sha256, and where it first
       differs from what was sent. Writes one line
       "transfers=N ok=N short=N long=N corrupt=N errors=N bytes=N secs=S"
       and one line for each transfer that was not ok: "short" is a clean
       end of stream before the last byte (the data-loss symptom), "long"
       more bytes than sent, "corrupt" the right length with other bytes,
       "errors" a reset, a timeout or a refused connection.

Plain sockets and threads only: the interpreter starts in a fraction of a
second in the guest.
"""
import hashlib
import os
import random
import socket
import sys
import threading
import time

TIMEOUT = 120	# seconds without progress before a transfer counts as hung
BIG = 6000000
# small sizes around segment and super-packet boundaries (MSS 1428-1460)
EDGES = (1, 1427, 1428, 1429, 1448, 1460, 2856, 2857, 14280, 65535, 65536,
         65537, 131071)
WRITES = (0, 0, 1428, 16384, 65536, 100003)


def result(path, lines, ok):
    with open(path, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    sys.exit(0 if ok else 1)


def load(path):
    with open(path, "rb") as f:
        return f.read()


def serve_one(conn, data, errors):
    try:
        with conn:
            conn.settimeout(TIMEOUT)
            req = b""
            while not req.endswith(b"\n"):
                part = conn.recv(64)
                if not part:
                    raise OSError("no request")
                req += part
            off, size, write = (int(x) for x in req.split())
            view = memoryview(data)[off:off + size]
            if write:
                for pos in range(0, size, write):
                    conn.sendall(view[pos:pos + write])
            else:
                conn.sendall(view)
    except (OSError, ValueError) as e:
        errors.append(str(e))


def serve(bind, port, data_path, count, out):
    data = load(data_path)
    fam = socket.AF_INET6 if ":" in bind else socket.AF_INET
    srv = socket.create_server((bind, port), family=fam, backlog=128)
    errors, threads = [], []
    for _ in range(count):
        conn, _ = srv.accept()
        t = threading.Thread(target=serve_one, args=(conn, data, errors))
        t.start()
        threads.append(t)
    srv.close()
    for t in threads:
        t.join()
    lines = [f"served={count} errors={len(errors)}"] + errors[:10]
    result(out, lines, not errors)


def wait_file(path):
    deadline = time.monotonic() + TIMEOUT
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise OSError(f"{path} never came")
        time.sleep(0.02)


def burst_one(conn, data, sync):
    with conn:
        req = b""
        while not req.endswith(b"\n"):
            part = conn.recv(64)
            if not part:
                raise OSError("no request")
            req += part
        off, size, _ = (int(x) for x in req.split())
        # nothing waits for buffer space; no Nagle hold-back of a tail
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        mss = conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        view = memoryview(data)[off:off + size]
        open(sync + ".ready", "w", encoding="ascii").close()
        wait_file(sync + ".go")
        # The initial window (10 segments) lets 10 of these 11 go at once;
        # the 11th stays behind, a packet of its own: without PSH
        # (MSG_MORE) and closed to appending (MSG_EOR).
        conn.sendall(view[:11 * mss], socket.MSG_MORE | socket.MSG_EOR)
        # The rest, a super-packet, and the FIN close() adds to it wait
        # for the window to open too: the first ACK sends both together.
        conn.sendall(view[11 * mss:])
    open(sync + ".sent", "w", encoding="ascii").close()
    return mss


def burst(bind, port, data_path, count, sync, out):
    data = load(data_path)
    fam = socket.AF_INET6 if ":" in bind else socket.AF_INET
    mss, errors = set(), []
    with socket.create_server((bind, port), family=fam) as srv:
        for i in range(count):
            conn, _ = srv.accept()
            try:
                mss.add(burst_one(conn, data, f"{sync}.{i}"))
            except OSError as e:
                errors.append(str(e))
    lines = [f"served={count} errors={len(errors)} mss={','.join(map(str, sorted(mss)))}"]
    result(out, lines + errors[:10], not errors)


def plan(spec, i, datalen):
    """Size, offset and write pattern of transfer i."""
    kind, arg = spec.split(":")
    r = random.Random(int(arg) * 1000003 + i)
    if kind == "fixed":
        size = int(arg)
        return size, r.randrange(0, datalen - size), 0
    if r.random() < 0.6:
        size = BIG if r.random() < 0.2 else BIG + r.randrange(-70000, 70000)
    elif r.random() < 0.5:
        size = r.choice(EDGES)
    else:
        size = r.randrange(1, 300000)
    return size, r.randrange(0, datalen - size), r.choice(WRITES)


def connect(addr, port):
    """Connect, retrying for a minute while nothing listens yet."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return socket.create_connection((addr, port), timeout=TIMEOUT)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def fetch_one(addr, port, data, spec, i):
    """One transfer: (verdict, bytes received, detail)."""
    size, off, write = plan(spec, i, len(data))
    want = memoryview(data)[off:off + size]
    h, n, diff = hashlib.sha256(), 0, -1
    buf = bytearray(1 << 18)
    what = f"#{i} size={size} write={write}"
    try:
        with connect(addr, port) as s:
            s.sendall(f"{off} {size} {write}\n".encode())
            while True:
                got = s.recv_into(buf)
                if not got:
                    break
                chunk = memoryview(buf)[:got]
                h.update(chunk)
                if diff < 0 and chunk != want[n:n + got]:
                    diff = n + next(k for k in range(got)
                                    if n + k >= size or chunk[k] != want[n + k])
                n += got
    except OSError as e:
        return "errors", n, f"{what} got={n} error={e}"
    if n < size:
        return "short", n, f"{what} got={n} missing={size - n} first_diff={diff}"
    if n > size:
        return "long", n, f"{what} got={n} first_diff={diff}"
    if h.digest() != hashlib.sha256(want).digest():
        return "corrupt", n, f"{what} first_diff={diff}"
    return "ok", n, ""


def fetch(addr, port, data_path, count, parallel, spec, out):
    data = load(data_path)
    tally = dict.fromkeys(("ok", "short", "long", "corrupt", "errors"), 0)
    bad, total = [], [0]
    lock, todo = threading.Lock(), iter(range(count))

    def worker():
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            verdict, n, detail = fetch_one(addr, port, data, spec, i)
            with lock:
                tally[verdict] += 1
                total[0] += n
                if detail:
                    bad.append(detail)

    start = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(parallel)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    secs = time.monotonic() - start
    line = f"transfers={count} " + " ".join(f"{k}={v}" for k, v in tally.items())
    result(out, [f"{line} bytes={total[0]} secs={secs:.1f}"] + bad,
           tally["ok"] == count)


def main():
    a = sys.argv[1:]
    if len(a) == 6 and a[0] == "serve":
        serve(a[1], int(a[2]), a[3], int(a[4]), a[5])
    elif len(a) == 7 and a[0] == "burst":
        burst(a[1], int(a[2]), a[3], int(a[4]), a[5], a[6])
    elif len(a) == 8 and a[0] == "fetch":
        fetch(a[1], int(a[2]), a[3], int(a[4]), int(a[5]), a[6], a[7])
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
