#!/usr/bin/env bash
# The fleet map benchmark (BENCHMARKS.md, "planet-map on 10,000 hosts"): writes a synthetic fleet
# as OpenMetrics, loads it into a real Prometheus with `promtool tsdb create-blocks-from
# openmetrics`, times planet-map's /api/graph (whole fleet, one neighbourhood) over the raw series,
# then backfills the recording rules with `promtool tsdb create-blocks-from rules` (in two passes:
# the owner table first, loaded, then the rules that join it), restarts Prometheus and times the
# same requests over the recorded series. The whole fleet is planet-map's background graph
# (-fleet-graph-range set to the run's range): its GET is answered from memory, and its
# Server-Timing's prometheus/build stages are those of its last refresh. The neighbourhoods are
# asked live. At the end: one evaluation of the rules' planet-map group at the fleet's last sample
# (each rule's expression asked of Prometheus, the medians of 3 added up; BASELINE_RULES=file also
# times another rules file's group in the same run) and planet-map's RSS.
# The fleet serves socketstat's edge health too (RTT and retransmitted bytes on every edge, a few
# edges retransmitting or failing to connect, the listeners' accept queues), and each whole graph's
# edges are counted by the health figures they carry (stderr).
# Usage: bench/map.sh [hosts] [edges per host] [runs]   (default 10000 30 5)
# Environment:
#   RAW_RUNS=2        timed requests over the raw series, which take minutes each
#   SKIP_RAW=1        time only the recorded series (with a warm cache: a minute or two in all)
#   BENCH_CACHE=dir   where the loaded TSDB blocks are kept between runs (default
#                     ~/.cache/planet-map-bench): the fleet's blocks keyed by hosts, edges and the
#                     generator's hash, the rules' blocks below them keyed by the rules file's hash,
#                     and both merged into one block by Prometheus (compacted/). A rerun with the
#                     same keys skips writing, loading, backfilling and merging. Delete the
#                     directory to start afresh; BENCH_CACHE=off to use no cache.
#   RECORDED=1        write the fleet as the rules record it (the hostgroup:* series, no raw
#                     series, no rules): planet-map's side alone at sizes whose raw series this
#                     machine cannot load or evaluate, e.g. `RECORDED=1 bench/map.sh 50000` (2,500
#                     nodes, 75,000 edges, 605,000 series); planet-map then reads up to
#                     MAX_SERIES (default 1000000) series a request
#   BENCH_SKIP_BUILD=1  use the tarball already in planet-dist/target
#   BASELINE_TARBALL=path  also time the planet-map of another tarball (e.g. main's), against the
#                     same Prometheus in the same run, for a ratio (recorded series only)
#   RULE_RUNS=3       evaluations of each rule timed (the median kept)
#   BASELINE_RULES="file..."  also time one evaluation of other rules files' planet-map group (e.g.
#                     main's: git show main:planet-dist/src/dist/rules/planet.rules.yml)
# Output: a Markdown table of median seconds per request, with the map's Server-Timing stages.
# Needs: Debian's prometheus (prometheus, promtool), curl, awk, sha256sum; about 1 GiB of disk in
# $TMPDIR while the fleet is written (10,000 hosts: 2.44 million series, half of them edge health),
# 700 MB in the cache, several GiB of memory. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-10000}
edges=${2:-30}
runs=${3:-5}
groups=$((hosts / 20))
focus=$(printf "hg%03d" $((groups / 3)))

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -pl planet-dist -am package -DskipTests
fi
tarball=$(ls planet-dist/target/planet-exporter-*.tar.gz | head -n 1)
work=$(mktemp -d "${TMPDIR:-/tmp}/planet-map-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
tar -xzf "$tarball" -C "$work"
home=$(ls -d "$work"/planet-exporter-*)

elapsed() { awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - start }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || shuf -i 20000-60000 -n 1; }
prom_port=$(free_port)
map_port=$(free_port)

