#!/usr/bin/env bash
# The fetch memory budget under the worst inputs (BENCHMARKS.md, "memory budget"): runs FetchBudgetIT
# against the tarball for 10 minutes instead of the 45 seconds of `mvn verify`. The exporter, with
# its shipped JVM flags, runs darkstat and ebpf each against a 63 MiB page of one line and a 63 MiB
# page of 400,000 hosts in turn, and the inventory against a 60 MiB document of 250,000 entries,
# all every 2 seconds; the test asserts that the process never exits, every scrape answers and the
# peak RSS stays under the figure of the operator guide, and prints a line of figures. Usage:
#   bench/fetch-budget.sh [seconds]      # default 600
# It builds what the tarball needs first (offline, no javadoc). Loopback only; root not required;
# needs ~250 MiB of free disk in /tmp for the pages.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
mkdir -p planet-benchmarks/target/results
out=planet-benchmarks/target/results/fetch-budget-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "FetchBudgetIT for ${seconds}s on $(hostname), $(nproc) CPUs, started $(date -u +%FT%TZ)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
  mvn -B -o -pl planet-dist -am verify -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
    -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=FetchBudgetIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dplanet.fetchbudget.seconds="$seconds" |
    grep -E '^FetchBudgetIT:|Tests run:|BUILD|ERROR'
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "results written to $out" >&2
