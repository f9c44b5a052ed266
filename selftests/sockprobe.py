#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Socket probes for the map66 and prefix-mapping tests (one per run).

  udp-server ADDR PORT N        echo N datagrams, print each sender
  udp-client DEST PORT SIZE...  connected socket: "SIZE ok|lost|bad" each
  udp-refused DEST PORT         "refused" if an ICMP error closes the port
  tcp-server ADDR PORT          echo one connection, print the peer
  tcp-client DEST PORT BYTES    send BYTES random bytes, "ok" if they echo
  pmtu DEST PORT SIZE           send SIZE bytes twice, never fragmented
                                locally: print the path MTU then known
A datagram must come back from DEST itself (connected sockets). Env SRC:
the source address the clients bind to.
"""
import os
import socket
import sys
import time

IPV6_DONTFRAG, IPV6_MTU = 62, 24


def sock(addr, kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, kind)
    if os.environ.get("SRC"):
        s.bind((os.environ["SRC"], 0))
    return s


def udp_server(addr, port, n):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                      socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.settimeout(30)
    for _ in range(int(n)):
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)
        print(peer[0], flush=True)


def udp_client(dest, port, *sizes):
    s = sock(dest)
    s.connect((dest, int(port)))
    s.settimeout(2)
    for size in map(int, sizes):
        data = os.urandom(size)
        s.send(data)
        try:
            print(size, "ok" if s.recv(65535) == data else "bad", flush=True)
        except socket.timeout:
            print(size, "lost", flush=True)


def udp_refused(dest, port):
    s = sock(dest)
    s.connect((dest, int(port)))
    s.settimeout(2)
    s.send(b"anyone?")
    try:
        s.recv(100)
        print("answered")
    except ConnectionRefusedError:
        print("refused")
    except socket.timeout:
        print("silence")


def tcp_server(addr, port):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                      socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(1)
    s.settimeout(30)
    c, peer = s.accept()
    print(peer[0], flush=True)
    while True:
        data = c.recv(65536)
        if not data:
            break
        c.sendall(data)
    c.close()


def tcp_client(dest, port, n):
    data = os.urandom(int(n))
    s = socket.create_connection((dest, int(port)), timeout=10)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    back = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        back += chunk
    print("ok" if back == data else "bad %d of %d bytes" % (len(back), len(data)))


def pmtu(dest, port, size):
    s = sock(dest)
    s.setsockopt(socket.IPPROTO_IPV6, IPV6_DONTFRAG, 1)
    s.connect((dest, int(port)))
    for _ in range(2):
        try:
            s.send(os.urandom(int(size)))
        except OSError:
            pass
        time.sleep(0.5)
    print(s.getsockopt(socket.IPPROTO_IPV6, IPV6_MTU))


if __name__ == "__main__":
    {"udp-server": udp_server, "udp-client": udp_client,
     "udp-refused": udp_refused, "tcp-server": tcp_server,
     "tcp-client": tcp_client, "pmtu": pmtu}[sys.argv[1]](*sys.argv[2:])
