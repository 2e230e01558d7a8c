// How an HTTP/JSON call maps onto the gRPC call it stands for, both ways: request headers become
// the action's metadata (as gRPC headers do), the first reply's metadata become response headers,
// and a failed call becomes an HTTP answer. A user function's failure is 500 with its description
// as plain text (the reference proxy's answer, which the Cloudstate TCK checks); errors the sidecar
// raises itself are {"code":<gRPC code>,"message":"..."} with the usual HTTP status for the code.
#pragma once

#include <grpcpp/grpcpp.h>

#include "cloudstate/command.h"
#include "cloudstate/status.h"
#include "proxy/http/http_message.h"
#include "transcoding/http_error.h"

namespace cloudstate::proxy {

// The request's headers as metadata entries, in arrival order, without those that only frame this
// HTTP/1.1 connection (Connection, Content-Length, Transfer-Encoding, ...).
MetadataEntries RequestMetadata(const HttpRequest& request);

// Adds the reply metadata that can be HTTP headers: names that are tokens, values without line
// breaks, none that frame the response or that the transcoder sets (Content-Type).
void AddReplyHeaders(const MetadataEntries& metadata, HttpResponse& response);

// The answer to a call whose command failed before anything was sent.
HttpResponse FailedCallResponse(const Status& status);
// The answer for an error of the sidecar's own, as a gRPC status.
HttpResponse FailedCallResponse(const grpc::Status& status);
// A request the transcoder refused (400, 404, 405 or 500).
HttpResponse TranscodingErrorResponse(const transcoding::HttpError& error);
// The gRPC status a transcoding error stands for, as the request metrics record it.
grpc::Status TranscodingErrorStatus(const transcoding::HttpError& error);

}  // namespace cloudstate::proxy
