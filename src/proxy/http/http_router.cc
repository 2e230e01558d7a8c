#include "proxy/http/http_router.h"

namespace cloudstate::proxy {

void HttpRouter::Add(std::string method, std::string path, Handler handler) {
  routes_[std::move(path)][std::move(method)] = std::move(handler);
}

const HttpRouter::Handler* HttpRouter::Find(const HttpRequest& request, HttpDispatch* outcome) const {
  auto path = routes_.find(request.path);
  if (path == routes_.end()) {
    *outcome = {};
    return nullptr;
  }
  const auto& methods = path->second;
  auto method = methods.find(request.method);
  if (method == methods.end() && request.method == "HEAD") method = methods.find("GET");
  if (method == methods.end()) {
    *outcome = {HttpDispatch::kWrongMethod, {}};
    for (const auto& [name, handler] : methods) {
      outcome->allowed.push_back(name);
      if (name == "GET") outcome->allowed.push_back("HEAD");
    }
    return nullptr;
  }
  *outcome = {HttpDispatch::kTaken, {}};
  return &method->second;
}

HttpDispatch HttpRouter::Dispatch(const HttpRequest& request, const HttpRespond& respond) {
  HttpDispatch outcome;
  if (const Handler* handler = Find(request, &outcome)) (*handler)(request, respond);
  return outcome;
}

HttpDispatch HttpRouter::Admit(const HttpRequest& head) const {
  HttpDispatch outcome;
  Find(head, &outcome);
  return outcome;
}

}  // namespace cloudstate::proxy
