// An HttpService of fixed paths: each (method, exact path) pair has a handler. A GET route also
// answers HEAD (the server drops the body). Add routes before serving; Dispatch is then
// safe to call from any thread.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "proxy/http/http_service.h"

namespace cloudstate::proxy {

class HttpRouter final : public HttpService {
 public:
  // Takes the request; calls `respond` once, now or later, from any thread.
  using Handler = std::function<void(const HttpRequest& request, const HttpRespond& respond)>;

  void Add(std::string method, std::string path, Handler handler);

  HttpDispatch Dispatch(const HttpRequest& request, const HttpRespond& respond) override;
  HttpDispatch Admit(const HttpRequest& head) const override;

 private:
  // The handler of the request's method and path, or nullptr with why not in `outcome`.
  const Handler* Find(const HttpRequest& request, HttpDispatch* outcome) const;

  std::map<std::string, std::map<std::string, Handler>> routes_;  // path -> method -> handler
};

}  // namespace cloudstate::proxy
