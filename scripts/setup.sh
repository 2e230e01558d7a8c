#!/usr/bin/env bash
# Sets up a fresh Debian machine for this project: installs every package the build and the tests
# need, then configures and builds the release tree in build/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential meson ninja-build pkg-config
  libsqlite3-dev libleveldb-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libasio-dev libcxxopts-dev doctest-dev
  libhttp-parser-dev
  wrk  # the HTTP load generator of bench/http_json
  clang libclang-rt-14-dev  # the libFuzzer targets (-fsanitize=fuzzer)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${1:-}" = "--packages-only" ] && exit 0

if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build -Dbuildtype=release >/dev/null
fi
ninja -C build
