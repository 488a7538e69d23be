#!/usr/bin/env bash
# The map page at fleet scale (BENCHMARKS.md, "planet-map's page at fleet scale"): builds the
# tarball and runs MapFleetPageIT's overview test against a synthetic fleet of N nodes (fan-out 30,
# so N x 30 edges, twenty nodes to a namespace) in a real Prometheus, with planet-map from the
# tarball and headless Chromium, opening the page R times; prints its "fleet-page:" lines:
# drawn_ms (since navigation), first_byte_ms (the server's part: Prometheus's answers and the
# page's writing), page_ms (the page's own: download, parse, layout, drawing), redraw_ms (one zoom).
# Usage: bench/map-page.sh [nodes] [runs]   (default 2500 5; 500 is the 10,000-host fleet)
# Needs: Debian's prometheus, promtool and chromium; about 100 MB of $TMPDIR per 1,000 nodes while
# the fleet loads. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-2500}
runs=${2:-5}
mvn -B -o -q verify -pl planet-dist -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='MapFleetPageIT#drawsTheWholeFleet*' -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dplanet.fleet.nodes="$nodes" -Dplanet.fleet.runs="$runs" 2>&1 | grep '^fleet-page:\|ERROR\|FAIL' || true