# --- the fleet: $hosts hosts in $groups hostgroups of 20; host h is in hostgroup h % groups and
# connects to $edges other hostgroups (one host each, the hostgroup's service port 1000 + group).
# Two samples a minute apart, ending at $end (enough for rate() and for the rules' evaluation at
# the end; more only make promtool's load longer); the byte counters grow at a per-edge rate.
# Edge health as socketstat serves it (docs/metrics.md, "Edge health"), decided per pair of
# hostgroups (hostgroup g's i-th dependency), as a faulty path or a dependency that is down hurts
# every host behind it and so shows on the map's edge: every edge has an RTT on both ends (0.2-4.1
# ms, ten times that where it retransmits, plus up to 0.09 ms per host) and a retransmitted
# counter on both ends, flat (0, or an old count) on most edges; 1 edge in 31 retransmits 0.8 %
# (amber on the map) or 3 % (red) of what each end sends; 1 in 300 fails to connect (refused,
# timeout or other, 0.1-0.5 connects/s per host). Every host's listener has its accept queue:
# empty on most, a few connections on 1 host in 41, full on 1 in 997. Shared by both generators,
# so that the recorded series written directly are those the rules make of the raw ones, but for
# the values: the recorded generator takes the byte rates per hostgroup, and rate() over the raw
# fleet's two samples extrapolates (connect failures: up to 4.9/s from the rules, 10/s written).
shape_awk='
function hg(g) { return sprintf("hg%03d", g) }
function target_group(g, i) { return (g + 1 + i * int((groups - 1) / edges)) % groups }
function lossy(g, i) { return (g * 7 + i * 13) % 31 == 0 }
function loss(g, i) { return (g + i) % 2 ? 0.008 : 0.03 }
function failing(g, i) { return (g * 7 + i * 3) % 300 == 0 }
function failures(g, i) { return ((g * 3 + i) % 5 + 1) / 10 }
function reason(g, i,   r) { r = (g + i) % 5; return r < 3 ? "refused" : r < 4 ? "timeout" : "other" }
function rtt(g, i) { return (2 + (g * 17 + i * 13) % 40) / 10000 * (lossy(g, i) ? 10 : 1) }
'
# The edges' and listeners' container, unit and workload (empty on a host without containers) and
# a failed connect's empty process_name are left out: Prometheus stores an empty label as none.
fleet_awk=$shape_awk'
function ip(h) { return "198.18." int(h / 256) "." (h % 256) }
function target_host(h, i, tg) { return tg + groups * ((int(h / groups) + i) % 20) }
function samples(series, value, step,   k) {
  for (k = 1; k >= 0; k--) printf "%s %.10g %d\n", series, (step ? value * (2 - k) * 60 : value), end - k * 60
}
# The labels of host h'"'"'s i-th upstream, or of its server'"'"'s downstream from h (side "down"), without
# process_name; rate: its egress bytes/s (the downstream sends ten times as much).
function edge(h, i, side,   g, tg, th) { g = h % groups; tg = target_group(g, i); th = target_host(h, i, tg)
  rate = (h * 31 + i * 7) % 1000 + 1
  if (side == "down")
    return sprintf("local_hostgroup=\"%s\",remote_hostgroup=\"%s\",local_address=\"%s\",remote_address=\"%s\",port=\"%d\",protocol=\"tcp\"", hg(tg), hg(g), ip(th), ip(h), 1000 + tg)
  return sprintf("local_hostgroup=\"%s\",remote_hostgroup=\"%s\",local_address=\"%s\",remote_address=\"%s\",port=\"%d\",protocol=\"tcp\"", hg(g), hg(tg), ip(h), ip(th), 1000 + tg) }
function host_rtt(h, i) { return rtt(h % groups, i) + (int(h / groups) % 10) / 100000 }
# What an end sent again: a growing counter on a lossy edge, else a flat one.
function retransmitted(series, h, i, sent) {
  if (lossy(h % groups, i)) samples(series, sent * loss(h % groups, i), 1)
  else samples(series, (h + i) % 7 ? 0 : (h * 131 + i) % 100000, 0) }
