#!/usr/bin/env bash
# The soak (BENCHMARKS.md, "Soak"): builds the tarball and the benchmark module, then runs the
# exporter from the tarball, with its shipped JVM flags, for 30 minutes while every input moves:
# 200 loopback connections replaced per second, an inventory rewritten and reloaded every 10 s, and
# a darkstat page of 15,000 hosts all replaced every minute. Prints per-minute RSS and CPU per
# collection and the verdict. Extra arguments go to the driver, e.g.
#   bench/soak.sh --minutes 5 --churn 100 --hosts 20000 --inventory-every 10 --sample 10
# It stops by itself: the driver ends after --minutes, and `timeout` ends everything 10 minutes
# later whatever happens. Loopback only. Needs: Linux, curl, tar; root not required.
#
# SOAK_NETNS=1 (root) isolates the soak on a shared machine: the driver and the exporter run in a
# network namespace made here (only its loopback up; deleted at the end), and the exporter reads
# that namespace alone (-task-socketstat-namespaces own; with the default, all, it would read every
# namespace that holds a process, so other programs' sockets would enter its census and memory).
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=30
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = --minutes ]; then minutes=${args[$((i + 1))]}; fi
done

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -o -pl planet-benchmarks,planet-dist -am package -DskipTests
fi
# A copy of what runs, so that building again in this tree meanwhile cannot change it.
snapshot=$(mktemp -d /tmp/planet-soak-build-XXXXXX)
netns=
trap 'rm -rf "$snapshot"; if [ -n "$netns" ]; then ip netns del "$netns"; fi' EXIT
isolated=()
isolation=
if [ "${SOAK_NETNS:-}" = 1 ]; then
  netns=planet-soak-$$-$RANDOM
  ip netns add "$netns"
  ip -n "$netns" link set lo up
  isolated=(ip netns exec "$netns" env PLANET_TASK_SOCKETSTAT_NAMESPACES=own)
  isolation="; isolated in network namespace $netns, -task-socketstat-namespaces own"
fi
cp planet-dist/target/planet-exporter-*.tar.gz "$snapshot/"
cp -r planet-benchmarks/target/classes "$snapshot/classes"
tarball=$(ls "$snapshot"/planet-exporter-*.tar.gz | head -n 1)
classpath=$snapshot/classes:$(cat planet-benchmarks/target/benchmark.classpath)
mkdir -p planet-benchmarks/target/results
out=planet-benchmarks/target/results/soak-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "Soak on $(hostname), $(nproc) CPUs, started $(date -u +%FT%TZ), load average at start:" \
    "$(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)$isolation"
  echo
  timeout --kill-after=30 $((minutes * 60 + 600)) "${isolated[@]}" \
    java -XX:+UseSerialGC -Xmx256m -cp "$classpath" io.planetexporter.benchmarks.SoakBench \
    --tarball "$tarball" "$@"
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "results written to $out" >&2
