#!/usr/bin/env bash
# The socketstat benchmark (BENCHMARKS.md): builds the tarball and the benchmark module, then, for
# each N, opens N established loopback connections and measures ss -tanp, ss -tan, our collection
# in-process and the real exporter process on the same sockets, once per socket source (netlink,
# proc). Extra arguments go to the driver, e.g. bench/socketstat.sh --sizes 1000,10000 --runs 3
# --churn 200 --sources netlink,proc, or --placements host,container,containers --containers 10
# (the load in the root namespace, in a network namespace of its own, or spread over 10; the
# exporter stays in the root namespace, the baselines run where the load is).
# Needs: Linux, root not required (but for the container placements), ss (iproute2), nsenter
# (util-linux) for the container placements, 2 GiB of free memory for N=120,000.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -pl planet-benchmarks,planet-dist -am package -DskipTests
fi
tarball=$(ls planet-dist/target/planet-exporter-*.tar.gz 2>/dev/null | head -n 1 || true)
classpath=planet-benchmarks/target/classes:$(cat planet-benchmarks/target/benchmark.classpath)
mkdir -p planet-benchmarks/target/results
out=planet-benchmarks/target/results/socketstat-$(date -u +%Y%m%dT%H%M%SZ).md
java -XX:+UseSerialGC -Xmx1g -cp "$classpath" io.planetexporter.benchmarks.SocketstatBench \
  ${tarball:+--tarball "$tarball"} "$@" | tee "$out"
echo "results written to $out" >&2