BEGIN {
  print "# TYPE planet_upstream gauge"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++)
    samples("planet_upstream{" edge(h, i, "up") ",process_name=\"p" (i % 5) "\"}", 1, 0)
  print "# TYPE planet_downstream gauge"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++)
    samples("planet_downstream{" edge(h, i, "down") ",process_name=\"srv\"}", 1, 0)
  print "# TYPE planet_upstream_bytes counter"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++) {
    labels = edge(h, i, "up") ",process_name=\"p" (i % 5) "\""
    samples("planet_upstream_bytes_total{" labels ",direction=\"egress\"}", rate, 1)
    samples("planet_upstream_bytes_total{" labels ",direction=\"ingress\"}", rate * 10, 1) }
  print "# TYPE planet_upstream_rtt_seconds gauge"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++)
    samples("planet_upstream_rtt_seconds{" edge(h, i, "up") ",process_name=\"p" (i % 5) "\"}", host_rtt(h, i), 0)
  print "# TYPE planet_downstream_rtt_seconds gauge"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++)
    samples("planet_downstream_rtt_seconds{" edge(h, i, "down") ",process_name=\"srv\"}", host_rtt(h, i), 0)
  print "# TYPE planet_upstream_retransmitted_bytes counter"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++) { labels = edge(h, i, "up")
    retransmitted("planet_upstream_retransmitted_bytes_total{" labels ",process_name=\"p" (i % 5) "\"}", h, i, rate) }
  print "# TYPE planet_downstream_retransmitted_bytes counter"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++) { labels = edge(h, i, "down")
    retransmitted("planet_downstream_retransmitted_bytes_total{" labels ",process_name=\"srv\"}", h, i, rate * 10) }
  # A failed connect has no process (docs/metrics.md): process_name is served empty.
  print "# TYPE planet_upstream_connect_failures counter"
  for (h = 0; h < hosts; h++) for (i = 0; i < edges; i++) if (failing(h % groups, i))
    samples("planet_upstream_connect_failures_total{" edge(h, i, "up") ",reason=\"" reason(h % groups, i) "\"}", failures(h % groups, i), 1)
  # Each host listens on its hostgroup'"'"'s service port (planet_server_process'"'"'s labels).
  for (f = 0; f < 2; f++) {
    print "# TYPE planet_server_accept_queue" (f ? "_limit" : "") " gauge"
    for (h = 0; h < hosts; h++) { g = h % groups
      samples(sprintf("planet_server_accept_queue%s{local_hostgroup=\"%s\",bind=\"%s:%d\",process_name=\"srv\",port=\"%d\",protocol=\"tcp\"}", f ? "_limit" : "", hg(g), ip(h), 1000 + g, 1000 + g),
        f || h % 997 == 0 ? 4096 : h % 41 == 0 ? 1 + h % 3 : 0, 0) } }
  # Who owns the address of each host (planet_address_info of its exporter): the rules join every edge
  # end on it.
  print "# TYPE planet_address_info gauge"
  for (h = 0; h < hosts; h++)
    samples(sprintf("planet_address_info{address=\"%s\",hostname=\"host%05d\",workload=\"\",container=\"\",unit=\"\"}", ip(h), h), 1, 0)
  print "# TYPE planet_hostname gauge"
  for (h = 0; h < hosts; h++)
    samples(sprintf("planet_hostname{local_hostgroup=\"%s\",hostname=\"host%05d\",domain=\"\",ip=\"%s\"}", hg(h % groups), h, ip(h)), 1, 0)
  print "# EOF"
}'

