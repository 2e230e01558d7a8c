// A function server serving fncrdt.CrdtModel (persistence id "crdt-model") on 127.0.0.1:0, for the
// CRDT protocol tests and the sidecar's end-to-end test. Names neither the public command API nor
// the generated protocol.
#pragma once

#include <memory>

#include "test_function.h"

namespace fntest_support {

std::unique_ptr<TestFunction> StartCrdtFunction();

}  // namespace fntest_support
