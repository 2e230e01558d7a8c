#!/usr/bin/env bash
# Protocol-level check of the shopping cart test peer, without our sidecar:
# installs (setup.sh, quick when done), starts run-shopping-cart.sh on PORT (default: a free one),
# waits for it to listen, runs python/check_peer.py against it, stops it.
# Usage: check-peer.sh [PORT]        Peer log: $TMPDIR/interop-peer.<port>.log
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/setup.sh"
PY="$HERE/python/venv/bin/python"
export PYTHONDONTWRITEBYTECODE=1
# shellcheck disable=SC1091
source "$HERE/python/venv/interop.env"  # written by setup.sh

PORT="${1:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
LOG="${TMPDIR:-/tmp}/interop-peer.$PORT.log"

t0=$(date +%s%N)
"$HERE/run-shopping-cart.sh" "$PORT" >"$LOG" 2>&1 &
PEER=$!
trap 'kill "$PEER" 2>/dev/null || true; wait "$PEER" 2>/dev/null || true' EXIT

for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  if ! kill -0 "$PEER" 2>/dev/null; then echo "peer exited early; log:" >&2; cat "$LOG" >&2; exit 1; fi
  sleep 0.05
done
echo "peer listening on 127.0.0.1:$PORT after $(( ($(date +%s%N) - t0) / 1000000 )) ms (pid $PEER, log $LOG)"

"$PY" "$HERE/python/check_peer.py" "127.0.0.1:$PORT"
