// A server-streaming action method called over HTTP/JSON: one streamed ActionProtocol call to the
// user function (handleStreamedOut), its replies routed through the engine in order (side effects
// run, forwards are answered by their targets) and written to the client as one streamed response
// in the transcoder's stream format (newline-delimited JSON, server-sent events, or raw HttpBody
// bytes). The first reply's metadata become the response headers. A failure before the first reply
// is answered as a unary call's would be; after it, the stream ends with the format's error record
// (a raw HttpBody stream, which has none, is cut short).
// One message at a time each way: the next reply is read once the last one is written to the
// client, so a slow client slows the user function down instead of filling a buffer. A client that
// goes away cancels the function's call at once (HttpCancellation), as does a HEAD request once
// its head is out.
#pragma once

#include <memory>
#include <string>

#include "cloudstate/metadata.h"
#include "engine/engine_extensions.h"
#include "proxy/bridge_context.h"
#include "proxy/call_meter.h"
#include "proxy/http/http_message.h"
#include "proxy/served_services.h"
#include "transcoding/stream_format.h"
#include "transcoding/transcoder.h"

namespace cloudstate::proxy {

// What a streamed call works with; all of it must outlive the call (the bridges it shares).
struct HttpStreamedCallParts {
  const transcoding::Transcoder& transcoder;
  const transcoding::Binding& binding;
  transcoding::StreamFormat format;
  const ServedService& service;
  const ServedMethod& method;
  EngineExtensions& engine;
  std::shared_ptr<const BridgeContext> bridges;
};

// Starts the call with `input` (the serialized request message) and the headers of `request` as
// its metadata; `respond` gets the answer (a streamed one once a reply comes). The outcome, as a
// gRPC status, is recorded on `meter`.
void StartHttpStreamedCall(HttpStreamedCallParts parts, std::string input, const HttpRequest& request,
                           HttpRespond respond, CallMeter meter);

}  // namespace cloudstate::proxy
