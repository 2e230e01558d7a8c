#include "proxy/sidecar.h"

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "cloudstate/engine.h"
#include "engine/engine_extensions.h"
#include "proxy/action_bridge.h"
#include "proxy/call_tracker.h"
#include "proxy/client_port.h"
#include "proxy/crdt_bridge.h"
#include "proxy/descriptor_set.h"
#include "proxy/discovery.h"
#include "proxy/entity_key.h"
#include "proxy/eventing/append_watch.h"
#include "proxy/eventing/event_log_delivery.h"
#include "proxy/eventing/event_log_subscriptions.h"
#include "proxy/event_sourced_bridge.h"
#include "proxy/grpc_front.h"
#include "proxy/grpc_gate.h"
#include "proxy/http/deferred_http_service.h"
#include "proxy/http_json_front.h"
#include "proxy/metrics/metrics_registry.h"
#include "proxy/metrics/request_metrics.h"
#include "proxy/ops_endpoints.h"
#include "proxy/reflection_service.h"
#include "proxy/sidecar_metrics.h"
#include "proxy/value_entity_bridge.h"

namespace cloudstate::proxy {
namespace {

class SidecarImpl final : public Sidecar {
 public:
  SidecarImpl(SidecarOptions options, std::unique_ptr<Engine> engine, AppendWatchingStore& appends,
              std::shared_ptr<Env> env, std::shared_ptr<grpc::Channel> channel)
      : options_(std::move(options)),
        engine_(std::move(engine)),
        appends_(appends),
        env_(std::move(env)),
        channel_(std::move(channel)) {
    RegisterSidecarMetrics(metrics_, *engine_, *calls_, [this] { return Ready(); });
    metrics_.AddSampledCounter("cloudstate_eventing_events_delivered_total",
                               "Events delivered to event-log consumers (at least once: again after a restart).",
                               [this] { return static_cast<double>(SumOfConsumers(&EventLogConsumerProgress::events)); });
    metrics_.AddSampledCounter("cloudstate_eventing_consumer_restarts_total",
                               "Times an event-log consumer started over from its committed offset after a failure.",
                               [this] { return static_cast<double>(SumOfConsumers(&EventLogConsumerProgress::restarts)); });
    ops_ = MakeOpsEndpoints([this] { return Readiness(); }, metrics_);
  }

  ~SidecarImpl() override { Shutdown(std::chrono::seconds(10)); }

  // Binds the client port, so /live answers at once, then starts discovery.
  Status Begin() {
    ClientPortOptions port;
    port.address = options_.bind_address;
    port.port = options_.port;
    port.max_grpc_message_bytes = options_.max_inbound_message_bytes;
    port.http.max_body_bytes = options_.max_http_body_bytes;
    Result<std::unique_ptr<ClientPort>> opened = ClientPort::Open(port, gate_, {ops_.get(), &http_json_gate_}, {&reflection_});
    if (!opened.ok()) return opened.status();
    client_port_ = std::move(*opened);
    port_ = client_port_->port();
    Log(LogLevel::kInfo, "listening on " + options_.bind_address + ":" + std::to_string(port_) +
                             " (gRPC and HTTP/1.1); discovering the user function");
    discovery_ = std::thread([this] { Discover(); });
    return Status::Ok();
  }

