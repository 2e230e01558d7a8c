// The sidecar's operations endpoints on the client port: GET /live (also /alive, the reference's
// name) answers 200 while the process serves; GET /ready 200 once the user function's services
// are served, 503 with the reason before and while shutting down; GET /metrics the metrics in the
// Prometheus text format.
#pragma once

#include <functional>
#include <memory>

#include "cloudstate/status.h"
#include "proxy/http/http_router.h"
#include "proxy/metrics/metrics_registry.h"

namespace cloudstate::proxy {

// `readiness` (OK when ready, else why not) must be thread-safe and cheap; it and `metrics` must
// outlive the router.
std::unique_ptr<HttpRouter> MakeOpsEndpoints(std::function<Status()> readiness, const MetricsRegistry& metrics);

}  // namespace cloudstate::proxy
