#include "proxy/http/http_router.h"

namespace cloudstate::proxy {

void HttpRouter::Add(std::string method, std::string path, Handler handler) {
  routes_[std::move(path)][std::move(method)] = std::move(handler);
}

HttpDispatch HttpRouter::Dispatch(const HttpRequest& request, const HttpRespond& respond) {
  auto path = routes_.find(request.path);
  if (path == routes_.end()) return {};
  const auto& methods = path->second;
  auto method = methods.find(request.method);
  if (method == methods.end() && request.method == "HEAD") method = methods.find("GET");
  if (method == methods.end()) {
    HttpDispatch wrong{HttpDispatch::kWrongMethod, {}};
    for (const auto& [name, handler] : methods) {
      wrong.allowed.push_back(name);
      if (name == "GET") wrong.allowed.push_back("HEAD");
    }
    return wrong;
  }
  method->second(request, respond);
  return {HttpDispatch::kTaken, {}};
}

}  // namespace cloudstate::proxy
