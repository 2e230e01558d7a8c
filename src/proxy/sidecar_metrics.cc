#include "proxy/sidecar_metrics.h"

namespace cloudstate::proxy {

void RegisterSidecarMetrics(MetricsRegistry& registry, const Engine& engine, const CallTracker& calls,
                            std::function<bool()> ready) {
  const Engine* e = &engine;
  registry.AddSampledGauge("cloudstate_ready", "1 when the user function's services are served, else 0.",
                           [ready = std::move(ready)] { return ready() ? 1.0 : 0.0; });
  registry.AddSampledGauge("cloudstate_entities_active", "Entities in memory now.",
                           [e] { return static_cast<double>(e->Stats().active_entities); });
  registry.AddSampledCounter("cloudstate_entity_activations_total", "Entities loaded from the store.",
                             [e] { return static_cast<double>(e->Stats().activations); });
  registry.AddSampledCounter("cloudstate_entity_passivations_total", "Entities passivated.",
                             [e] { return static_cast<double>(e->Stats().passivations); });
  registry.AddSampledCounter("cloudstate_entity_restarts_total", "Entities reloaded after a failure.",
                             [e] { return static_cast<double>(e->Stats().restarts); });
  registry.AddSampledCounter("cloudstate_commands_completed_total", "Entity commands completed, successfully or not.",
                             [e] { return static_cast<double>(e->Stats().commands); });
  registry.AddSampledCounter("cloudstate_journal_writes_total",
                             "Journal appends and value writes acknowledged by the store.",
                             [e] { return static_cast<double>(e->Stats().journal_writes); });
  registry.AddSampledGauge("cloudstate_user_function_calls_in_flight",
                           "Calls and streams open to the user function (the concurrency an autoscaler watches).",
                           [c = &calls] { return static_cast<double>(c->Live()); });
}

}  // namespace cloudstate::proxy
