#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send-and-close TCP transfers, each checked by length and sha256.

usage: stress_tcp.py serve BIND PORT DATA LOG
       stress_tcp.py burst BIND PORT DATA SYNC LOG
       stress_tcp.py fetch ADDR PORT DATA PARALLEL PLAN SYNC

Long-lived processes, started once and paced by the caller through files
(the interpreter starts slowly in the guest, the more so under load).
DATA: a file of random bytes that both sides read (one file system).

serve: listen on BIND:PORT until killed, each connection in its own
       thread. A connection asks "OFFSET SIZE WRITE"; the server sends
       DATA[OFFSET:OFFSET+SIZE] in writes of WRITE bytes (0: one sendall)
       and close()s at once, as a server does that answers and hangs up.
       Appends a line to LOG for each connection that failed.
burst: like serve, one connection after the other, each answer shaped
       so that its end leaves as one full segment followed at once by a
       super-packet carrying the rest and the FIN (for SIZE of more than
       16 segments, on a new connection whose first flight the caller
       holds back, see map646_stress.sh). Having read the request of
       connection I (from 0), it creates SYNC.I.ready and waits for
       SYNC.I.go; having sent and closed, it creates SYNC.I.sent. Appends
       "mss=M" or the error to LOG for each connection.
fetch: rounds of transfers from ADDR:PORT, PARALLEL at a time. Round R
       (from 0) starts when SYNC.R.go exists and holds its number of
       transfers; SYNC.end ends the process instead. PLAN "mixed:SEED":
       transfer i (counted over all rounds) asks for a size (around 6 MB,
       or an odd small one) and a write pattern drawn from SEED and i;
       "fixed:SIZE": each asks for SIZE bytes in one write. Each transfer
       reads to the end of the stream and checks what arrived: its
       length, its sha256, and where it first differs from what was
       sent. The round's result goes to SYNC.R.result, then SYNC.R.done
       is created: one line
       "transfers=N ok=N short=N long=N corrupt=N errors=N bytes=N secs=S"
       and one line for each transfer that was not ok: "short" is a clean
       end of stream before the last byte (the data-loss symptom), "long"
       more bytes than sent, "corrupt" the right length with other bytes,
       "errors" a reset, a timeout or a refused connection.

Plain sockets and threads only.
"""
import hashlib
import itertools
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


def load(path):
    with open(path, "rb") as f:
        return f.read()


def touch(path, text=""):
    with open(path + ".tmp", "w", encoding="ascii") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def log(path, lock, line):
    with lock, open(path, "a", encoding="ascii") as f:
        f.write(line + "\n")


def wait_file(path, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise OSError(f"{path} never came")
        time.sleep(0.02)


def listener(bind, port):
    fam = socket.AF_INET6 if ":" in bind else socket.AF_INET
    return socket.create_server((bind, port), family=fam, backlog=128)


def read_request(conn):
    req = b""
    while not req.endswith(b"\n"):
        part = conn.recv(64)
        if not part:
            raise OSError("no request")
        req += part
    return (int(x) for x in req.split())


def serve_one(conn, data, out, lock):
    try:
        with conn:
            conn.settimeout(TIMEOUT)
            off, size, write = read_request(conn)
            view = memoryview(data)[off:off + size]
            if write:
                for pos in range(0, size, write):
                    conn.sendall(view[pos:pos + write])
            else:
                conn.sendall(view)
    except (OSError, ValueError) as e:
        log(out, lock, f"serve error: {e}")


def serve(bind, port, data_path, out):
    data, lock = load(data_path), threading.Lock()
    with listener(bind, port) as srv:
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve_one, args=(conn, data, out, lock),
                             daemon=True).start()


def burst_one(conn, data, sync):
    with conn:
        off, size, _ = read_request(conn)
        # nothing waits for buffer space; no Nagle hold-back of a tail
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        mss = conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        view = memoryview(data)[off:off + size]
        touch(sync + ".ready")
        wait_file(sync + ".go")
        # The initial window (10 segments) lets 10 of these 11 go at once;
        # the 11th stays behind, a packet of its own: without PSH
        # (MSG_MORE) and closed to appending (MSG_EOR).
        conn.sendall(view[:11 * mss], socket.MSG_MORE | socket.MSG_EOR)
        # The rest, a super-packet, and the FIN close() adds to it wait
        # for the window to open too: the first ACK sends both together.
        conn.sendall(view[11 * mss:])
    touch(sync + ".sent")
    return mss


def burst(bind, port, data_path, sync, out):
    data, lock = load(data_path), threading.Lock()
    with listener(bind, port) as srv:
        for i in itertools.count():
            conn, _ = srv.accept()
            try:
                log(out, lock, f"mss={burst_one(conn, data, f'{sync}.{i}')}")
            except (OSError, ValueError) as e:
                log(out, lock, f"burst error: {e}")


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


def fetch_round(addr, port, data, parallel, spec, first, count):
    """count transfers, numbered from first: the result lines."""
    tally = dict.fromkeys(("ok", "short", "long", "corrupt", "errors"), 0)
    bad, total = [], [0]
    lock, todo = threading.Lock(), iter(range(first, first + count))

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
    return [f"{line} bytes={total[0]} secs={secs:.1f}"] + bad


def fetch(addr, port, data_path, parallel, spec, sync):
    data, first = load(data_path), 0
    for r in itertools.count():
        go = f"{sync}.{r}.go"
        while not os.path.exists(go):
            if os.path.exists(sync + ".end"):
                return
            time.sleep(0.05)
        with open(go, encoding="ascii") as f:
            count = int(f.read())
        lines = fetch_round(addr, port, data, parallel, spec, first, count)
        first += count
        touch(f"{sync}.{r}.result", "\n".join(lines) + "\n")
        touch(f"{sync}.{r}.done")


def main():
    a = sys.argv[1:]
    if len(a) == 5 and a[0] == "serve":
        serve(a[1], int(a[2]), a[3], a[4])
    elif len(a) == 6 and a[0] == "burst":
        burst(a[1], int(a[2]), a[3], a[4], a[5])
    elif len(a) == 7 and a[0] == "fetch":
        fetch(a[1], int(a[2]), a[3], int(a[4]), a[5], a[6])
        sys.exit(0)
    print(__doc__, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
