#include "scripted_function.h"

#include <google/protobuf/descriptor.pb.h>

#include <set>

#include "cloudstate/entity.grpc.pb.h"
#include "cloudstate/event_sourced.grpc.pb.h"
#include "cloudstate/value_entity.grpc.pb.h"
#include "scripted.pb.h"
#include "scripted_services.h"

namespace cloudstate::sidecartest {

namespace es = cloudstate::eventsourced;
namespace ve = cloudstate::valueentity;
using google::protobuf::Any;
using google::protobuf::RepeatedPtrField;

namespace {

// `file` and everything it imports, dependencies first (what protoc --include_imports writes).
void AddWithImports(const google::protobuf::FileDescriptor* file, google::protobuf::FileDescriptorSet* set,
                    std::set<std::string>* seen) {
  if (!seen->insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) AddWithImports(file->dependency(i), set, seen);
  file->CopyTo(set->add_file());
}

cloudstate::EntitySpec DefaultSpec() {
  cloudstate::EntitySpec spec;
  google::protobuf::FileDescriptorSet set;
  std::set<std::string> seen;
  AddWithImports(Request::descriptor()->file(), &set, &seen);
  spec.set_proto(set.SerializeAsString());
  auto* info = spec.mutable_service_info();
  info->set_protocol_major_version(0);
  info->set_protocol_minor_version(2);
  info->set_service_name("scripted-function");
  auto* journaled = spec.add_entities();
  journaled->set_entity_type("cloudstate.eventsourced.EventSourced");
  journaled->set_service_name(kJournaled);
  journaled->set_persistence_id("journaled");
  auto* valued = spec.add_entities();
  valued->set_entity_type("cloudstate.valueentity.ValueEntity");
  valued->set_service_name(kValued);
  valued->set_persistence_id("valued");
  auto* replicated = spec.add_entities();
  replicated->set_entity_type("cloudstate.crdt.Crdt");
  replicated->set_service_name(kReplicated);
  replicated->set_persistence_id("replicated");
  return spec;
}

}  // namespace

Any Pack(const google::protobuf::Message& message) {
  Any any;
  any.PackFrom(message);
  return any;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : ",") + part;
  return joined;
}

void FillAction(const std::string& service, const Request& request, int64_t id, const std::string& state,
                cloudstate::ClientAction* action, RepeatedPtrField<cloudstate::SideEffect>* effects) {
  const std::string& mode = request.mode();
  if (mode == "failure" || mode == "restart-failure") {
    auto* failure = action->mutable_failure();
    failure->set_command_id(id);
    failure->set_description(mode == "failure" ? "rejected " + request.id() : "try again");
    failure->set_restart(mode == "restart-failure");
    return;
  }
  if (mode.rfind("forward", 0) == 0) {
    Request target;
    target.set_id(request.target().empty() ? request.id() : request.target());
    target.set_mode("ok");
    auto* forward = action->mutable_forward();
    forward->set_service_name(mode == "forward-unknown-service" ? kNowhere
                              : mode == "forward-unknown-method" ? service
                                                                 : kValued);
    forward->set_command_name(mode == "forward-unknown-method" ? "Undo" : "Do");
    *forward->mutable_payload() = Pack(target);
    return;
  }
  if (mode == "side-effect-unknown-service") {
    auto* effect = effects->Add();
    effect->set_service_name(kNowhere);
    effect->set_command_name("Do");
    *effect->mutable_payload() = Pack(request);
    effect->set_synchronous(true);
  }
  Response response;
  response.set_state(state);
  response.set_command_id(id);
  *action->mutable_reply()->mutable_payload() = Pack(response);
}

int64_t ReplyId(const std::string& mode, int64_t id) {
  if (mode == "wrong-id") return id + 100;
  if (mode == "zero-id") return 0;
  return id;
}

std::optional<grpc::Status> StreamEnding(const std::string& mode) {
  if (mode == "close-stream") return grpc::Status::OK;
  if (mode == "fail-stream") return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the function fell over");
  return std::nullopt;
}

namespace {

class Discovery final : public cloudstate::EntityDiscovery::Service {
 public:
  explicit Discovery(std::shared_ptr<ScriptedFunction::Shared> shared) : shared_(std::move(shared)) {}

