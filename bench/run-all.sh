#!/bin/sh
# Builds the benchmarks (release) if needed and runs each with its defaults.
# Usage: bench/run-all.sh [build-dir]   (default: build-bench at the repository root)
# Extra arguments for one benchmark: run it directly, e.g. build-bench/bench/replay --help
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build-bench"}
benchmarks="engine_vs_store replay memory_engine sidecar_roundtrip crdt_merge http_json"

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$root" -Dbuildtype=release
fi
targets="cli/cloudstate-cli"
for b in $benchmarks; do targets="$targets bench/$b"; done
# shellcheck disable=SC2086  # one target per word
ninja -C "$build" $targets

for b in $benchmarks; do
  echo
  echo "=== $b"
  if [ "$b" = sidecar_roundtrip ]; then
    "$build/bench/$b" --cli "$build/cli/cloudstate-cli"
  else
    "$build/bench/$b"
  fi
done
