#!/usr/bin/env python3
"""Holds N established TCP connections on loopback inside each of the named network namespaces.

Usage: netns_connections.py N ns1 [ns2 ...]

One process makes them all: for each namespace it enters it with setns(2) (through
/run/netns/<name>, as `ip netns add` leaves it), listens on 127.0.0.1, connects N times and
accepts, so each namespace holds N connections (2 N sockets and a listener). It then returns to
its own namespace, prints "ready" and holds everything until it is killed.
Needs root (setns) and a file limit above (2 N + 1) x namespaces + a few.
"""
import ctypes
import os
import socket
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def main():
    n = int(sys.argv[1])
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    held = []
    for name in sys.argv[2:]:
        fd = os.open("/run/netns/" + name, os.O_RDONLY)
        enter(fd)
        os.close(fd)
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.bind(("127.0.0.1", 0))
        server.listen(128)
        port = server.getsockname()[1]
        held.append(server)
        for _ in range(n):
            held.append(socket.create_connection(("127.0.0.1", port)))
            held.append(server.accept()[0])
    enter(own)
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