  grpc::Status discover(grpc::ServerContext*, const cloudstate::ProxyInfo*, cloudstate::EntitySpec* spec) override {
    *spec = DefaultSpec();
    std::lock_guard lock(shared_->mu);
    shared_->discoveries++;
    if (shared_->edit_spec) shared_->edit_spec(*spec);
    return grpc::Status::OK;
  }

  grpc::Status reportError(grpc::ServerContext*, const cloudstate::UserFunctionError* error,
                           google::protobuf::Empty*) override {
    std::lock_guard lock(shared_->mu);
    shared_->reported.push_back(error->message());
    return grpc::Status::OK;
  }

 private:
  std::shared_ptr<ScriptedFunction::Shared> shared_;
};

class EventSourced final : public es::EventSourced::Service {
 public:
  explicit EventSourced(std::shared_ptr<ScriptedFunction::Shared> shared) : shared_(std::move(shared)) {}

  grpc::Status handle(grpc::ServerContext*,
                      grpc::ServerReaderWriter<es::EventSourcedStreamOut, es::EventSourcedStreamIn>* stream) override {
    size_t index = shared_->NewStream("event-sourced");
    std::vector<std::string> state;
    std::optional<grpc::Status> ending;
    es::EventSourcedStreamIn in;
    while (!ending && stream->Read(&in)) {
      if (in.has_init()) {
        shared_->Update(index, [&](StreamRecord& record) {
          record.inits++;
          record.service = in.init().service_name();
          record.entity_id = in.init().entity_id();
        });
      } else if (in.has_event()) {
        state.push_back(TextOf<Event>(in.event().payload()));
        shared_->Update(index, [&](StreamRecord& record) {
          record.event_sequences.push_back(in.event().sequence());
          record.events.push_back(state.back());
        });
      } else if (in.has_command()) {
        ending = Answer(index, in.command(), state, *stream);
      }
    }
    shared_->Update(index, [](StreamRecord& record) { record.ended = true; });
    return ending.value_or(grpc::Status::OK);
  }

 private:
  std::optional<grpc::Status> Answer(size_t index, const cloudstate::Command& command, std::vector<std::string>& state,
                                     grpc::ServerReaderWriter<es::EventSourcedStreamOut, es::EventSourcedStreamIn>& stream) {
    Request request;
    request.ParseFromString(command.payload().value());
    const std::string& mode = request.mode();
    shared_->Update(index, [&](StreamRecord& record) {
      record.command_ids.push_back(command.id());
      record.command_modes.push_back(mode);
    });
    if (auto ending = StreamEnding(mode)) return ending;
    if (mode == "hang") return std::nullopt;
    es::EventSourcedStreamOut out;
    if (mode == "failure-message") {
      out.mutable_failure()->set_command_id(command.id());
      out.mutable_failure()->set_description("the function is confused");
    } else if (mode != "empty-message") {
      auto* reply = out.mutable_reply();
      reply->set_command_id(ReplyId(mode, command.id()));
      if (mode == "emit" || mode == "restart-failure") {
        for (const auto& text : request.events()) {
          Event event;
          event.set_text(text);
          *reply->add_events() = Pack(event);
          if (mode == "emit") state.push_back(text);
        }
      }
      FillAction(kJournaled, request, command.id(), Join(state), reply->mutable_client_action(),
                 reply->mutable_side_effects());
    }
    stream.Write(out);
    if (mode == "double-reply") stream.Write(out);
    return std::nullopt;
  }

  std::shared_ptr<ScriptedFunction::Shared> shared_;
};

class ValueEntity final : public ve::ValueEntity::Service {
 public:
  explicit ValueEntity(std::shared_ptr<ScriptedFunction::Shared> shared) : shared_(std::move(shared)) {}

