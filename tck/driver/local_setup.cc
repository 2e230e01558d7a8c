#include "local_setup.h"

#include "cloudstate/function_server.h"
#include "interceptor/interceptor.h"
#include "model/model_function.h"
#include "proxy/sidecar.h"

namespace cloudstate::tck {
namespace {

class LocalSetupImpl final : public LocalSetup {
 public:
  ~LocalSetupImpl() override {
    if (sidecar_ != nullptr) sidecar_->Shutdown(std::chrono::milliseconds(500));
    if (interceptor_ != nullptr) interceptor_->Shutdown();
    if (function_ != nullptr) {
      function_->Shutdown(std::chrono::milliseconds(500));
      function_->Wait();
    }
  }

  Status Start(const LocalSetupOptions& options) {
    LogSink log = options.log ? options.log : StderrLogSink(LogLevel::kWarning);
    FunctionServerOptions function_options;
    function_options.port = 0;
    function_options.service_name = "cloudstate-tck-model";
    function_options.log = log;
    function_ = std::make_unique<FunctionServer>(function_options);
    Status status = AddModelServices(*function_);
    if (status.ok()) status = function_->Start();
    if (!status.ok()) return status;

    InterceptorOptions interceptor_options;
    interceptor_options.user_function = "127.0.0.1:" + std::to_string(function_->port());
    interceptor_options.alteration = options.alteration;
    auto interceptor = Interceptor::Start(interceptor_options);
    if (!interceptor.ok()) return interceptor.status();
    interceptor_ = std::move(*interceptor);

    proxy::SidecarOptions sidecar_options;
    sidecar_options.bind_address = "127.0.0.1";
    sidecar_options.port = 0;
    sidecar_options.user_function_port = interceptor_->port();
    sidecar_options.store.kind = "memory";
    sidecar_options.relay_timeout = options.relay_timeout;
    sidecar_options.backoff_min = std::chrono::milliseconds(100);  // everything is starting right now
    sidecar_options.backoff_max = std::chrono::milliseconds(1000);
    sidecar_options.log = log;
    auto sidecar = proxy::Sidecar::Start(sidecar_options);
    if (!sidecar.ok()) return sidecar.status();
    sidecar_ = std::move(*sidecar);
    return Status::Ok();
  }

  TckSettings settings() const override {
    TckSettings settings;
    settings.proxy_port = sidecar_->port();
    settings.user_function = "127.0.0.1:" + std::to_string(function_->port());
    return settings;
  }

  Recorder& recorder() override { return interceptor_->recorder(); }

 private:
  std::unique_ptr<FunctionServer> function_;
  std::unique_ptr<Interceptor> interceptor_;
  std::unique_ptr<proxy::Sidecar> sidecar_;
};

}  // namespace

Result<std::unique_ptr<LocalSetup>> LocalSetup::Start(LocalSetupOptions options) {
  auto setup = std::make_unique<LocalSetupImpl>();
  if (Status status = setup->Start(options); !status.ok()) return status;
  return std::unique_ptr<LocalSetup>(std::move(setup));
}

}  // namespace cloudstate::tck
