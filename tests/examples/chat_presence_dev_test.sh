#!/usr/bin/env bash
# The chat presence example as its README section runs it: `cloudstate-cli dev` with the presence
# function, a monitor client and a connect client. The monitor prints offline, online when the
# user connects, and offline again when the connect client is stopped.
# Usage: chat_presence_dev_test.sh CLOUDSTATE_CLI PRESENCE_FUNCTION PRESENCE_CLIENT
set -euo pipefail
cli=$(realpath "$1")
function=$(realpath "$2")
client=$(realpath "$3")
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Free ports for both, picked by dev; the sidecar's is in its log.
(cd "$work" && exec "$cli" dev --port 0 --user-function-port 0 -- "$function") >"$work/dev.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "serving com.example.chat.presence.Presence" "$work/dev.log" && break; sleep 0.1; done
grep -q "serving com.example.chat.presence.Presence" "$work/dev.log" || { cat "$work/dev.log"; exit 1; }
port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\) (gRPC and HTTP.*/\1/p' "$work/dev.log")
[ -n "$port" ] || { echo "no port in the sidecar's log"; cat "$work/dev.log"; exit 1; }

# Waits until file $1 has line $2 as its line number $3.
await_line() {
  for _ in $(seq 100); do [ "$(sed -n "${3}p" "$1")" = "$2" ] && return 0; sleep 0.1; done
  echo "expected line $3 of $1 to be '$2':"; cat "$1"; cat "$work/dev.log"; exit 1
}

"$client" --address "127.0.0.1:$port" monitor alice >"$work/monitor.out" 2>&1 &
pids+=($!)
await_line "$work/monitor.out" "alice offline" 1
"$client" --address "127.0.0.1:$port" connect alice >"$work/connect.out" 2>&1 &
connect=$!
await_line "$work/monitor.out" "alice online" 2
kill -TERM "$connect"
wait "$connect" || { echo "the connect client did not end cleanly"; cat "$work/connect.out"; exit 1; }
await_line "$work/monitor.out" "alice offline" 3
echo "chat presence through dev ok"
