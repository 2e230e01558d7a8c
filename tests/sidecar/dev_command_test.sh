#!/usr/bin/env bash
# cloudstate-cli dev: with the bundled cart, and with a user function given after `--`. Both print
# prefixed logs, stop on SIGINT (Ctrl-C) together, and a restart in the same directory finds the
# state in the embedded store there. `dev --demo` calls the cart by itself and stops.
# Usage: dev_command_test.sh CLOUDSTATE_CLI CART_FUNCTION_EXECUTABLE
set -euo pipefail
cli=$(realpath "$1")
function=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
interop="$here/../interop"
work=$(mktemp -d)
dev=""
cleanup() {
  [ -n "$dev" ] && kill "$dev" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$interop/setup.sh" >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
python="$interop/python/venv/bin/python"
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
listening() { "$python" -c "import socket; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null; }
wait_port() {
  for _ in $(seq 100); do listening "$1" && return 0; sleep 0.1; done
  echo "nothing listens on port $1"; cat "$work/dev.log"; return 1
}

# start_dev [-- command...]: runs dev in $work (its store lands there), on fresh ports.
start_dev() {
  port=$(free_port)
  uf_port=$(free_port)
  (cd "$work" && exec "$cli" dev --port "$port" --user-function-port "$uf_port" "$@") >>"$work/dev.log" 2>&1 &
  dev=$!
  wait_port "$port"
}
stop_dev() {
  kill -INT "$dev"
  wait "$dev" || { echo "dev did not stop cleanly on SIGINT"; cat "$work/dev.log"; exit 1; }
  dev=""
  if listening "$uf_port"; then echo "the user function is still running after dev stopped"; exit 1; fi
}

# The bundled cart, no user function given.
start_dev
"$python" "$here/cart_client.py" "127.0.0.1:$port" fresh || { cat "$work/dev.log"; exit 1; }
stop_dev
grep -q "^\[function\] info serving the bundled shopping cart" "$work/dev.log"
grep -q "^\[sidecar\] info serving com.example.shoppingcart.ShoppingCart" "$work/dev.log"

# A user function process, restarted in the same directory: the state is still there.
start_dev -- "$function"
"$python" "$here/cart_client.py" "127.0.0.1:$port" after-restart || { cat "$work/dev.log"; exit 1; }
stop_dev
grep -q "^\[function\] .*$uf_port" "$work/dev.log" || { echo "no prefixed output from the user function"; exit 1; }
test -f "$work/cloudstate-dev.db"

# --demo, as the README's first command runs it: it calls the cart and stops by itself; a second
# run in the same directory starts from the first one's cart.
demo_dir="$work/demo"
mkdir "$demo_dir"
(cd "$demo_dir" && "$cli" dev --demo) >"$work/demo1.out" 2>"$work/demo1.err" || { cat "$work/demo1.err"; exit 1; }
(cd "$demo_dir" && "$cli" dev --demo) >"$work/demo2.out" 2>"$work/demo2.err" || { cat "$work/demo2.err"; exit 1; }
expect() { grep -qxF "$2" "$1" || { echo "expected '$2' in $1:"; cat "$1"; exit 1; }; }
expect "$work/demo1.out" "[demo] GetCart: empty"
expect "$work/demo1.out" "[demo] GetCart: 1 x Coffee beans (coffee)"
expect "$work/demo2.out" "[demo] GetCart: 2 x Coffee beans (coffee)"
echo "dev command ok"
