// A part of the sidecar's HTTP/1.1 API: the operations endpoints, HTTP/JSON transcoding of the
// user's services. The server asks each service in turn; the first that takes a request answers
// it. A service that learns its routes late (after discovery) keeps them behind its own
// lock and answers kNoSuchPath until then.
#pragma once

#include <string>
#include <vector>

#include "proxy/http/http_message.h"

namespace cloudstate::proxy {

struct HttpDispatch {
  enum Outcome {
    kTaken,        // the service calls `respond` exactly once, now or later, from any thread
    kNoSuchPath,   // not this service's path; `respond` is never called
    kWrongMethod,  // the path is served, but not with this method; `allowed` lists the methods
  };
  Outcome outcome = kNoSuchPath;
  std::vector<std::string> allowed;
};

class HttpService {
 public:
  virtual ~HttpService() = default;
  // Called on the server's I/O thread: must not block. `request` is valid during this call only
  // (the connection may close before an answer comes): copy what a later answer needs.
  virtual HttpDispatch Dispatch(const HttpRequest& request, const HttpRespond& respond) = 0;
  // Whether Dispatch would take a request with this head, for a client that waits for
  // "100 Continue" before it sends the body (so the body is empty here). Called on the I/O thread
  // too: must not block; starts nothing.
  virtual HttpDispatch Admit(const HttpRequest& head) const = 0;
};

}  // namespace cloudstate::proxy
