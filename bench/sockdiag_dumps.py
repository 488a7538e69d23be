#!/usr/bin/env python3
"""What the kernel's sock_diag TCP dump costs, by request, in the calling network namespace.

Usage: sockdiag_dumps.py [REPEATS] [ITERATOR]   (default 5; run it with `ip netns exec NS` for another
namespace; ITERATOR: a pinned bench/tcp_iter.bpf.c, read for one more row)

Each variant dumps every TCP socket REPEATS times and prints a Markdown row: sockets answered,
datagrams read, the largest one, and this process's CPU (user + system) per dump, median and range.
The receive loop only walks the message headers, so the system time is the kernel's walk of its
socket hash and the messages it fills. Variants: the exporter's request (TCPDIAG_GETSOCK, both
families in one walk, INET_DIAG_INFO, every state /proc lists, a 36 KiB buffer); the same with a
1 MiB buffer and a 4 MiB socket receive buffer; without INET_DIAG_INFO; established sockets only;
and `ss -tan`'s two SOCK_DIAG_BY_FAMILY requests (one walk per family), without and with INFO.
With ITERATOR, a last row reads the same counters through a BPF TCP iterator instead of netlink
(records of 112 bytes; the "datagrams" are its reads of up to 1 MiB).
"""
import os
import resource
import socket
import struct
import sys

NETLINK_SOCK_DIAG = 4
SO_RCVBUFFORCE = 33
NLM_F_REQUEST_DUMP = 0x301
TCPDIAG_GETSOCK = 18
SOCK_DIAG_BY_FAMILY = 20
NLMSG_DONE = 3
INFO = 1 << (2 - 1)
ALL_STATES = 0x1FFE
ESTABLISHED = 0x2


def requests(kind, ext, states):
    if kind == "tcpdiag":  # struct inet_diag_req: family, lengths, ext, sockid, states, dbs
        body = struct.pack("=BBBB", 0, 0, 0, ext) + b"\0" * 48 + struct.pack("=II", states, 0)
        return [struct.pack("=IHHII", 16 + len(body), TCPDIAG_GETSOCK, NLM_F_REQUEST_DUMP, 1, 0) + body]
    out = []
    for family in (socket.AF_INET, socket.AF_INET6):  # struct inet_diag_req_v2
        body = struct.pack("=BBBBI", family, socket.IPPROTO_TCP, ext, 0, states) + b"\0" * 48
        out.append(struct.pack("=IHHII", 16 + len(body), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST_DUMP, 1, 0) + body)
    return out


def dump(kind, ext, states, buffer, receive_buffer):
    sockets = datagrams = largest = 0
    with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG) as s:
        if receive_buffer:
            s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, receive_buffer)
        s.bind((0, 0))
        for request in requests(kind, ext, states):
            s.send(request)
            done = False
            while not done:
                data = s.recv(buffer)
                datagrams += 1
                largest = max(largest, len(data))
                at = 0
                while at + 16 <= len(data):
                    length, kind_of = struct.unpack_from("=IH", data, at)
                    if kind_of == NLMSG_DONE or length < 16:
                        done = True
                        break
                    sockets += 1
                    at += (length + 3) & ~3
    return sockets, datagrams, largest


ITERATOR_RECORD = 112


def iterate(path):
    """Reads a pinned TCP iterator once: records, reads, the largest read."""
    records = reads = largest = 0
    fd = os.open(path, os.O_RDONLY)  # opened here: it walks this process's network namespace
    try:
        while True:
            data = os.read(fd, 1 << 20)
            if not data:
                break
            reads += 1
            largest = max(largest, len(data))
            records += len(data) // ITERATOR_RECORD
    finally:
        os.close(fd)
    return records, reads, largest


VARIANTS = [
    ("the exporter's: TCPDIAG_GETSOCK, INFO, all states, 36 KiB buffer", "tcpdiag", INFO, ALL_STATES, 36 << 10, 0),
    ("the same, 1 MiB buffer, SO_RCVBUF 4 MiB", "tcpdiag", INFO, ALL_STATES, 1 << 20, 4 << 20),
    ("the same, no INFO", "tcpdiag", 0, ALL_STATES, 36 << 10, 0),
    ("the same, INFO, ESTABLISHED only", "tcpdiag", INFO, ESTABLISHED, 36 << 10, 0),
    ("by family (two walks), no INFO: `ss -tan`'s", "family", 0, ALL_STATES, 36 << 10, 0),
    ("by family (two walks), INFO", "family", INFO, ALL_STATES, 36 << 10, 0),
]


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print("| request | sockets | datagrams | largest | CPU per dump: median (user, system; range) |")
    print("|---|---|---|---|---|")
    readers = [(name, lambda v=variant: dump(*v)) for name, *variant in VARIANTS]
    if len(sys.argv) > 2:
        readers.append(("a BPF TCP iterator (`iter/tcp`), the same counters, no netlink", lambda: iterate(sys.argv[2])))
    for name, read in readers:
        costs = []
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_SELF)
            sockets, datagrams, largest = read()
            after = resource.getrusage(resource.RUSAGE_SELF)
            costs.append(((after.ru_utime - before.ru_utime) * 1e3, (after.ru_stime - before.ru_stime) * 1e3))
        costs.sort(key=sum)
        user, system = costs[len(costs) // 2]
        print(f"| {name} | {sockets:,} | {datagrams:,} | {largest:,} | {user + system:.0f} ms"
              f" ({user:.0f}, {system:.0f}; {sum(costs[0]):.0f}-{sum(costs[-1]):.0f}) |", flush=True)


if __name__ == "__main__":
    main()