  grpc::Status handle(grpc::ServerContext*,
                      grpc::ServerReaderWriter<ve::ValueEntityStreamOut, ve::ValueEntityStreamIn>* stream) override {
    size_t index = shared_->NewStream("value-entity");
    std::string state;
    std::optional<grpc::Status> ending;
    ve::ValueEntityStreamIn in;
    while (!ending && stream->Read(&in)) {
      if (in.has_init()) {
        if (in.init().state().has_value()) state = TextOf<State>(in.init().state().value());
        shared_->Update(index, [&](StreamRecord& record) {
          record.inits++;
          record.service = in.init().service_name();
          record.entity_id = in.init().entity_id();
          record.init_has_state = in.init().has_state();
          record.init_state = state;
        });
      } else if (in.has_command()) {
        ending = Answer(index, in.command(), state, *stream);
      }
    }
    shared_->Update(index, [](StreamRecord& record) { record.ended = true; });
    return ending.value_or(grpc::Status::OK);
  }

 private:
  std::optional<grpc::Status> Answer(size_t index, const cloudstate::Command& command, std::string& state,
                                     grpc::ServerReaderWriter<ve::ValueEntityStreamOut, ve::ValueEntityStreamIn>& stream) {
    Request request;
    request.ParseFromString(command.payload().value());
    const std::string& mode = request.mode();
    shared_->Update(index, [&](StreamRecord& record) {
      record.command_ids.push_back(command.id());
      record.command_modes.push_back(mode);
    });
    if (auto ending = StreamEnding(mode)) return ending;
    if (mode == "hang") return std::nullopt;
    ve::ValueEntityStreamOut out;
    if (mode == "failure-message") {
      out.mutable_failure()->set_command_id(command.id());
      out.mutable_failure()->set_description("the function is confused");
    } else if (mode != "empty-message") {
      auto* reply = out.mutable_reply();
      reply->set_command_id(ReplyId(mode, command.id()));
      if (mode == "emit") {
        state = Join({request.events().begin(), request.events().end()});
        State stored;
        stored.set_text(state);
        *reply->mutable_state_action()->mutable_update()->mutable_value() = Pack(stored);
      } else if (mode == "delete") {
        state.clear();
        reply->mutable_state_action()->mutable_delete_();
      } else if (mode == "bad-state-action") {
        reply->mutable_state_action();
      }
      FillAction(kValued, request, command.id(), state, reply->mutable_client_action(), reply->mutable_side_effects());
    }
    stream.Write(out);
    if (mode == "double-reply") stream.Write(out);
    return std::nullopt;
  }

  std::shared_ptr<ScriptedFunction::Shared> shared_;
};

}  // namespace

ScriptedFunction::ScriptedFunction(std::function<void(cloudstate::EntitySpec&)> edit_spec)
    : shared_(std::make_shared<Shared>()) {
  shared_->edit_spec = std::move(edit_spec);
}

ScriptedFunction::~ScriptedFunction() { Stop(); }

bool ScriptedFunction::Start(int port) {
  // Fresh services per server: gRPC ties a service object to the server it was registered with.
  discovery_ = std::make_unique<Discovery>(shared_);
  event_sourced_ = std::make_unique<EventSourced>(shared_);
  value_entity_ = std::make_unique<ValueEntity>(shared_);
  crdt_ = MakeScriptedCrdt(shared_);
  grpc::ServerBuilder builder;
  int selected = 0;
  builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials(), &selected);
  builder.RegisterService(discovery_.get());
  builder.RegisterService(event_sourced_.get());
  builder.RegisterService(value_entity_.get());
  builder.RegisterService(crdt_.get());
  server_ = builder.BuildAndStart();
  if (!server_ || selected == 0) return false;
  port_ = selected;
  return true;
}

void ScriptedFunction::Stop() {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now());  // cancels the open streams at once
  server_->Wait();
  server_.reset();
}

std::vector<StreamRecord> ScriptedFunction::Streams(const std::string& entity_id) const {
  std::lock_guard lock(shared_->mu);
  std::vector<StreamRecord> found;
  for (const auto& stream : shared_->streams) {
    if (stream.entity_id == entity_id) found.push_back(stream);
  }
  return found;
}

std::vector<std::string> ScriptedFunction::ReportedErrors() const {
  std::lock_guard lock(shared_->mu);
  return shared_->reported;
}

int ScriptedFunction::Discoveries() const {
  std::lock_guard lock(shared_->mu);
  return shared_->discoveries;
}

}  // namespace cloudstate::sidecartest
