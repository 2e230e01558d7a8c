// The sidecar's own metrics, read at scrape time from where they are kept: the engine's statistics
// (entities, activations, passivations, restarts, commands, journal writes), the calls open to the
// user function, and readiness.
#pragma once

#include <functional>

#include "cloudstate/engine.h"
#include "proxy/call_tracker.h"
#include "proxy/metrics/metrics_registry.h"

namespace cloudstate::proxy {

// `engine`, `calls` and `ready` must stay usable as long as `registry` is scraped.
void RegisterSidecarMetrics(MetricsRegistry& registry, const Engine& engine, const CallTracker& calls,
                            std::function<bool()> ready);

}  // namespace cloudstate::proxy
