#!/usr/bin/env bash
# The JMH benchmarks of the hot paths (BENCHMARKS.md). Extra arguments go to JMH, e.g.
# bench/jmh.sh RenderBenchmark   or   bench/jmh.sh -f 1 -wi 2 -i 3 ProcNetTcp
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  mvn -B -q -pl planet-benchmarks -am package -DskipTests
fi
classpath=planet-benchmarks/target/classes:$(cat planet-benchmarks/target/benchmark.classpath)
java -cp "$classpath" org.openjdk.jmh.Main "$@"
