#!/usr/bin/env bash
# The namespaces benchmark (BENCHMARKS.md, "socketstat in every network namespace"): for K = 1, 10
# and 100 network namespaces holding 1,000 established loopback connections each, measures on the
# same sockets, interleaved: one socketstat collection of the real exporter from the tarball with
# its defaults (every namespace; netlink entering each with setns, as root), the same with
# -task-socketstat-source proc (/proc/<pid>/net), and `ss -tanp` run in each namespace through
# `ip netns exec`, plus once in the root namespace (the baseline: what a script would do to see the
# same sockets as the exporter, which reads the root namespace too). CPU is user +
# system time; the exporter's is per collection, from /proc/<pid>/stat over several collections.
# Usage: bench/namespaces.sh [K ...]   (default 1 10 100; needs root, ss, python3, curl)
# Everything it makes (namespaces pb-<random>-<i>, the connection holder, the exporters) is removed
# on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 10 100)
connections=1000
interval=2      # seconds between the exporter's collections
windows=3       # collections measured per exporter (at least)
runs=3          # runs of the ss loop (median)

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -pl planet-dist -am package -DskipTests
fi
tarball=$(ls planet-dist/target/planet-exporter-*.tar.gz | head -n 1)
work=$(mktemp -d /tmp/planet-bench-ns-XXXXXX)
tar -xzf "$tarball" -C "$work"
home=$(ls -d "$work"/planet-exporter-*)
suffix=$(printf '%06x' $((RANDOM * 32768 + RANDOM)) | cut -c1-6)
namespaces=()
pids=()
holders=()

stop_holders() {
  for pid in "${holders[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  holders=()
}

cleanup() {
  stop_holders
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The file limit (often 20,000, not to be raised without CAP_SYS_RESOURCE) bounds one holder to
# this many namespaces of 2 x 1,000 sockets and a listener each.
per_holder=$(( ($(ulimit -n) - 100) / (2 * connections + 1) ))

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
metric() { curl -s "http://$1/metrics" | awk -v m="$2" 'index($0, m) == 1 {print $NF; exit}'; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# Starts an exporter, lets it make 2 collections, then prints: ms CPU per collection, RSS MiB,
# namespaces read in its last collection.
measure_exporter() {
  local log="$work/exporter-$RANDOM.log"
  "$home/bin/planet-exporter" -listen-address 127.0.0.1:0 \
    -task-socketstat-interval "${interval}s" "$@" 2>"$log" &
  local pid=$!
  pids+=("$pid")
  local address=
  for _ in $(seq 100); do
    address=$(grep -o 'address="\?127.0.0.1:[0-9]*' "$log" | head -n 1 | sed 's/.*address="\?//') || true
    [ -n "$address" ] && break
    sleep 0.2
  done
  local runs_metric='planet_task_runs_total{collector="socketstat"}'
  until [ "$(metric "$address" "$runs_metric" | cut -d. -f1)" -ge 2 ] 2>/dev/null; do sleep 0.5; done
  # Few scrapes around the window, so that rendering /metrics barely counts; a collection may
  # take longer than the interval, so the window lasts until enough of them are done.
  local first_runs first_cpu last_runs last_cpu
  first_runs=$(metric "$address" "$runs_metric" | cut -d. -f1)
  first_cpu=$(cpu_ticks "$pid")
  sleep $((windows * interval))
  last_runs=$(metric "$address" "$runs_metric" | cut -d. -f1)
  while [ "$last_runs" -lt $((first_runs + windows)) ]; do
    sleep "$interval"
    last_runs=$(metric "$address" "$runs_metric" | cut -d. -f1)
  done
  last_cpu=$(cpu_ticks "$pid")
  local read wall
  read=$(metric "$address" 'planet_socketstat_namespaces ')
  wall=$(metric "$address" 'planet_socketstat_collection_duration_seconds ')
  echo "$(( (last_cpu - first_cpu) * 1000 / ticks / (last_runs - first_runs) )) $(rss_mib "$pid") ${read%.*} $wall"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

# CPU (user + system, ms) of `ss -tanp` run in the root namespace, which the exporter reads too,
# and once in each of the namespaces through ip netns exec.
measure_ss() {
  local TIMEFORMAT='%3U %3S'
  local spent
  spent=$( { time (ss -tanp >/dev/null; for ns in "$@"; do ip netns exec "$ns" ss -tanp >/dev/null; done) ; } 2>&1 )
  awk '{printf "%.0f\n", ($1 + $2) * 1000}' <<<"$spent"
}

echo "| namespaces x connections | exporter, netlink: CPU / collection (wall of the last) | exporter, proc: CPU / collection (wall) | \`ss -tanp\` in each namespace: CPU | netlink / ss | proc / ss | RSS netlink / proc | namespaces read |"
echo "|---|---|---|---|---|---|---|---|"
made=0
for k in "${sizes[@]}"; do
  while [ "$made" -lt "$k" ]; do
    ns="pb-$suffix-$made"
    ip netns add "$ns"
    namespaces+=("$ns")
    ip -n "$ns" link set lo up
    # A process in the namespace, as a container has: socketstat finds namespaces through them.
    ip netns exec "$ns" sleep 100000 &
    pids+=("$!")
    made=$((made + 1))
  done
  stop_holders
  for ((first = 0; first < k; first += per_holder)); do
    count=$(( k - first < per_holder ? k - first : per_holder ))
    out="$work/holder-$first.out"
    python3 bench/netns_connections.py "$connections" "${namespaces[@]:$first:$count}" >"$out" &
    holders+=("$!")
    until grep -q ready "$out" 2>/dev/null; do sleep 0.2; done
  done
  netlink=$(measure_exporter)
  proc=$(measure_exporter -task-socketstat-source proc)
  ss_ms=$(for _ in $(seq "$runs"); do measure_ss "${namespaces[@]:0:$k}"; done | median)
  read -r n_cpu n_rss n_read n_wall <<<"$netlink"
  read -r p_cpu p_rss _ p_wall <<<"$proc"
  awk -v k="$k" -v c="$connections" -v n="$n_cpu" -v p="$p_cpu" -v s="$ss_ms" -v nw="$n_wall" \
    -v pw="$p_wall" -v nr="$n_rss" -v pr="$p_rss" -v read="$n_read" 'BEGIN {
      printf "| %d x %d | %d ms (%.1f s) | %d ms (%.1f s) | %d ms | %.2f | %.2f | %d / %d MiB | %d |\n",
        k, c, n, nw, p, pw, s, n / s, p / s, nr, pr, read }'
done
echo
echo "root namespace: $(ss -tan | tail -n +2 | wc -l) TCP sockets; load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
