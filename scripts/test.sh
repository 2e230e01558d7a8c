#!/usr/bin/env bash
# Runs the whole test suite: every meson suite on the release build, then again on a build with
# the address and undefined-behaviour sanitizers. Ends with one line: "N passed, N failed".
#   scripts/test.sh              both builds
#   scripts/test.sh --no-sanitize   the release build only (quicker while developing)
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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
