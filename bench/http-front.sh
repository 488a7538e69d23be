#!/usr/bin/env bash
# Issue 20's attack on both programs' HTTP front (BENCHMARKS.md, "HTTP front under attack";
# docs/http-front.md): HttpFrontIT against the tarball, with the issue's figures instead of the
# short form that `mvn verify` runs. For the exporter and planet-map, over plain http and over
# mutual TLS with basic auth: STALLED connections (default 2,000; half of them stopped halfway
# through a request or a TLS handshake, half silent; 50 from each loopback address 127.1.x.y and
# 127.2.x.y, opened again as soon as the server closes them) and SLOW_READERS clients (default 8)
# reading a 2 MB /metrics (planet-map: a 700 KB script) at 100 bytes/s, for SECONDS_PER_RUN
# (default 60) while another client asks /-/healthy and the large page every 200 ms; each answer
# must come within 1 s, threads stay under 100 and RSS under 150 MiB. Then 80 connections from one
# address (64 stay open) and the idle keep-alive timeout (10 s).
# Prints the figures (lines "HttpFrontIT: ...") and keeps them in
# planet-benchmarks/target/results/http-front-<time>.md. Loopback only; stops by itself (maven's
# failsafe ends the test JVM after 600 s a test). Needs: Linux, curl, htpasswd (apache2-utils).
set -euo pipefail
cd "$(dirname "$0")/.."

stalled=${STALLED:-2000}
readers=${SLOW_READERS:-8}
seconds=${SECONDS_PER_RUN:-60}
mkdir -p planet-benchmarks/target/results
out=planet-benchmarks/target/results/http-front-$(date -u +%Y%m%dT%H%M%SZ).md
log=$(mktemp /tmp/planet-http-front-XXXXXX.log)
trap 'rm -f "$log"' EXIT
{
  echo "HTTP front under attack on $(hostname), $(nproc) CPUs, $(date -u +%FT%TZ), load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD);" \
    "$stalled stalled connections, $readers slow readers, ${seconds} s a run"
  echo
} | tee "$out"
status=0
mvn -B -o verify -pl planet-dist -am -Dmaven.javadoc.skip=true \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HttpFrontIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dhttpfront.stalled="$stalled" -Dhttpfront.slowReaders="$readers" \
  -Dhttpfront.seconds="$seconds" >"$log" 2>&1 || status=$?
{
  grep '^HttpFrontIT: ' "$log" | sed 's/^/- /' || true
  grep -E -A4 'Tests run:.*HttpFrontIT|<<< FAILURE' "$log" | grep -v '^\s*at ' | head -40 || true
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); maven exit status $status"
} | tee -a "$out"
echo "results written to $out" >&2
exit "$status"
