#!/usr/bin/env bash
# Runs the shopping cart user function (official Cloudstate Python support library) in the
# foreground, listening on 127.0.0.1:PORT (default 8080). Run setup.sh first.
# The library reads its bind address from the env vars HOST and PORT.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${PORT:-8080}}"
PY="$HERE/python/venv/bin/python"
if [[ ! -x "$PY" ]]; then
  echo "run-shopping-cart.sh: $PY missing, run $HERE/setup.sh first" >&2
  exit 2
fi
# The library neither fails when the port is taken (it keeps running without listening) nor
# avoids sharing it (gRPC binds with SO_REUSEPORT): refuse a port something already answers on.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "run-shopping-cart.sh: 127.0.0.1:$PORT is already in use" >&2
  exit 1
fi
# shellcheck disable=SC1091
source "$HERE/python/venv/interop.env"  # written by setup.sh
export HOST=127.0.0.1 PORT
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
exec "$PY" "$HERE/python/shopping_cart.py"
