#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, then configures and builds.
# Safe to run again: apt skips what is there and meson reconfigures in place.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential meson ninja-build pkg-config
  libsqlite3-dev libleveldb-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libasio-dev libcxxopts-dev doctest-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -d build ]; then
  meson setup --reconfigure build -Dbuildtype=release
else
  meson setup build -Dbuildtype=release
fi
ninja -C build
