// A server-streaming entity method called over HTTP/JSON (a CRDT subscription), the twin of
// streamed_entity_call.h: the request becomes one streamed command routed by its entity id
// through the engine; the command's reply and every later message of the entity go out as one
// streamed response in the transcoder's stream format (http_json_stream_writer.h), and the response
// ends when the stream does — a failure as the format's error record, or before any message as a
// unary call's answer. A client that goes away cancels the command's stream at once, so the entity
// hears of it (its cancel handler runs); so does a HEAD request once its head is out.
#pragma once

#include <string>

#include "cloudstate/engine.h"
#include "proxy/call_meter.h"
#include "proxy/http/http_message.h"
#include "proxy/served_services.h"
#include "transcoding/stream_format.h"
#include "transcoding/transcoder.h"

namespace cloudstate::proxy {

// What an entity stream works with; all of it must outlive the call.
struct HttpStreamedEntityCallParts {
  const transcoding::Transcoder& transcoder;
  const transcoding::Binding& binding;
  transcoding::StreamFormat format;
  const ServedService& service;  // an entity service
  const ServedMethod& method;    // server-streaming only
  Engine& engine;
};

// Starts the call with `input` (the serialized request message); `respond` gets the answer. The
// outcome, as a gRPC status, is recorded on `meter`.
void StartHttpStreamedEntityCall(HttpStreamedEntityCallParts parts, std::string input, const HttpRequest& request,
                                 HttpRespond respond, CallMeter meter);

}  // namespace cloudstate::proxy
