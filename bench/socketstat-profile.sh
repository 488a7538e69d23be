#!/usr/bin/env bash
# Where socketstat's CPU goes in the container placement (BENCHMARKS.md, docs/benchmarks-history.md
# "socketstat: the container placement"): N established IPv4 connections (both ends) in a network
# namespace of their own, held by N/8,000 Python processes with clients from 256 source addresses
# (127.99.0.x), and two exporters from the tarball in the root namespace with their defaults
# (every namespace, bytes and health on), side by side on the same sockets. Prints:
#   1. the kernel's dump cost by request, in that namespace and in the root one (sockdiag_dumps.py);
#   2. per window: each exporter's CPU per collection (utime + stime from /proc/<pid>/stat over the
#      window, divided by the collections completed in it), fd walks, RSS; `ss -tan` CPU in the
#      namespace (median of 3, right after the window); the ratios; and `ss -tani`, which asks the
#      kernel for the same `tcp_info` as the exporter (a like-for-like baseline), with A's ratio;
#   3. exporter A's CPU per collection by thread over all the windows, user + system.
# Usage: bench/socketstat-profile.sh [N] [WINDOWS] [SECONDS]   (default 40000 8 20; root, ss, python3,
# curl, GNU time). A_ARGS / B_ARGS: more flags for exporter A / B (e.g. B_ARGS=-task-socketstat-health=false);
# A_JAVA_OPTS / B_JAVA_OPTS: JVM options for exporter A / B, in place of the shipped ones (as
# PLANET_EXPORTER_JAVA_OPTS; unset: the shipped ones); B_TARBALL: another build as exporter B
# (default: the same as A); SKIP_DUMPS=1: only the exporters (part 1 left out); CONTAINERS=K: the N
# connections spread over K namespaces (`ss -tan` then run once in each, its CPU the sum; part 1 in
# the first); BPF_ITER=1: part 1 also reads the same counters through a BPF TCP iterator
# (bench/tcp_iter.bpf.c; needs clang, bpftool and libbpf's headers, e.g. Debian's clang-14, bpftool
# and libbpf-dev) and says what `ss -tan` costs there. Profile A with
# `perf record -g -p <pid>` meanwhile (its pid is printed). Everything it makes is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-40000}; windows=${2:-8}; seconds=${3:-20}
per_holder=8000 # 2 x 8,000 fds: under the usual limit of 20,000 per process

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -pl planet-dist -am package -DskipTests
fi
tarball=$(ls planet-dist/target/planet-exporter-*.tar.gz | head -n 1)
work=$(mktemp -d /tmp/planet-bench-profile-XXXXXX)
mkdir "$work/a" "$work/b"
tar -xzf "$tarball" -C "$work/a"
tar -xzf "${B_TARBALL:-$tarball}" -C "$work/b"
home_a=$(ls -d "$work"/a/planet-exporter-*); home_b=$(ls -d "$work"/b/planet-exporter-*)
containers=${CONTAINERS:-1}
prefix=pp-$(printf '%06x' $((RANDOM * 32768 + RANDOM)) | cut -c1-6)
namespaces=()
for ((c = 0; c < containers; c++)); do namespaces+=("$prefix-$c"); done
ns=${namespaces[0]}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if mountpoint -q "$work/bpffs" 2>/dev/null; then rm -f "$work/bpffs/tcp"; umount "$work/bpffs"; fi
  for each in "${namespaces[@]}"; do ip netns del "$each" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for ((c = 0; c < containers; c++)); do
  ip netns add "${namespaces[c]}"
  ip netns exec "${namespaces[c]}" ip link set lo up
  share=$(((n + containers - 1 - c) / containers))
  for ((held = 0; held < share; held += per_holder)); do
    count=$((share - held < per_holder ? share - held : per_holder))
    ip netns exec "${namespaces[c]}" python3 -c '
import resource, signal, socket, sys
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (2 * n + 100,) * 2)
listener = socket.socket(); listener.bind(("127.0.0.1", 0)); listener.listen(4096)
held = []
for i in range(n):
    client = socket.socket(); client.bind(("127.99.0.%d" % (i % 256), 0))
    client.connect(listener.getsockname()); server, _ = listener.accept()
    client.send(b"x" * 100); server.recv(100); held += [client, server]
print("ready", flush=True)
while True:
    signal.pause()' "$count" > "$work/holder-$c-$held" &
    pids+=($!)
  done
done
until [ "$(cat "$work"/holder-* | grep -c ready)" -eq "${#pids[@]}" ]; do sleep 1; done

iterator=()
if [ "${BPF_ITER:-}" = 1 ]; then
  # A bpffs of our own: the pinned iterator goes with it, whatever else the machine pins.
  bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$work/vmlinux.h"
  "$(command -v clang || command -v clang-14)" -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$work" \
    -c bench/tcp_iter.bpf.c -o "$work/tcp_iter.bpf.o"
  mkdir "$work/bpffs"
  mount -t bpf bpf "$work/bpffs"
  bpftool iter pin "$work/tcp_iter.bpf.o" "$work/bpffs/tcp"
  iterator=("$work/bpffs/tcp")
fi

