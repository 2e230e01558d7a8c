#!/usr/bin/env bash
# Installs the interop test peer: the official Cloudstate Python support library (PyPI
# `cloudstate`, pinned in python/requirements.txt) into tests/interop/python/venv, and compiles
# the protos the peer and the checker need into python/gen and python/gen-check.
#
# Idempotent: a second run only re-generates the protos (about a second).
# Env: CLOUDSTATE_PYTHON=/path/to/python3.8 to choose the interpreter.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY_DIR="$HERE/python"
VENV="$PY_DIR/venv"
FRONTEND="$ROOT/protocols/frontend"
PROTOCOL="$ROOT/protocols/protocol"

log() { echo "[interop setup] $*" >&2; }

works() { "$1" -c 'import sys, venv' >/dev/null 2>&1; }

# --- 1. a Python interpreter --------------------------------------------------------------------
# cloudstate 0.1.1 pins grpcio==1.28.1, whose wheels stop at CPython 3.8: prefer a 3.8.
# Without one, fall back to the newest python3 with python/requirements-fallback.txt (newer
# grpcio, protobuf 4 in its pure-python mode, which still loads the library's old generated code).
pick_python() {
  if [[ -n "${CLOUDSTATE_PYTHON:-}" ]]; then echo "$CLOUDSTATE_PYTHON"; return; fi
  local c
  for c in python3.8 "$(command -v pyenv >/dev/null 2>&1 && pyenv root || echo /root/.pyenv)"/versions/3.8*/bin/python3.8; do
    if works "$c"; then command -v "$c" || echo "$c"; return; fi
  done
  if ! works python3; then
    log "no usable python3 with venv: installing it with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >&2
  fi
  command -v python3
}

PY="$(pick_python)"
PYVER="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [[ "$PYVER" == "3.8" ]]; then
  REQ="$PY_DIR/requirements.txt"
else
  REQ="$PY_DIR/requirements-fallback.txt"
fi

# --- 2. the venv with the pinned packages --------------------------------------------------------
# Several tests call this script at once on a fresh clone: one lock so only one builds the venv
# and the others wait for it (instead of deleting it under each other).
mkdir -p "$PY_DIR"
exec 9>"$PY_DIR/.setup.lock"
flock 9
STAMP="$VENV/.installed"
WANT="$("$PY" -c 'import sys; print(sys.executable, sys.version.split()[0])') $(sha256sum "$REQ" | cut -c1-16)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  log "venv up to date ($PY, $(basename "$REQ"))"
else
  log "creating venv with $PY (Python $PYVER), installing $(basename "$REQ")"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  [[ -x "$VENV/bin/pip" ]] || { log "error: $PY -m venv made no pip (is ensurepip installed?)"; exit 1; }
  # Binary wheels only: a source build of grpcio would take very long (and may not build).
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input --only-binary=:all: \
    --no-deps -r "$REQ"
  if [[ "$PYVER" == "3.8" ]]; then
    "$VENV/bin/pip" check >&2 || log "warning: pip check reports inconsistencies (see above)"
    : >"$VENV/interop.env"
  else
    log "fallback mode: cloudstate's pins overridden, pure-python protobuf"
    echo "export PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python" >"$VENV/interop.env"
  fi
  echo "$WANT" >"$STAMP"
fi

# --- 3. generated code ---------------------------------------------------------------------------
# gen/: the cart's API and domain protos plus cloudstate/eventing.proto (the library lacks it).
#       cloudstate/entity_key.proto and google/api/*.proto come from the library and
#       googleapis-common-protos at run time.
# gen-check/: the checker's own stubs, all from this repository's protocols/ (a regular
#       `cloudstate` package, so it shadows the library's package in the checker's process).
# shellcheck disable=SC1091
source "$VENV/interop.env"
protoc() { "$VENV/bin/python" -m grpc_tools.protoc "$@"; }
gen() {
  local out="$1"; shift
  local tmp="$out.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  protoc -I "$PY_DIR/proto" -I "$FRONTEND" -I "$PROTOCOL" --python_out="$tmp" "$@" \
    2> >(grep -v 'is unused\.$' >&2 || true)
  rm -rf "$out" && mv "$tmp" "$out"
}
CART_PROTOS=(shoppingcart/shoppingcart.proto shoppingcart/persistence/domain.proto)
gen "$PY_DIR/gen" "${CART_PROTOS[@]}" cloudstate/eventing.proto
gen "$PY_DIR/gen-check" "${CART_PROTOS[@]}" cloudstate/eventing.proto cloudstate/entity_key.proto \
  cloudstate/entity.proto cloudstate/event_sourced.proto
touch "$PY_DIR/gen-check/cloudstate/__init__.py"

log "ready: $("$VENV/bin/python" -c 'import cloudstate, grpc, google.protobuf as p; print("cloudstate", cloudstate.__version__, "grpcio", grpc.__version__, "protobuf", p.__version__)')"
