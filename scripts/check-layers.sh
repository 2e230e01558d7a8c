#!/usr/bin/env bash
# Dependencies point down only: engine -> eventsourcing/valueentity -> entity -> stores -> include/.
# Fails, naming the file and the include, when a layer reaches up or a public header reaches into src/.
set -u
cd "$(dirname "$0")/.."
status=0

# forbid DIR PATTERN WHY: no file under DIR may include a header matching PATTERN.
forbid() {
  local hits
  hits=$(grep -rnE "^#include \"($2)" "$1" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering: $3"
    echo "$hits"
    status=1
  fi
}

forbid include/cloudstate 'engine/|entity/|eventsourcing/|valueentity/|stores/|common/|crdt/|proxy/' \
  'public headers include only other public headers'
forbid src/stores 'engine/|entity/|eventsourcing/|valueentity/|crdt/|proxy/' 'stores sit below every runtime'
forbid src/entity 'engine/|eventsourcing/|valueentity/|proxy/' 'entity shapes sit below the runtimes'
forbid src/eventsourcing 'engine/|valueentity/|proxy/' 'the event-sourced runtime sits below the engine'
forbid src/valueentity 'engine/|eventsourcing/|proxy/' 'the value-entity runtime sits below the engine'
forbid src/engine 'proxy/' 'the engine sits below the proxy front'
# Public headers must not leak asio, gRPC or generated protocol headers.
forbid include/cloudstate 'asio|grpc' 'public headers keep asio and gRPC out'
if grep -rnE '^#include <(asio|grpc)' include/cloudstate; then
  echo "layering: public headers keep asio and gRPC out"
  status=1
fi

[ $status -eq 0 ] && echo "layering ok"
exit $status
