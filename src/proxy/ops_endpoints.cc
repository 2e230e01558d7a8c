#include "proxy/ops_endpoints.h"

namespace cloudstate::proxy {

std::unique_ptr<HttpRouter> MakeOpsEndpoints(std::function<Status()> readiness, const MetricsRegistry& metrics) {
  auto router = std::make_unique<HttpRouter>();
  auto live = [](const HttpRequest&, const HttpRespond& respond) { respond(HttpResponse::Text(200, "live\n")); };
  router->Add("GET", "/live", live);
  router->Add("GET", "/alive", live);
  router->Add("GET", "/ready", [readiness = std::move(readiness)](const HttpRequest&, const HttpRespond& respond) {
    Status ready = readiness();
    respond(ready.ok() ? HttpResponse::Text(200, "ready\n") : HttpResponse::Text(503, "not ready: " + ready.message() + "\n"));
  });
  router->Add("GET", "/metrics", [&metrics](const HttpRequest&, const HttpRespond& respond) {
    HttpResponse response;
    response.headers.emplace_back("Content-Type", MetricsRegistry::TextContentType());
    response.body = metrics.RenderText();
    respond(std::move(response));
  });
  return router;
}

}  // namespace cloudstate::proxy
