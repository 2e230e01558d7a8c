// An HttpService the port is opened with before the service behind it exists (the HTTP/JSON routes
// are known only after discovery): no path is its until Set(), then requests go to the service set.
#pragma once

#include <atomic>

#include "proxy/http/http_service.h"

namespace cloudstate::proxy {

// Safe to call from any thread.
class DeferredHttpService final : public HttpService {
 public:
  // From now on requests go to `service`, which must outlive the server.
  void Set(HttpService* service) { service_.store(service, std::memory_order_release); }

  HttpDispatch Dispatch(const HttpRequest& request, const HttpRespond& respond) override {
    HttpService* service = service_.load(std::memory_order_acquire);
    return service != nullptr ? service->Dispatch(request, respond) : HttpDispatch{};
  }

  HttpDispatch Admit(const HttpRequest& head) const override {
    HttpService* service = service_.load(std::memory_order_acquire);
    return service != nullptr ? service->Admit(head) : HttpDispatch{};
  }

 private:
  std::atomic<HttpService*> service_{nullptr};
};

}  // namespace cloudstate::proxy
