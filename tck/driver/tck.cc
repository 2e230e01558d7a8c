#include "tck.h"

#include "interceptor/relay.h"

namespace cloudstate::tck {

namespace {

Deadline After(std::chrono::milliseconds timeout) { return std::chrono::steady_clock::now() + timeout; }

bool IsAction(CallKind kind) {
  return kind == CallKind::kActionUnary || kind == CallKind::kActionStreamedIn ||
         kind == CallKind::kActionStreamedOut || kind == CallKind::kActionStreamed;
}

}  // namespace

std::string ConnectionProbe::Where(Direction direction) const {
  std::string service = connection_->service();
  return std::string(direction == Direction::kIn ? "proxy -> function" : "function -> proxy") + " on " +
         CallKindName(connection_->kind()) + " #" + std::to_string(connection_->serial()) +
         (service.empty() ? "" : " (" + service + ")");
}

std::unique_ptr<google::protobuf::Message> ConnectionProbe::Take(Direction direction, const std::string& wanted) {
  std::unique_ptr<google::protobuf::Message> message = connection_->Next(direction, After(timeout_));
  if (message == nullptr) {
    bool ended = connection_->WaitComplete(direction, std::chrono::steady_clock::now());
    Fail("missing message " + Where(direction), wanted,
         ended ? "the direction ended (" + connection_->Outcome(direction) + ")"
               : "nothing within " + std::to_string(timeout_.count()) + " ms");
  }
  if (IsAction(connection_->kind())) ClearActionMetadata(*message);
  return message;
}

void ConnectionProbe::Expect(Direction direction, const google::protobuf::Message& expected) {
  std::unique_ptr<google::protobuf::Message> actual = Take(direction, Describe(expected));
  ExpectEqual(expected, *actual, "unexpected message " + Where(direction));
}

void ConnectionProbe::ExpectInComplete() {
  if (connection_->WaitComplete(Direction::kIn, After(timeout_))) return;
  Fail("the proxy did not end its side of " + Where(Direction::kIn), "end of stream", "still open");
}

void ConnectionProbe::ExpectOutComplete() {
  if (connection_->WaitComplete(Direction::kOut, After(timeout_))) return;
  Fail("the function did not end its side of " + Where(Direction::kOut), "end of stream", "still open");
}

void ConnectionProbe::ExpectClosed(std::chrono::milliseconds within) {
  Deadline deadline = After(within);
  bool in = connection_->WaitComplete(Direction::kIn, deadline);
  bool out = connection_->WaitComplete(Direction::kOut, deadline);
  if (in && out) return;
  Fail("connection not closed within " + std::to_string(within.count()) + " ms: " + Where(Direction::kIn),
       "both directions ended",
       std::string("proxy side ") + (in ? "ended" : "open") + ", function side " + (out ? "ended" : "open"));
}

Tck::Tck(TckSettings settings, Recorder& recorder, ::cloudstate::ProxyInfo proxy_info, ::cloudstate::EntitySpec spec)
    : settings_(std::move(settings)),
      recorder_(recorder),
      proxy_info_(std::move(proxy_info)),
      spec_(std::move(spec)),
      proxy_(grpc::CreateChannel(settings_.proxy_host + ":" + std::to_string(settings_.proxy_port),
                                 grpc::InsecureChannelCredentials())),
      user_function_(grpc::CreateChannel(settings_.user_function, grpc::InsecureChannelCredentials())) {}

const ::cloudstate::Entity* Tck::Entity(const std::string& service) const {
  for (const auto& entity : spec_.entities()) {
    if (entity.service_name() == service) return &entity;
  }
  return nullptr;
}

void Tck::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + settings_.timeout);
}

void Tck::PrepareStream(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + 10 * settings_.timeout);
}

ConnectionProbe Tck::NextConnection(CallKind kind) {
  std::shared_ptr<Connection> connection = recorder_.Next(After(settings_.timeout));
  if (connection == nullptr) {
    Fail("the proxy made no call to the function", CallKindName(kind),
         "nothing within " + std::to_string(settings_.timeout.count()) + " ms");
  }
  if (connection->kind() != kind) {
    std::string service = connection->service();
    Fail("the proxy's next call to the function is of another kind", CallKindName(kind),
         std::string(CallKindName(connection->kind())) + (service.empty() ? "" : " for " + service));
  }
  return ConnectionProbe(std::move(connection), settings_.timeout);
}

void Tck::ExpectNoMoreConnections() {
  std::shared_ptr<Connection> extra = recorder_.Next(After(std::chrono::milliseconds(10)));
  if (extra == nullptr) return;
  std::string service = extra->service();
  Fail("the proxy made a call the case did not expect", "no further call",
       std::string(CallKindName(extra->kind())) + (service.empty() ? "" : " for " + service));
}

HttpResponse Tck::Http(const std::string& path, const std::string& body) {
  Result<HttpResponse> response = HttpCall(settings_.proxy_host, settings_.proxy_port, path, body, settings_.timeout);
  if (!response.ok()) Fail("HTTP " + path, "a response", response.status().ToString());
  return *response;
}

void ExpectOk(const grpc::Status& status, const std::string& call) {
  if (!status.ok()) Fail("client call " + call + " failed", "OK", DescribeStatus(status));
}

void ExpectFailure(const grpc::Status& status, const std::string& description, const std::string& call) {
  if (status.ok()) Fail("client call " + call + " succeeded", "an error \"" + description + "\"", "OK");
  if (status.error_message() != description) {
    Fail("client call " + call + " failed with another description", "\"" + description + "\"",
         DescribeStatus(status));
  }
}

}  // namespace cloudstate::tck
