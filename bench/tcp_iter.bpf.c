// SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only
// A measurement, not part of the exporter: what the kernel's other way of reading every TCP
// socket's counters costs, against the sock_diag dump socketstat makes (issue 21 item 2). A BPF
// iterator over the TCP sockets of the reader's network namespace writes, per socket, the fields a
// collection takes from an inet_diag_msg and its tcp_info, with no netlink message or attribute
// around them. bench/socketstat-profile.sh builds it (BPF_ITER=1), pins it in a bpffs of its own
// and bench/sockdiag_dumps.py reads it beside the dumps.
// Build: bpftool btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h
//        clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I. -c tcp_iter.bpf.c
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

// What the kernel checks before it allows bpf_seq_write, which is GPL-only: this file is offered
// under GPL-2.0 as well as the project's Apache-2.0.
char LICENSE[] SEC("license") = "GPL";

// 112 bytes a socket; bench/sockdiag_dumps.py counts records by this size.
struct socket_record {
  __u64 cookie, bytes_acked, bytes_received, bytes_sent, bytes_retrans, inode;
  __u32 local[4], remote[4];
  __u32 rtt_us, segs_in, segs_out, receive_queue, send_queue;
  __u16 local_port, remote_port;
  __u8 family, state, pad[2];
};

SEC("iter/tcp")
int tcp_sockets(struct bpf_iter__tcp *ctx) {
  struct sock_common *common = ctx->sk_common;
  struct socket_record record = {};
  if (!common) {
    return 0; // the end of the walk
  }
  record.family = common->skc_family;
  record.state = common->skc_state;
  record.local_port = common->skc_num;
  record.remote_port = common->skc_dport;
  record.cookie = common->skc_cookie.counter;
  if (record.family == 2) { // AF_INET
    record.local[0] = common->skc_rcv_saddr;
    record.remote[0] = common->skc_daddr;
  } else {
    BPF_CORE_READ_INTO(&record.local, common, skc_v6_rcv_saddr.in6_u.u6_addr32);
    BPF_CORE_READ_INTO(&record.remote, common, skc_v6_daddr.in6_u.u6_addr32);
  }
  struct tcp_sock *tcp = bpf_skc_to_tcp_sock(common); // null for TIME_WAIT and request sockets
  if (tcp) {
    record.bytes_acked = tcp->bytes_acked;
    record.bytes_received = tcp->bytes_received;
    record.bytes_sent = tcp->bytes_sent;
    record.bytes_retrans = tcp->bytes_retrans;
    record.rtt_us = tcp->srtt_us >> 3;
    record.segs_in = tcp->segs_in;
    record.segs_out = tcp->segs_out;
    record.receive_queue = tcp->rcv_nxt - tcp->copied_seq;
    record.send_queue = tcp->write_seq - tcp->snd_una;
    struct socket *owner = tcp->inet_conn.icsk_inet.sk.sk_socket;
    if (owner && owner->file) {
      record.inode = BPF_CORE_READ(owner, file, f_inode, i_ino);
    }
  }
  bpf_seq_write(ctx->meta->seq, &record, sizeof(record));
  return 0;
}
