#!/usr/bin/env bash
# Runs the whole test suite: every meson suite on the release build, then again on a build with
# the address and undefined-behaviour sanitizers. Ends with one line: "N passed, N failed".
#   scripts/test.sh              both builds
#   scripts/test.sh --no-sanitize   the release build only (quicker while developing)
#   scripts/test.sh --no-fuzz       both builds, without the fuzz stage
# The fuzz stage (when clang has libFuzzer) runs each fuzz target for FUZZ_RUNS inputs (default 100000).
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --packages-only || exit 1

passed=0
failed=0

# run_suite BUILD_DIR [MESON SETUP ARGS...]
run_suite() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null || { failed=$((failed + 1)); return; }
  fi
  if ! ninja -C "$dir" >"$dir.log" 2>&1; then
    tail -n 40 "$dir.log"
    echo "build failed in $dir"
    failed=$((failed + 1))
    return
  fi
  meson test -C "$dir" --print-errorlogs --num-processes 2 "${MESON_TEST_ARGS[@]}"
  # meson's own summary has the counts; add them up across builds.
  local log="$dir/meson-logs/testlog.json"
  passed=$((passed + $(grep -c '"result": "OK"' "$log")))
  failed=$((failed + $(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log")))
}

MESON_TEST_ARGS=()
run_suite build -Dbuildtype=release

if [ "${1:-}" != "--no-sanitize" ]; then
  # Sanitizers slow everything down; give timeouts room. Leak checks are part of ASan.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  MESON_TEST_ARGS=(--timeout-multiplier 4)
  run_suite build-asan -Dbuildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
fi

# Optional third stage: each libFuzzer target for a fixed number of inputs, with the address and
# undefined-behaviour sanitizers, when clang has libFuzzer (scripts/setup.sh installs it). A target
# passes when it ends without a crash, an invariant broken or a sanitizer report.
FUZZ_RUNS=${FUZZ_RUNS:-100000}
run_fuzz() {
  local dir=build-fuzz
  command -v clang++ >/dev/null || { echo "fuzz: no clang++, skipped"; return; }
  if [ ! -f "$dir/build.ninja" ]; then
    CC=clang CXX=clang++ meson setup "$dir" -Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
      -Db_lundef=false >"$dir.log" 2>&1 || { tail -n 20 "$dir.log"; failed=$((failed + 1)); return; }
  fi
  # name:corpus pairs; the targets exist only when meson found libFuzzer.
  local targets="tests/transcoding/fuzz_transcoder:tests/transcoding/corpus tests/proxy/fuzz_http_request_parser:tests/proxy/http_corpus"
  # Listed once, not piped into grep -q: under pipefail, grep quitting early fails the pipe.
  local configured target
  configured=$(ninja -C "$dir" -t targets all 2>/dev/null)
  for target in $targets; do
    local binary=${target%%:*} corpus=${target#*:}
    if ! grep -q "^$binary:" <<<"$configured"; then
      # scripts/setup.sh installs clang's libFuzzer: a missing target is a broken set-up.
      echo "fuzz: $binary not configured (clang without libFuzzer?)"
      failed=$((failed + 1))
      continue
    fi
    if ! ninja -C "$dir" "$binary" >"$dir.log" 2>&1; then
      tail -n 40 "$dir.log"
      echo "fuzz: build of $binary failed"
      failed=$((failed + 1))
      continue
    fi
    # New inputs go to a scratch directory; the checked-in corpus only seeds the run.
    local scratch
    scratch=$(mktemp -d)
    if "$dir/$binary" -runs="$FUZZ_RUNS" -seed=1 "$scratch" "$corpus" >"$dir/$(basename "$binary").log" 2>&1; then
      echo "fuzz: $binary, $FUZZ_RUNS inputs: ok"
      passed=$((passed + 1))
    else
      tail -n 40 "$dir/$(basename "$binary").log"
      echo "fuzz: $binary FAILED (log: $dir/$(basename "$binary").log)"
      failed=$((failed + 1))
    fi
    rm -rf "$scratch"
  done
}
if [ "${1:-}" != "--no-sanitize" ] && [ "${1:-}" != "--no-fuzz" ]; then
  run_fuzz  # with the sanitizer options of the stage above
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