# --- the same fleet as the rules record it: per pair of hostgroups and port, the upstream and
# downstream counts (20 hosts a group), bytes/s each way, the edge health, hosts and peer addresses
# per node.
recorded_awk=$shape_awk'
function samples(series, value,   k) {
  for (k = 1; k >= 0; k--) printf "%s %.10g %d\n", series, value, end - k * 60
}
function ends(a, b) { return sprintf("local_hostgroup=\"%s\",local_node=\"%s\",remote_hostgroup=\"%s\",remote_node=\"%s\"", a, a, b, b) }
# The i-th dependency of hostgroup g, from its connecting end (or its serving end: side "down").
function pair(g, i, side,   tg) { tg = target_group(g, i)
  rate = (g * 31 + i * 7) % 1000 + 1
  return sprintf("%s,port=\"%d\",protocol=\"tcp\"", side == "down" ? ends(hg(tg), hg(g)) : ends(hg(g), hg(tg)), 1000 + tg) }
BEGIN {
  print "# TYPE hostgroup:planet_upstream:count gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++)
    samples("hostgroup:planet_upstream:count{" pair(g, i, "up") ",process_name=\"p" (i % 5) "\"}", 20)
  print "# TYPE hostgroup:planet_downstream:count gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++)
    samples("hostgroup:planet_downstream:count{" pair(g, i, "down") ",process_name=\"srv\"}", 20)
  print "# TYPE hostgroup:planet_upstream_bytes:rate5m gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++) { labels = pair(g, i, "up")
    samples("hostgroup:planet_upstream_bytes:rate5m{" labels ",direction=\"egress\"}", rate * 20)
    samples("hostgroup:planet_upstream_bytes:rate5m{" labels ",direction=\"ingress\"}", rate * 200) }
  print "# TYPE hostgroup:planet_upstream_rtt_seconds:avg gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++)
    samples("hostgroup:planet_upstream_rtt_seconds:avg{" pair(g, i, "up") "}", rtt(g, i) + 0.000045)
  print "# TYPE hostgroup:planet_downstream_rtt_seconds:avg gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++)
    samples("hostgroup:planet_downstream_rtt_seconds:avg{" pair(g, i, "down") "}", rtt(g, i) + 0.000045)
  print "# TYPE hostgroup:planet_upstream_retransmitted_bytes:rate5m gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++) { labels = pair(g, i, "up")
    samples("hostgroup:planet_upstream_retransmitted_bytes:rate5m{" labels "}", lossy(g, i) ? rate * 20 * loss(g, i) : 0) }
  print "# TYPE hostgroup:planet_downstream_retransmitted_bytes:rate5m gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++) { labels = pair(g, i, "down")
    samples("hostgroup:planet_downstream_retransmitted_bytes:rate5m{" labels "}", lossy(g, i) ? rate * 200 * loss(g, i) : 0) }
  print "# TYPE hostgroup:planet_upstream_connect_failures:rate5m gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++) if (failing(g, i))
    samples("hostgroup:planet_upstream_connect_failures:rate5m{" pair(g, i, "up") "}", 20 * failures(g, i))
  print "# TYPE hostgroup:planet_hosts:count gauge"
  for (g = 0; g < groups; g++) samples(sprintf("hostgroup:planet_hosts:count{local_hostgroup=\"%s\",local_node=\"%s\"}", hg(g), hg(g)), 20)
  print "# TYPE hostgroup:planet_remote_addresses:count gauge"
  for (g = 0; g < groups; g++) samples(sprintf("hostgroup:planet_remote_addresses:count{remote_hostgroup=\"%s\",remote_node=\"%s\"}", hg(g), hg(g)), 20)
  print "# EOF"
}'
if [ "${RECORDED:-}" = 1 ]; then
  fleet_awk=$recorded_awk
  fleet_kind=recorded
else
  fleet_kind=fleet
fi

# --- the cache: blocks are immutable once written, and Prometheus replaces rather than rewrites
# their files, so each run gets hard links to the cached blocks and the cache stays as it was.
cache_root=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/planet-map-bench}
[ "$cache_root" = off ] && cache_root="$work/cache"
fleet_cache="$cache_root/${fleet_kind}-${hosts}x${edges}-$(printf '%s' "$fleet_awk" | sha256sum | cut -c1-12)"
rules_cache="$fleet_cache/rules-$(sha256sum < "$home/rules/planet.rules.yml" | cut -c1-12)"
mkdir -p "$cache_root" "$work/data"
link_blocks() { cp -al "$1"/blocks/. "$work/data/" 2>/dev/null || cp -a "$1"/blocks/. "$work/data/"; }