  Status WaitUntilReady(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return ready_ || !failure_.ok() || stopping_; })) {
      return Status::DeadlineExceeded("the user function at " + options_.user_function_host + ":" +
                                      std::to_string(options_.user_function_port) + " was not discovered in time");
    }
    if (!failure_.ok()) return failure_;
    if (stopping_ && !ready_) return Status::Unavailable("the sidecar is shutting down");
    return Status::Ok();
  }

  bool Ready() const override {
    std::lock_guard lock(mu_);
    return ready_ && !stopping_;
  }

  int port() const override { return port_; }

  MetricsRegistry& metrics() override { return metrics_; }

  void Shutdown(std::chrono::milliseconds grace) override {
    std::call_once(shutdown_once_, [&] { ShutdownOnce(grace); });
  }

 private:
  void ShutdownOnce(std::chrono::milliseconds grace) {
    auto deadline = std::chrono::steady_clock::now() + grace;
    if (client_port_) client_port_->StopAccepting();  // first: no new connections
    {
      std::lock_guard lock(mu_);
      stopping_ = true;  // /ready says 503 from here on
    }
    cv_.notify_all();
    Log(LogLevel::kInfo, "shutting down: letting calls in flight finish for up to " + std::to_string(grace.count()) +
                             " ms");
    if (discovery_.joinable()) discovery_.join();
    if (client_port_) client_port_->Drain(deadline);
    StopConsumers(deadline);
    engine_->Shutdown();  // passivates every entity: their streams to the user function close
    ReleaseChannel(deadline);
    client_port_.reset();
  }

  // OK when serving; else why not, for GET /ready.
  Status Readiness() const {
    std::lock_guard lock(mu_);
    if (stopping_) return Status::Unavailable("shutting down");
    if (!failure_.ok()) return Status::Unavailable("discovery failed: " + failure_.message());
    if (!ready_) return Status::Unavailable("the user function has not been discovered yet");
    return Status::Ok();
  }

  void Log(LogLevel level, const std::string& message) { options_.log(level, message); }

  // The channel may go only once every call on it is gone (see CallTracker): the user function ends
  // the streams closed by passivation; those still open at `deadline` are cancelled.
  void ReleaseChannel(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (!calls_->WaitIdle(std::max(left, std::chrono::milliseconds(0)))) {
      calls_->CancelAll();
      if (!calls_->WaitIdle(std::chrono::seconds(1))) {
        // Dropping it now would crash later, on a gRPC thread; leaking it is the lesser evil.
        Log(LogLevel::kError, "calls to the user function outlived the shutdown; leaving their channel open");
        new std::shared_ptr<grpc::Channel>(std::move(channel_));
        return;
      }
    }
    channel_.reset();
  }

  // Retries discover with exponential backoff (random factor 0.2) until an answer or shutdown.
  void Discover() {
    SupportedTypes supported;
    supported.crdt = true;
    auto delay = options_.backoff_min;
    std::mt19937 random(std::random_device{}());
    for (;;) {
      Result<cloudstate::EntitySpec> spec = proxy::Discover(*channel_, supported, std::chrono::seconds(5));
      if (spec.ok()) return Serve(*spec, supported);
      Log(LogLevel::kInfo, "user function not answering yet (" + spec.status().message() + "); retrying in " +
                               std::to_string(delay.count()) + " ms");
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, delay, [this] { return stopping_; })) return;
      double jitter = std::uniform_real_distribution<double>(1.0, 1.2)(random);
      delay = std::min(options_.backoff_max, std::chrono::milliseconds(static_cast<int64_t>(delay.count() * 2 * jitter)));
    }
  }

  void Fail(const std::string& message) {
    Log(LogLevel::kError, "discovery failed, not serving: " + message);
    gate_.SetRefusal("the user function's services are not served: " + message);
    client_port_->OpenGrpc();  // held calls get the refusal now
    ReportError(*channel_, message);
    std::lock_guard lock(mu_);
    failure_ = Status::InvalidArgument(message);
    cv_.notify_all();
  }

  void Serve(const cloudstate::EntitySpec& spec, const SupportedTypes& supported) {
    Result<std::unique_ptr<google::protobuf::DescriptorPool>> pool = BuildDescriptorPool(spec.proto());
    if (!pool.ok()) return Fail(pool.status().message());
    pool_ = std::move(*pool);
    Result<ValidatedSpec> validated = ValidateEntitySpec(spec, *pool_, supported);
    if (!validated.ok()) return Fail(validated.status().message());
    for (const auto& warning : validated->warnings) Log(LogLevel::kWarning, warning);
    services_ = std::move(validated->services);
    Result<std::vector<EventLogSubscription>> subscriptions = CollectEventLogSubscriptions(services_);
    if (!subscriptions.ok()) return Fail(subscriptions.status().message());
    subscriptions_ = std::move(*subscriptions);

    if (Status status = RegisterServices(); !status.ok()) return Fail(status.message());
    front_ = std::make_unique<GrpcFront>(*engine_, services_, bridges_, &request_metrics_);
    gate_.Open(front_->service());
    http_json_ = std::make_unique<HttpJsonFront>(*front_, *pool_, services_, options_.log);
    http_json_gate_.Set(http_json_.get());
    std::vector<std::string> names;
    for (const auto& service : services_) names.push_back(service.name);
    reflection_.Serve(std::make_shared<ReflectionIndex>(pool_.get(), std::move(names)));
    client_port_->OpenGrpc();
    StartConsumers();

    std::string served;
    for (const auto& service : services_) served += (served.empty() ? "" : ", ") + service.name;
    Log(LogLevel::kInfo, "serving " + served + " on port " + std::to_string(port_));
    std::lock_guard lock(mu_);
    ready_ = true;
    cv_.notify_all();
  }

  Status RegisterServices() {
    auto context = std::make_shared<BridgeContext>();
    context->channel = std::shared_ptr<grpc::Channel>(channel_.get(), [](grpc::Channel*) {});  // see ReleaseChannel
    context->calls = calls_;
    context->store = &engine_->store();
    context->env = env_.get();
    context->relay_timeout = options_.relay_timeout;
    context->log = options_.log;
    context->resolve = [this](const std::string& service, const std::string& method, const google::protobuf::Any& payload,
                              MetadataEntries metadata) { return Resolve(service, method, payload, std::move(metadata)); };
    context->report_violation = [this, context = context.get()](const std::string& message) {
      ReportErrorAsync(context->channel, *calls_, message);
    };
    context->report_error = [this, context = context.get()](const std::string& message) {
      std::string line = message;
      for (size_t at; (at = line.find("\n  ")) != std::string::npos;) line.replace(at, 3, "; ");
      Log(LogLevel::kWarning, "the user function named a target nobody serves: " + line);
      context->report_violation(message);
    };
    bridges_ = context;
    EngineExtensions& extensions = ExtensionsOf(*engine_);
    for (const auto& service : services_) {
      EntityTypeOptions type_options;
      type_options.persistence_id = service.persistence_id;
      type_options.passivation_timeout = service.passivation_timeout;
      Status status;
      switch (service.kind) {
        case EntityKind::kEventSourced:
          status = extensions.RegisterRuntime(service.name, type_options, [context, name = service.name](
                                                                              const std::string& pid, TargetCheck) {
            return MakeEventSourcedBridgeFactory(context, name, pid);
          });
          break;
        case EntityKind::kValueEntity:
          status = extensions.RegisterRuntime(service.name, type_options, [context, name = service.name](
                                                                              const std::string& pid, TargetCheck) {
            return MakeValueEntityBridgeFactory(context, name, pid);
          });
          break;
        case EntityKind::kAction: status = extensions.RegisterStateless(service.name, MakeActionBridge(context)); break;
        case EntityKind::kCrdt:
          status = extensions.RegisterRuntime(service.name, type_options, [context, name = service.name, &extensions](
                                                                              const std::string& pid, TargetCheck) {
            return MakeCrdtBridgeFactory(context, name, pid, extensions.replicator());
          });
          break;
      }
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }

  // One consumer per subscription, each on its own thread, from its committed offset on; woken by
  // this sidecar's appends to its log.
  void StartConsumers() {
    EventLogConsumerOptions options;
    options.poll_interval = options_.eventing_poll_interval;
    options.backoff_min = options_.eventing_backoff_min;
    options.backoff_max = options_.eventing_backoff_max;
    options.log = options_.log;
    std::lock_guard lock(consumers_mu_);
    auto wake_list = std::make_shared<std::vector<std::pair<std::string, std::weak_ptr<EventLogConsumer>>>>();
    for (const auto& subscription : subscriptions_) {
      consumers_.push_back(std::make_shared<EventLogConsumer>(
          engine_->store(), subscription.event_log, subscription.consumer_group,
          MakeEventLogDeliverer(subscription, *engine_, bridges_), options));
      wake_list->emplace_back(subscription.event_log, consumers_.back());
      Log(LogLevel::kInfo, "consuming event log " + subscription.event_log + " for " + subscription.service->name +
                               " (consumer group " + subscription.consumer_group + ")");
    }
    if (wake_list->empty()) return;
    // Weak: a consumer that is stopped and gone is simply not woken.
    appends_.Watch([wake_list](const std::string& persistence_id) {
      for (const auto& [event_log, consumer] : *wake_list) {
        if (event_log != persistence_id) continue;
        if (auto live = consumer.lock()) live->Wake();
      }
    });
  }

  // Before the engine stops: a consumer's last delivery may still need it.
  void StopConsumers(std::chrono::steady_clock::time_point deadline) {
    std::lock_guard lock(consumers_mu_);
    for (auto& consumer : consumers_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      consumer->Stop(std::max(left, std::chrono::milliseconds(0)));
    }
    consumers_.clear();
  }

  uint64_t SumOfConsumers(uint64_t EventLogConsumerProgress::*field) const {
    std::lock_guard lock(consumers_mu_);
    uint64_t sum = 0;
    for (const auto& consumer : consumers_) sum += consumer->Progress().*field;
    return sum;
  }

  // A forward or side effect of the user function, as a command the engine routes.
  Result<EntityCommand> Resolve(const std::string& service_name, const std::string& method_name,
                                const google::protobuf::Any& payload, MetadataEntries metadata) {
    const ServedService* service = nullptr;
    for (const auto& candidate : services_) {
      if (candidate.name == service_name) service = &candidate;
    }
    if (service == nullptr) return Status::NotFound("Service [" + service_name + "] unknown");
    auto method = service->methods.find(method_name);
    if (method == service->methods.end()) {
      return Status::NotFound("Service [" + service_name + "] does not have a command named: [" + method_name + "]");
    }
    EntityCommand command;
    command.entity_type = service_name;
    command.name = method_name;
    command.payload = payload;
    command.metadata = std::move(metadata);
    if (service->kind != EntityKind::kAction) {
      Result<std::string> id = ExtractEntityId(payload.value(), method->second.key_fields);
      if (!id.ok()) return id.status();
      command.entity_id = std::move(*id);
    }
    return command;
  }

  SidecarOptions options_;
  std::unique_ptr<Engine> engine_;
  AppendWatchingStore& appends_;  // the engine's store
  std::shared_ptr<Env> env_;
  std::shared_ptr<grpc::Channel> channel_;  // the only owner besides live calls (see ReleaseChannel)
  std::shared_ptr<CallTracker> calls_ = std::make_shared<CallTracker>();
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::vector<ServedService> services_;
  std::vector<EventLogSubscription> subscriptions_;  // point into services_
  mutable std::mutex consumers_mu_;  // metrics read them while discovery starts them
  std::vector<std::shared_ptr<EventLogConsumer>> consumers_;
  std::shared_ptr<const BridgeContext> bridges_;
  MetricsRegistry metrics_;
  // Per-method request counts and latencies, which the gRPC front records into.
  RequestMetrics request_metrics_{metrics_};
  std::unique_ptr<GrpcFront> front_;
  std::unique_ptr<HttpJsonFront> http_json_;  // HTTP/JSON of the services, once discovered
  GrpcGate gate_;
  DeferredHttpService http_json_gate_;
  ReflectionService reflection_;
  std::unique_ptr<HttpRouter> ops_;
  std::unique_ptr<ClientPort> client_port_;  // before everything above goes (declared last)

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool ready_ = false;
  bool stopping_ = false;
  Status failure_;
  int port_ = 0;  // set by Begin, before any other thread starts
  std::thread discovery_;
  std::once_flag shutdown_once_;
};

}  // namespace

