#!/usr/bin/env bash
# Runs the embedded example twice in a fresh directory: the second run must find the first run's cart.
set -euo pipefail
program=$(realpath "$1")  # meson passes it relative to the build directory
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
first=$("$program")
second=$("$program")
echo "$first"
echo "$second"
grep -q "foo  A foo  x1" <<<"$first"
grep -q "foo  A foo  x2" <<<"$second"
# A malformed command is refused with usage and exit code 2, and leaves the store usable.
if "$program" add only-two-args 2>/dev/null; then echo "malformed command accepted"; exit 1; fi
"$program" get demo | grep -q "x2"