if [ -f "$fleet_cache/end" ]; then
  echo "fleet: cached in $fleet_cache" >&2
else
  end=$(( $(date +%s) / 60 * 60 ))
  echo "writing the fleet: $hosts hosts x $edges edges" >&2
  start_s=$(date +%s.%N)
  awk -v hosts="$hosts" -v edges="$edges" -v groups="$groups" -v end="$end" "$fleet_awk" > "$work/fleet.om"
  series=$(grep -c -v '^#' "$work/fleet.om")
  echo "fleet: $((series / 2)) series, $(du -h "$work/fleet.om" | cut -f1), written in $(elapsed "$start_s") s" >&2
  start_s=$(date +%s.%N)
  rm -rf "$fleet_cache.tmp" && mkdir -p "$fleet_cache.tmp/blocks"
  promtool tsdb create-blocks-from openmetrics "$work/fleet.om" "$fleet_cache.tmp/blocks" >/dev/null
  echo "loaded with promtool in $(elapsed "$start_s") s" >&2
  rm "$work/fleet.om"
  echo "$end" > "$fleet_cache.tmp/end"
  rm -rf "$fleet_cache" && mv "$fleet_cache.tmp" "$fleet_cache"
fi
end=$(cat "$fleet_cache/end")
link_blocks "$fleet_cache"
# The map's range reaches back to the fleet's samples, however old the cache: whole hours, at
# least 1h (the answer is the same graph; Prometheus reads the same blocks).
range="$(( ( $(date +%s) - end + 120 + 3599 ) / 3600 ))h"
live_range="$(( ( $(date +%s) - end + 120 + 3599 ) / 3600 + 1 ))h"
printf 'global:\n  evaluation_interval: 1m\n' > "$work/prometheus.yml"

start_prometheus() {
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
    --storage.tsdb.retention.time=10y --query.timeout=30m --web.listen-address="127.0.0.1:$prom_port" \
    --log.level=warn >"$work/prometheus.log" 2>&1 &
  prom_pid=$!
  pids+=("$prom_pid")
  until curl -fs "http://127.0.0.1:$prom_port/-/ready" >/dev/null; do sleep 0.5; done
}
stop_prometheus() { kill "$prom_pid"; wait "$prom_pid" 2>/dev/null || true; }

