#!/usr/bin/env bash
# Dependencies point down only: cli -> proxy -> engine -> eventsourcing/valueentity -> entity -> stores
# -> include/; the function server sits beside the proxy on entity/ and the public API.
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
forbid src/crdt 'engine/|entity/|eventsourcing/|valueentity/|stores/|common/|proxy/|function/' \
  'the CRDT core is pure: public headers, the generated protocol and itself only'
forbid src/transcoding 'engine/|entity/|eventsourcing/|valueentity/|stores/|common/|crdt/|proxy/|function/' \
  'HTTP/JSON transcoding is pure: public headers, the generated protocol and itself only'
forbid src/crdtentity 'engine/|eventsourcing/|valueentity/|proxy/|function/' \
  'the CRDT entity runtime sits below the engine, beside the value-entity runtime'
forbid src/engine 'proxy/|function/' 'the engine sits below the proxy front and the function server'
forbid src/function 'engine/|eventsourcing/|valueentity/|stores/|proxy/' \
  'the function server runs handlers through the public API and src/entity only'
forbid src/proxy 'function/' 'the sidecar and the function server are peers; neither includes the other'
# Public headers must not leak asio, gRPC or generated protocol headers.
forbid include/cloudstate 'asio|grpc' 'public headers keep asio and gRPC out'
if grep -rnE '^#include <(asio|grpc)' include/cloudstate; then
  echo "layering: public headers keep asio and gRPC out"
  status=1
fi

[ $status -eq 0 ] && echo "layering ok"
exit $status
