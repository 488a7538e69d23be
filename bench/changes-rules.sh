#!/usr/bin/env bash
# The new-dependency rules' cost (BENCHMARKS.md, "New-dependency rules on 10,000 hosts"): writes
# the history those rules read for the node-level edges of bench/map.sh's fleet (10,000 hosts in
# 500 hostgroups, each hostgroup connecting to 30 others: 15,000 edges) as OpenMetrics, loads it
# into a real Prometheus with `promtool tsdb create-blocks-from openmetrics`, and times one
# evaluation of each rule of rules/planet-changes.rules.yml at the history's end, as Prometheus's
# engine reports it (the query API's stats=all: evalTotalTime, without the JSON of the answer).
# Baseline in the same run: `count(hostgroup:planet_edge:present)`, the cheapest read of every
# edge, so that ratios hold on a noisy machine.
#
# History, per edge: hostgroup:planet_upstream:count for the last 70 minutes, the minutely
# hostgroup:planet_edge:present for the last 3 hours, the hourly hostgroup:planet_edge:present_max1h
# for the last 8 days and the 10-minutely hostgroup:planet_edge:seen_7d for the last 2 hours (what the rules have
# written after running that long). One edge in 100 is new
# (only in the last 10 minutes).
#
# Usage: bench/changes-rules.sh [groups] [edges per group] [runs]   (default 500 30 7)
# Needs: Debian's prometheus (prometheus, promtool), curl, awk, python3, sha256sum; about 1 GiB of
# disk in $TMPDIR while the history is written, 300 MB in the cache. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
groups=${1:-500}
edges=${2:-30}
runs=${3:-7}
rules=planet-dist/src/dist/rules/planet-changes.rules.yml
work=$(mktemp -d "${TMPDIR:-/tmp}/planet-changes-bench.XXXXXX")
prom_pid=
cleanup() {
  [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
elapsed() { awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - start }'; }

history_awk='
function hg(g) { return sprintf("hg%03d", g) }
function target_group(g, i) { return (g + 1 + i * int((groups - 1) / edges)) % groups }
function labels(g, i,   tg) { tg = target_group(g, i)
  return sprintf("local_node=\"%s\",remote_node=\"%s\",remote_hostgroup=\"%s\",port=\"%d\",protocol=\"tcp\"", hg(g), hg(tg), hg(tg), 1000 + tg) }
function fresh(g, i) { return (g * edges + i) % 100 == 0 }
BEGIN {
  print "# TYPE hostgroup:planet_edge:present_max1h gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++) if (!fresh(g, i))
    for (k = 192; k >= 0; k--) printf "hostgroup:planet_edge:present_max1h{%s} 1 %d\n", labels(g, i), end - k * 3600
  print "# TYPE hostgroup:planet_edge:seen_7d gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++) if (!fresh(g, i))
    for (k = 12; k >= 0; k--) printf "hostgroup:planet_edge:seen_7d{%s} 1 %d\n", labels(g, i), end - k * 600
  print "# TYPE hostgroup:planet_edge:present gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++)
    for (k = fresh(g, i) ? 10 : 180; k >= 0; k--) printf "hostgroup:planet_edge:present{%s} 1 %d\n", labels(g, i), end - k * 60
  print "# TYPE hostgroup:planet_upstream:count gauge"
  for (g = 0; g < groups; g++) for (i = 0; i < edges; i++)
    for (k = fresh(g, i) ? 10 : 70; k >= 0; k--) printf "hostgroup:planet_upstream:count{local_hostgroup=\"%s\",%s,process_name=\"p%d\"} 20 %d\n", hg(g), labels(g, i), i % 5, end - k * 60
  print "# EOF"
}'

# promtool reads the whole input once per two hours of it (eight days: 96 times), so the loaded
# blocks are cached as bench/map.sh caches its own (BENCH_CACHE, default ~/.cache/planet-changes-bench,
# keyed by the size and the generator; "off" for none) and linked into each run's data.
cache_root=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/planet-changes-bench}
[ "$cache_root" = off ] && cache_root="$work/cache"
cache="$cache_root/${groups}x${edges}-$(printf '%s' "$history_awk" | sha256sum | cut -c1-12)"
if [ ! -f "$cache/end" ]; then
  end=$(( $(date +%s) / 3600 * 3600 - 3600 ))
  start_s=$(date +%s.%N)
  awk -v groups="$groups" -v edges="$edges" -v end="$end" "$history_awk" > "$work/history.om"
  echo "history: $(grep -c -v '^#' "$work/history.om") samples, $(du -h "$work/history.om" | cut -f1), written in $(elapsed "$start_s") s" >&2
  start_s=$(date +%s.%N)
  rm -rf "$cache.tmp" && mkdir -p "$cache.tmp/blocks"
  promtool tsdb create-blocks-from openmetrics "$work/history.om" "$cache.tmp/blocks" >/dev/null
  rm "$work/history.om"
  echo "$end" > "$cache.tmp/end"
  rm -rf "$cache" && mv "$cache.tmp" "$cache"
  echo "loaded with promtool in $(elapsed "$start_s") s" >&2
fi
end=$(cat "$cache/end")
mkdir -p "$work/data"
cp -al "$cache"/blocks/. "$work/data/" 2>/dev/null || cp -a "$cache"/blocks/. "$work/data/"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'global:\n  evaluation_interval: 1m\n' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --storage.tsdb.retention.time=10y --web.listen-address="127.0.0.1:$port" --log.level=warn \
  >"$work/prometheus.log" 2>&1 &
prom_pid=$!
until curl -fs "http://127.0.0.1:$port/-/ready" >/dev/null; do sleep 0.5; done
# promtool writes a block per two hours; a Prometheus that ran for the eight days holds a few large
# blocks instead, which a 7-day range reads far faster. Prometheus compacts them within a minute
# or two of its start: wait for that (block count steady for 30 s after the first compaction).
metric() { curl -fs "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
start_s=$(date +%s.%N)
until [ "$(metric prometheus_tsdb_compactions_triggered_total)" != 0 ]; do sleep 2; done
steady=0 last=
while [ "$steady" -lt 3 ]; do
  blocks=$(metric prometheus_tsdb_blocks_loaded)
  if [ "$blocks" = "$last" ]; then steady=$((steady + 1)); else steady=0 last=$blocks; fi
  sleep 10
done
echo "compacted by Prometheus into $blocks blocks in $(elapsed "$start_s") s" >&2

# Median, min and max over $runs of the engine's evalTotalTime (s) of $1 at $end, after a warm-up.
eval_time() {
  local times=()
  for run in $(seq 0 "$runs"); do
    t=$(curl -fs "http://127.0.0.1:$port/api/v1/query" --data-urlencode "query=$1" \
      --data-urlencode "time=$end" --data-urlencode stats=all |
      python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d["stats"]["timings"]["evalTotalTime"], len(d["result"]))')
    [ "$run" = 0 ] || times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1; n = $2 } END { printf "%.3f %.3f %.3f %d", t[int((NR + 1) / 2)], t[1], t[NR], n }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
base=$(eval_time 'count(hostgroup:planet_edge:present)')
echo "| rule | median s (min-max) | x baseline | series out |"
echo "|---|---|---|---|"
read -r bm bmin bmax _ <<<"$base"
echo "| baseline: count(hostgroup:planet_edge:present) | $bm ($bmin-$bmax) | 1 | 1 |"
total=0
# Each rule's expression, as the file has it (record or alert name, then the expression).
python3 - "$rules" > "$work/exprs" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for m in re.finditer(r'- (record|alert): (\S+)\n\s+expr: (\|\n((?:\s{10}.*\n)+)|(.*)\n)', text):
    expr = (m.group(4) or m.group(5)).replace('\n', ' ').strip()
    print(m.group(2) + '\t' + expr)
PY
while IFS=$'\t' read -r name expr; do
  read -r m mn mx n <<<"$(eval_time "$expr")"
  total=$(awk -v a="$total" -v b="$m" 'BEGIN { print a + b }')
  echo "| $name | $m ($mn-$mx) | $(awk -v a="$m" -v b="$bm" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }') | $n |"
done < "$work/exprs"
echo "| all rules, one evaluation (sum of medians) | $total | $(awk -v a="$total" -v b="$bm" 'BEGIN { printf "%.0f", (b > 0 ? a / b : 0) }') | |"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -n "${BENCH_HOLD:-}" ]; then
  echo "Prometheus on 127.0.0.1:$port, history ending at $end; Enter ends" >&2
  read -r _
fi