# Median of the seconds curl takes for $2 GETs of $1, after $3 unmeasured warm-up GETs (the JVM
# compiles the hot paths in the first few).
time_get() {
  local url=$1 n=$2 warm=${3:-1} status
  for _ in $(seq "$warm"); do
    status=$(curl -s -o "$work/answer" -w '%{http_code}' "$url")
    [ "$status" = 200 ] || { echo "GET $url: $status $(head -c 300 "$work/answer")" >&2; exit 1; }
  done
  for _ in $(seq "$n"); do curl -s -o /dev/null -D "$work/headers" -w '%{time_total}\n' "$url"; done | sort -n |
    awk '{ t[NR] = $1 } END { printf "%.3f", (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

# Waits until planet-map's background graph was refreshed after $1 (seconds since the epoch) with
# no failure: after Prometheus restarts, the graph it kept is the one from before.
wait_fresh() {
  local since=$1 deadline=$(( $(date +%s) + 1800 )) answer
  while :; do
    answer=$(curl -s "http://127.0.0.1:$map_port/api/graph?range=$range" | tail -c 2000)
    computed=$(printf '%s' "$answer" | grep -o '"computed_at":[0-9]*' | cut -d: -f2)
    if [ -n "$computed" ] && [ "$computed" -ge "$since" ] && ! printf '%s' "$answer" | grep -q '"refresh_error"'; then
      return
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { echo "the fleet graph was not refreshed" >&2; exit 1; }
    sleep 2
  done
}

# The map's Server-Timing of the last timed GET, in ms: "prometheus/build/write".
stages() { tr -d '\r' < "$work/headers" | awk -F'[=,]' 'tolower($0) ~ /^server-timing:/ { printf "%.0f/%.0f/%.0f", $2, $4, $6 }'; }

# How many of the whole graph's edges (the answer time_get kept) carry each health figure, how many
# of them above 0, and the largest: a health kind read as empty shows as 0 edges.
health_counts() {
  local field counts=
  for field in connect_failures_per_second retransmitted_ratio rtt_seconds; do
    counts+=$(grep -o "\"$field\":[-0-9.eE+]*" "$work/answer" | awk -F: -v field="$field" '
      { n++; if ($2 > 0) above++; if ($2 > max) max = $2 }
      END { printf "%s on %d edges (%d above 0, max %g); ", field, n, above, max }')
  done
  echo "$1: edge health in the whole graph: ${counts%; }" >&2
}

# The whole fleet twice: over $range, planet-map's background graph (answered from memory), and
# live over $live_range (asked of Prometheus at the request: the same series, as before the
# background graph; a baseline tarball has no background graph and asks both).
measure() {
  local label=$1 n=$2 warm=$3 map_port=${4:-$map_port} whole live around around2 nodes edges whole_stages live_stages around_stages
  whole=$(time_get "http://127.0.0.1:$map_port/api/graph?range=$range" "$n" "$warm")
  whole_stages=$(stages)
  nodes=$(grep -o '"title"' "$work/answer" | wc -l)
  edges=$(grep -o '"source"' "$work/answer" | wc -l)
  health_counts "$label"
  live=$(time_get "http://127.0.0.1:$map_port/api/graph?range=$live_range" "$n" "$warm")
  live_stages=$(stages)
  around=$(time_get "http://127.0.0.1:$map_port/api/graph?range=$range&hostgroup=$focus&depth=1" "$n" "$warm")
  around_stages=$(stages)
  around2=$(time_get "http://127.0.0.1:$map_port/api/graph?range=$range&hostgroup=$focus&depth=2" "$n" "$warm")
  printf '| %s | %s | %s | %s | %s | %s nodes, %s edges | %s | %s | %s | %s |\n' "$label" "$whole" "$live" \
    "$around" "$around2" "$nodes" "$edges" "${whole_stages:-n/a}" "${live_stages:-n/a}" "${around_stages:-n/a}" \
    "$(tr -d '\n' < "$work/recorded")"
}

# The fleet's and the rules' blocks overlap in time, and Prometheus merges overlapping blocks a
# minute after it starts (20 s of both CPUs here): a measurement must not run meanwhile. So the
# merged block is made once, with Prometheus stopped around it, and cached beside the rules'.
use_recorded_blocks() {
  rm -rf "$work/data" && mkdir "$work/data"
  if [ ! -d "$rules_cache/compacted/blocks" ]; then
    link_blocks "$fleet_cache"
    link_blocks "$rules_cache"
    start_prometheus
    start_s=$(date +%s.%N)
    local deadline=$(( $(date +%s) + 900 ))
    until [ "$(curl -s "http://127.0.0.1:$prom_port/metrics" |
      awk '/^prometheus_tsdb_compactions_total / { print $2 + 0 }')" -ge 1 ] 2>/dev/null; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "Prometheus did not merge the blocks" >&2; exit 1; }
      sleep 2
    done
    stop_prometheus
    rm -rf "$rules_cache/compacted.tmp" && mkdir -p "$rules_cache/compacted.tmp/blocks"
    for block in "$work"/data/*/; do
      [ -f "$block/meta.json" ] || continue
      cp -al "$block" "$rules_cache/compacted.tmp/blocks/" 2>/dev/null ||
        cp -a "$block" "$rules_cache/compacted.tmp/blocks/"
    done
    mv "$rules_cache/compacted.tmp" "$rules_cache/compacted"
    echo "fleet and rules merged into one block by Prometheus in $(elapsed "$start_s") s" >&2
    rm -rf "$work/data" && mkdir "$work/data"
  fi
  link_blocks "$rules_cache/compacted"
}

# Only the recorded series wanted and their blocks cached: Prometheus starts with them at once.
rules_linked=0
if [ "${SKIP_RAW:-}" = 1 ] && [ -d "$rules_cache/blocks" ]; then
  use_recorded_blocks
  rules_linked=1
fi
start_prometheus
# Started once the series it is timed on are there: its background graph asks for the whole fleet
# at once, which over the raw series takes minutes of both CPUs.
map_pid=
start_map() {
  "$home/bin/planet-map" -prometheus-url "http://127.0.0.1:$prom_port" \
    -listen-address "127.0.0.1:$map_port" -query-timeout 30m -fleet-graph-range "$range" \
    ${RECORDED:+-prometheus-max-series "${MAX_SERIES:-1000000}"} -log-level warn 2>"$work/map.log" &
  map_pid=$!
  pids+=("$map_pid")
  until curl -fs "http://127.0.0.1:$map_port/-/healthy" >/dev/null; do sleep 0.5; done
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "| series | whole fleet, kept (s) | whole fleet, live (s) | $focus, depth 1 (s) | $focus, depth 2 (s) | whole graph | kept: prometheus/build/write (ms) | live: the same (ms) | depth 1: the same (ms) | recorded series used |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "none" > "$work/recorded"
# planet-map's memory: the kernel's peak and current RSS, and the heap after a full collection.
memory() {
  echo "planet-map memory: $(grep -E '^Vm(HWM|RSS)' "/proc/$map_pid/status" | tr -s ' \n' ' ')" >&2
  jcmd "$map_pid" GC.run >/dev/null 2>&1 &&
    echo "planet-map heap after a full GC: $(jcmd "$map_pid" GC.heap_info 2>/dev/null | grep -E 'generation|Metaspace' | tr -s ' ' | paste -sd ';')" >&2 || true
}
if [ "${RECORDED:-}" = 1 ]; then
  start_map
  wait_fresh 0
  echo '["hostgroup:* written directly"]' > "$work/recorded"
  measure "recorded series written directly" "$runs" 5
  memory
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  exit 0
fi
# Raw queries take minutes on a loaded machine: fewer of them (SKIP_RAW=1: none, only the rules).
if [ "${SKIP_RAW:-}" != 1 ]; then
  start_map
  wait_fresh 0
  measure "raw (no rules)" "${RAW_RUNS:-2}" 1
fi

# --- the rules, backfilled over the fleet's last minute (once per rules file, then cached), then
# Prometheus restarted to load them.
if [ "$rules_linked" = 1 ]; then
  echo "rules: cached in $rules_cache" >&2
elif [ -d "$rules_cache/blocks" ]; then
  echo "rules: cached in $rules_cache" >&2
else
  start_s=$(date +%s.%N)
  rm -rf "$rules_cache.tmp" && mkdir -p "$rules_cache.tmp"
  # promtool evaluates each rule against the loaded blocks only, where an earlier rule's output is
  # not: the owner table is backfilled and loaded first, then the rules that join it.
  awk '/^  - name: planet-map$/ { print "groups:"; print; getline; print; getline; print; next }
    /- record: address:planet_address:owner$/ { keep = 1 }
    keep && /^      (#|- record:)/ && !/address:planet_address:owner$/ { exit }
    keep' "$home/rules/planet.rules.yml" > "$work/owner.rules.yml"
  awk '/- record: address:planet_address:owner$/ { skip = 1; next }
    skip && /^      (#|- record:)|^  - name:/ { skip = 0 }
    !skip' "$home/rules/planet.rules.yml" > "$work/joined.rules.yml"
  backfill() {
    promtool tsdb create-blocks-from rules --start="$((end - 60))" --end="$((end + 120))" \
      --url="http://127.0.0.1:$prom_port" --output-dir="$rules_cache.tmp/$2" \
      "$1" >"$work/backfill.log" 2>&1 || { cat "$work/backfill.log" >&2; exit 1; }
  }
  backfill "$work/owner.rules.yml" owner/blocks
  stop_prometheus
  link_blocks "$rules_cache.tmp/owner"
  start_prometheus
  backfill "$work/joined.rules.yml" blocks
  cp -al "$rules_cache.tmp/owner/blocks/." "$rules_cache.tmp/blocks/"
  echo "rules backfilled in $(elapsed "$start_s") s (both passes)" >&2
  rm -rf "$rules_cache" && mv "$rules_cache.tmp" "$rules_cache"
fi
if [ "$rules_linked" != 1 ]; then
  stop_prometheus
  use_recorded_blocks
  start_prometheus
fi
restarted=$(date +%s)
[ -n "$map_pid" ] || start_map
wait_fresh "$restarted"
curl -s "http://127.0.0.1:$map_port/api/graph?range=$range&hostgroup=$focus" |
  grep -o '"recorded_series":\[[^]]*\]' | sed 's/"recorded_series"://' > "$work/recorded"
measure "recorded (rules)" "$runs" 5
if [ -n "${BASELINE_TARBALL:-}" ]; then
  mkdir "$work/baseline" && tar -xzf "$BASELINE_TARBALL" -C "$work/baseline"
  base_port=$(free_port)
  "$(ls -d "$work"/baseline/planet-exporter-*)/bin/planet-map" -prometheus-url "http://127.0.0.1:$prom_port" \
    -listen-address "127.0.0.1:$base_port" -query-timeout 30m -log-level warn 2>"$work/baseline.log" &
  pids+=("$!")
  until curl -fs "http://127.0.0.1:$base_port/-/healthy" >/dev/null; do sleep 0.5; done
  measure "recorded (rules), baseline $(basename "$BASELINE_TARBALL")" "$runs" 5 "$base_port"
  measure "recorded (rules), again" "$runs" 1
fi

# --- one evaluation of the rules' planet-map group at the fleet's last sample: each recording
# rule's expression asked at that time (count() of it, so that Prometheus evaluates it and writes
# one number), the median of RULE_RUNS per rule, added up. The owner table's recorded series are in the
# blocks, so the rules that join it read them as a running Prometheus's next rules do.
rule_runs=${RULE_RUNS:-3}
rule_exprs() {
  awk '/^  - name:/ { group = $3 } group != "planet-map" { next }
    /- record:/ { if (expr != "") print name "\t" expr; name = $3; expr = ""; inexpr = 0; next }
    /expr: \|/ { inexpr = 1; next }
    inexpr && /^          / { sub(/^ +/, ""); expr = expr " " $0; next }
    { inexpr = 0 }
    END { if (expr != "") print name "\t" expr }' "$1"
}
time_group() {
  local total=0 name expr t
  while IFS=$'\t' read -r name expr; do
    t=$(for _ in $(seq "$rule_runs"); do
      curl -s -o "$work/rule" -w '%{time_total}\n' --data-urlencode "query=count(($expr))" \
        --data-urlencode "time=$end" "http://127.0.0.1:$prom_port/api/v1/query"
      grep -q '"status":"success"' "$work/rule" || { echo "$name failed: $(head -c 300 "$work/rule")" >&2; exit 1; }
    done | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
    echo "  $name: $t s" >&2
    total=$(awk -v a="$total" -v b="$t" 'BEGIN { printf "%.3f", a + b }')
  done < <(rule_exprs "$1")
  echo "$total"
}
echo "rules' planet-map group, one evaluation at 10,000-host scale:" >&2
echo "group evaluation: $(time_group "$home/rules/planet.rules.yml") s (these rules)" >&2
for rules in ${BASELINE_RULES:-}; do
  echo "group evaluation: $(time_group "$rules") s ($rules)" >&2
done
memory
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