namespace {

// The channel to the user function, already connecting: the handshake overlaps opening the store.
std::shared_ptr<grpc::Channel> ConnectToFunction(const SidecarOptions& options) {
  std::string target = options.user_function_host + ":" + std::to_string(options.user_function_port);
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(options.max_inbound_message_bytes);
  // A user function that went away is reconnected to on our backoff, not gRPC's (up to 120 s);
  // faster than 100 ms would only burn CPU.
  int reconnect_min = static_cast<int>(std::max<int64_t>(options.backoff_min.count(), 100));
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, reconnect_min);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, reconnect_min);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
                   static_cast<int>(std::max<int64_t>(options.backoff_max.count(), reconnect_min)));
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments);
  channel->GetState(/*try_to_connect=*/true);
  return channel;
}

}  // namespace

Result<std::unique_ptr<Sidecar>> Sidecar::Start(SidecarOptions options) {
  if (!options.log) options.log = StderrLogSink(LogLevel::kInfo);
  if (options.port < 0 || options.port > 65535) return Status::InvalidArgument("port must be 0..65535");
  if (options.relay_timeout.count() <= 0) return Status::InvalidArgument("relay timeout must be positive");
  if (options.backoff_min.count() < 0 || options.backoff_max < options.backoff_min) {
    return Status::InvalidArgument("backoff: need 0 <= min <= max");
  }
  if (options.max_inbound_message_bytes <= 0) return Status::InvalidArgument("max inbound message size must be positive");
  EngineOptions engine_options;
  engine_options.store = options.store;
  engine_options.worker_threads = options.worker_threads;
  engine_options.passivation_timeout = options.passivation_timeout;
  engine_options.log = options.log;
  engine_options.env = NewDefaultEnv(options.worker_threads);
  auto env = engine_options.env;
  std::shared_ptr<grpc::Channel> channel = ConnectToFunction(options);
  StoreRegistry registry;
  RegisterBuiltinStores(registry);
  Result<std::unique_ptr<Store>> store = registry.Open(options.store);
  if (!store.ok()) return store.status();
  auto watched = std::make_unique<AppendWatchingStore>(std::move(*store));
  AppendWatchingStore& appends = *watched;
  Result<std::unique_ptr<Engine>> engine = Engine::Open(engine_options, std::move(watched));
  if (!engine.ok()) return engine.status();
  // Before discovery registers the CRDT types, which take the replicator then.
  if (options.replicator) ExtensionsOf(**engine).SetReplicator(options.replicator);
  auto sidecar = std::make_unique<SidecarImpl>(std::move(options), std::move(*engine), appends, std::move(env),
                                               std::move(channel));
  if (Status status = sidecar->Begin(); !status.ok()) return status;
  return std::unique_ptr<Sidecar>(std::move(sidecar));
}

}  // namespace cloudstate::proxy
