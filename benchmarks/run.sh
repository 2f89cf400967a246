#!/usr/bin/env bash
# The benchmark run: builds Atrium and the harness, then starts the upstream, nginx, the
# plain gateway and Atrium on loopback and compares them (see docs/benchmarks.md).
#   benchmarks/run.sh                          full run, report in benchmarks/target/bench-report.md
#   benchmarks/run.sh --warmup-cap=60s --jmh=false   options of the harness, passed on
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${ATRIUM_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}}"
export PATH="$JAVA_HOME/bin:$PATH"
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || {
  echo "nginx is needed (Debian: apt-get install nginx-light)" >&2; exit 1; }
exec ./mvnw -B -q -pl benchmarks -am -Pbench -Dmaven.test.skip=true verify -Dbench.args="$*"