if [ "${SKIP_DUMPS:-}" != 1 ]; then
  echo "## The kernel's dumps, in the load's namespace ($(ip netns exec "$ns" ss -Htan | wc -l) TCP sockets)"
  ip netns exec "$ns" python3 bench/sockdiag_dumps.py 5 "${iterator[@]}"
  if [ "${BPF_ITER:-}" = 1 ]; then
    echo; echo "\`ss -tan\` there, CPU of five runs (ms): $(for i in 1 2 3 4 5; do ip netns exec "$ns" /usr/bin/time -f "%U %S" ss -tan 2>&1 >/dev/null | tail -n 1; done | awk '{print int(($1 + $2) * 1000)}' | sort -n | tr '\n' ' ')"
  fi
  echo; echo "## The same in the root namespace ($(ss -Htan | wc -l) TCP sockets of its own)"
  python3 bench/sockdiag_dumps.py 5 "${iterator[@]}"
fi

start() { # home port java-opts-variable args...
  if [ -n "${!3+set}" ]; then export PLANET_EXPORTER_JAVA_OPTS=${!3}; else unset PLANET_EXPORTER_JAVA_OPTS; fi
  "$1/bin/planet-exporter" -listen-address "127.0.0.1:$2" -task-interval 2s "${@:4}" >"$work/exporter-$2.log" 2>&1 &
  pids+=($!)
}
# shellcheck disable=SC2086 # the extra flags are words
start "$home_a" 19491 A_JAVA_OPTS ${A_ARGS:-}; pid_a=$!
start "$home_b" 19492 B_JAVA_OPTS ${B_ARGS:-}; pid_b=$!
unset PLANET_EXPORTER_JAVA_OPTS
echo; echo "## Exporters A (pid $pid_a, ${A_ARGS:-defaults}, JVM: ${A_JAVA_OPTS-shipped}) and B (pid $pid_b, ${B_TARBALL:-same build}, ${B_ARGS:-defaults}, JVM: ${B_JAVA_OPTS-shipped})"
sleep 25
tick=$(getconf CLK_TCK)
cpu() { local s; read -ra s < <(sed 's/.*) //' "/proc/$1/stat"); echo $(((s[11] + s[12]) * 1000 / tick)); }
threads() { for t in /proc/"$1"/task/*; do read -ra s < <(sed 's/.*) //' "$t/stat"); echo "$(tr ' ' _ <"$t/comm") ${s[11]} ${s[12]}"; done | awk '{u[$1] += $2; k[$1] += $3} END {for (n in u) print n, u[n], k[n]}' | sort; }
metric() { curl -s "127.0.0.1:$1/metrics" | awk -v m="$2" 'index($0, m) == 1 {print int($2)}'; }
runs() { metric "$1" 'planet_task_runs_total{collector="socketstat"}'; }
walks() { metric "$1" 'planet_socketstat_fd_walks_total'; }
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$1/status"; }
# CPU of `ss <flags>` run in every load namespace, ms: the median of 3.
ss_cpu() {
  for i in 1 2 3; do /usr/bin/time -f "%U %S" bash -c 'flags=$1; shift; for each; do ip netns exec "$each" ss "$flags"; done' _ "$1" "${namespaces[@]}" 2>&1 >/dev/null | tail -n 1; done |
    awk '{print int(($1 + $2) * 1000)}' | sort -n | sed -n 2p
}
echo "| window (UTC, load) | A: CPU per collection (runs, fd walks, RSS) | B: the same | \`ss -tan\` | A / ss | B / ss | B / A | \`ss -tani\` | A / ss -tani |"
echo "|---|---|---|---|---|---|---|---|---|"
threads_before=$(threads "$pid_a"); runs_first=$(runs 19491)
for ((w = 1; w <= windows; w++)); do
  ca=$(cpu "$pid_a"); cb=$(cpu "$pid_b"); ra=$(runs 19491); rb=$(runs 19492); wa=$(walks 19491); wb=$(walks 19492)
  sleep "$seconds"
  ca=$(($(cpu "$pid_a") - ca)); cb=$(($(cpu "$pid_b") - cb)); ra=$(($(runs 19491) - ra)); rb=$(($(runs 19492) - rb))
  ss=$(ss_cpu -tan); ssi=$(ss_cpu -tani)
  awk -v w="$(date -u +%T) ($(cut -d' ' -f1 /proc/loadavg))" -v ca="$ca" -v cb="$cb" -v ra="$ra" -v rb="$rb" -v ss="$ss" -v ssi="$ssi" \
    -v da="$(($(walks 19491) - wa))" -v db="$(($(walks 19492) - wb))" -v rssa="$(rss "$pid_a")" -v rssb="$(rss "$pid_b")" \
    'BEGIN {a = ca / ra; b = cb / rb; printf "| %s | %.0f ms (%d, %d, %s) | %.0f ms (%d, %d, %s) | %d ms | %.2f | %.2f | %.2f | %d ms | %.2f |\n", w, a, ra, da, rssa, b, rb, db, rssb, ss, a / ss, b / ss, b / a, ssi, a / ssi}'
done
runs_all=$(($(runs 19491) - runs_first))
echo; echo "A by thread, ms per collection over the $runs_all collections of the windows (user + system):"
join <(echo "$threads_before") <(threads "$pid_a") |
  awk -v t="$tick" -v r="$runs_all" '$4 + $5 > $2 + $3 {f = 1000 / t / r
    printf "- %s: %.1f (%.1f + %.1f)\n", $1, ($4 + $5 - $2 - $3) * f, ($4 - $2) * f, ($5 - $3) * f}'
