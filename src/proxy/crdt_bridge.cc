#include "proxy/crdt_bridge.h"

#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "cloudstate/crdt.grpc.pb.h"
#include "crdtentity/crdt_runtime.h"
#include "proxy/bidi_stream.h"

namespace cloudstate::proxy {
namespace {

namespace pb = cloudstate::crdt;
using crdtentity::CrdtAnswer;
using crdtentity::CrdtPortEvents;
using Stream = BidiStream<pb::CrdtStreamIn, pb::CrdtStreamOut>;

// What a client gets for a command the function failed with a Failure message; the reference
// words it so whatever the function said (semantics.md §7.4.12).
constexpr char kFailedCommand[] = "Failed to update CRDT at requested write consistency";

// What the function is told when its stream ends while still needed (the reference's texts,
// semantics.md §7.4.12), or carries an empty message (the spec is silent: worded like the rest).
constexpr char kStreamClosed[] = "Unexpected entity termination due to stream closure";
constexpr char kStreamFailed[] = "Entity crashed";
constexpr char kEmptyMessage[] = "Received an empty message";

// What the stream's callbacks share with the port; they may outlive it. Knows which commands and
// cancellations await an answer (for the relay timeout) and the method of each command, which
// routing errors name.
class Link {
 public:
  Link(std::shared_ptr<const BridgeContext> context, std::string service, std::string entity_id, CrdtPortEvents events)
      : context_(std::move(context)),
        service_(std::move(service)),
        entity_id_(std::move(entity_id)),
        label_("CRDT entity " + service_ + "/" + entity_id_),
        events_(std::move(events)) {}

  const BridgeContext& context() const { return *context_; }
  const std::string& service() const { return service_; }
  const std::string& entity_id() const { return entity_id_; }

  // A command goes out: its answer is due within the relay timeout.
  void Sent(int64_t id, const std::string& name) {
    {
      std::lock_guard lock(mu_);
      names_[id] = name;
      replies_due_.insert(id);
    }
    Due(id, false);
  }
  void CancelSent(int64_t id) {
    {
      std::lock_guard lock(mu_);
      cancels_due_.insert(id);
    }
    Due(id, true);
  }

  // We end the stream: its end is no failure from here on.
  void Closing() {
    std::lock_guard lock(mu_);
    closing_ = true;
  }

  void OnMessage(pb::CrdtStreamOut out) {
    switch (out.message_case()) {
      case pb::CrdtStreamOut::kReply: return OnReply(*out.mutable_reply());
      case pb::CrdtStreamOut::kStreamedMessage: return OnStreamed(*out.mutable_streamed_message());
      case pb::CrdtStreamOut::kStreamCancelledResponse: return OnCancelled(*out.mutable_stream_cancelled_response());
      case pb::CrdtStreamOut::kFailure: return OnFailure(out.failure());
      case pb::CrdtStreamOut::MESSAGE_NOT_SET: return Fail(Status::Internal(kEmptyMessage));
    }
  }

  void OnFinish(const grpc::Status& status) { Fail(Status::Unavailable(status.ok() ? kStreamClosed : kStreamFailed)); }

 private:
  void OnReply(pb::CrdtReply& reply) {
    const int64_t id = reply.command_id();
    CrdtAnswer answer;
    answer.kind = CrdtAnswer::Kind::kReply;
    answer.command_id = id;
    answer.streamed = reply.streamed();
    std::string origin = Answered(id, &replies_due_, !reply.streamed());
    answer.outcome = OutcomeOf(reply.client_action(), reply.side_effects(), context_->resolve, origin,
                               context_->report_error);
    if (reply.has_state_action()) answer.state_action = std::move(*reply.mutable_state_action());
    events_.on_answer(std::move(answer));
  }

  void OnStreamed(pb::CrdtStreamedMessage& message) {
    const int64_t id = message.command_id();
    CrdtAnswer answer;
    answer.kind = CrdtAnswer::Kind::kStreamed;
    answer.command_id = id;
    answer.end_stream = message.end_stream();
    std::string origin = Answered(id, nullptr, message.end_stream());
    answer.outcome = OutcomeOf(message.client_action(), message.side_effects(), context_->resolve, origin,
                               context_->report_error);
    events_.on_answer(std::move(answer));
  }

  void OnCancelled(pb::CrdtStreamCancelledResponse& response) {
    const int64_t id = response.command_id();
    CrdtAnswer answer;
    answer.kind = CrdtAnswer::Kind::kCancelled;
    answer.command_id = id;
    std::string origin = Answered(id, &cancels_due_, true);
    answer.outcome = OutcomeOf(cloudstate::ClientAction(), response.side_effects(), context_->resolve, origin,
                               context_->report_error);
    if (response.has_state_action()) answer.state_action = std::move(*response.mutable_state_action());
    events_.on_answer(std::move(answer));
  }

  // A failure naming a command fails that command; one naming none is only logged (the function
  // ends its stream after it when it cannot go on).
  void OnFailure(const cloudstate::Failure& failure) {
    const int64_t id = failure.command_id();
    std::string about;
    if (id != 0) {
      std::lock_guard lock(mu_);
      auto it = names_.find(id);
      about = ", command " + (it == names_.end() ? std::string("?") : it->second) + " (id " + std::to_string(id) + ")";
    }
    context_->log(LogLevel::kWarning,
                  label_ + about + ": the user function sent a failure: " + failure.description());
    if (id == 0) return;
    CrdtAnswer answer;
    answer.kind = CrdtAnswer::Kind::kReply;
    answer.command_id = failure.command_id();
    (void)Answered(failure.command_id(), &replies_due_, true);
    answer.outcome = CommandOutcome::Failed(Status::CommandFailed(kFailedCommand), false);
    events_.on_answer(std::move(answer));
  }

  // Marks the answer to `id` in (`due`, when given), forgets the command's name when `last`, and
  // returns the origin routing errors name: "<service>.<method>".
  std::string Answered(int64_t id, std::set<int64_t>* due, bool last) {
    std::lock_guard lock(mu_);
    if (due != nullptr) due->erase(id);
    auto it = names_.find(id);
    std::string name = it == names_.end() ? "<unknown command " + std::to_string(id) + ">" : it->second;
    if (last && it != names_.end()) names_.erase(it);
    return service_ + "." + name;
  }

  void Due(int64_t id, bool cancellation) {
    std::weak_ptr<Link> weak = self_;
    context_->env->ScheduleAt(context_->env->Now() + context_->relay_timeout, [weak, id, cancellation] {
      auto link = weak.lock();
      if (!link) return;
      {
        std::lock_guard lock(link->mu_);
        std::set<int64_t>& due = cancellation ? link->cancels_due_ : link->replies_due_;
        if (due.erase(id) == 0) return;
      }
      link->Fail(Status::DeadlineExceeded("No answer to " + std::string(cancellation ? "the cancellation of " : "") +
                                          "command " + std::to_string(id) + " within " +
                                          std::to_string(link->context_->relay_timeout.count()) + " ms"));
    });
  }

  // Reports the function's failure to the runtime, once, unless we are ending the stream anyway.
  void Fail(Status status) {
    {
      std::lock_guard lock(mu_);
      if (closing_ || failed_) return;
      failed_ = true;
    }
    events_.on_failure(std::move(status));
  }

  friend std::shared_ptr<Link> MakeLink(std::shared_ptr<const BridgeContext>, std::string, std::string,
                                        CrdtPortEvents);

  const std::shared_ptr<const BridgeContext> context_;
  const std::string service_;
  const std::string entity_id_;
  const std::string label_;
  const CrdtPortEvents events_;
  std::weak_ptr<Link> self_;

  std::mutex mu_;
  std::map<int64_t, std::string> names_;  // commands not finished yet: id -> method
  std::set<int64_t> replies_due_;
  std::set<int64_t> cancels_due_;
  bool closing_ = false;
  bool failed_ = false;
};

std::shared_ptr<Link> MakeLink(std::shared_ptr<const BridgeContext> context, std::string service,
                               std::string entity_id, CrdtPortEvents events) {
  auto link = std::make_shared<Link>(std::move(context), std::move(service), std::move(entity_id), std::move(events));
  link->self_ = link;
  return link;
}

// The port of one entity: its Crdt.handle stream. Called on the entity's queue only.
class StreamPort final : public crdtentity::CrdtPort {
 public:
  explicit StreamPort(std::shared_ptr<Link> link) : link_(std::move(link)) {
    stub_ = pb::Crdt::NewStub(link_->context().channel);
    std::weak_ptr<Link> weak = link_;
    auto on_message = [weak](pb::CrdtStreamOut out) {
      if (auto link = weak.lock()) link->OnMessage(std::move(out));
    };
    auto on_finish = [weak](const grpc::Status& status) {
      if (auto link = weak.lock()) link->OnFinish(status);
    };
    stream_ = Stream::Open(
        [this](grpc::ClientContext* ctx, grpc::ClientBidiReactor<pb::CrdtStreamIn, pb::CrdtStreamOut>* reactor) {
          stub_->async()->handle(ctx, reactor);
        },
        Stream::Handlers{std::move(on_message), std::move(on_finish)}, *link_->context().calls);
  }

  ~StreamPort() override { Close(); }

  void Init(const std::optional<pb::CrdtDelta>& state) override {
    pb::CrdtStreamIn in;
    in.mutable_init()->set_service_name(link_->service());
    in.mutable_init()->set_entity_id(link_->entity_id());
    if (state) *in.mutable_init()->mutable_delta() = *state;
    stream_->Send(std::move(in));
  }

  void Delta(const pb::CrdtDelta& delta) override {
    pb::CrdtStreamIn in;
    *in.mutable_delta() = delta;
    stream_->Send(std::move(in));
  }

  void Delete() override {
    pb::CrdtStreamIn in;
    in.mutable_delete_();
    stream_->Send(std::move(in));
    Close();
  }

  void Command(const EntityCommand& command, int64_t command_id, bool streamed) override {
    pb::CrdtStreamIn in;
    auto* message = in.mutable_command();
    message->set_entity_id(link_->entity_id());
    message->set_id(command_id);
    message->set_name(command.name);
    *message->mutable_payload() = command.payload;
    message->set_streamed(streamed);
    if (!command.metadata.empty()) *message->mutable_metadata() = ToProtocol(command.metadata);
    link_->Sent(command_id, command.name);
    stream_->Send(std::move(in));
  }

  void Cancelled(int64_t command_id) override {
    pb::CrdtStreamIn in;
    in.mutable_stream_cancelled()->set_entity_id(link_->entity_id());
    in.mutable_stream_cancelled()->set_id(command_id);
    link_->CancelSent(command_id);
    stream_->Send(std::move(in));
  }

  // Half-closes: the function sees the end of the stream once everything queued is written.
  void Close() override {
    link_->Closing();
    stream_->Close();
  }

 private:
  std::shared_ptr<Link> link_;
  std::unique_ptr<pb::Crdt::Stub> stub_;
  std::shared_ptr<Stream> stream_;
};

}  // namespace

EntityRuntimeFactory MakeCrdtBridgeFactory(std::shared_ptr<const BridgeContext> context, std::string service_name,
                                           std::string persistence_id, std::shared_ptr<Replicator> replicator) {
  auto type = std::make_shared<crdtentity::CrdtTypeContext>();
  type->values = &context->store->values();
  type->replicator = std::move(replicator);
  type->persistence_id = std::move(persistence_id);
  type->label = "CRDT entity " + service_name;
  type->log = context->log;
  type->report_error = context->report_violation;
  type->open_port = [context, service_name](const std::string& entity_id,
                                            CrdtPortEvents events) -> Result<std::unique_ptr<crdtentity::CrdtPort>> {
    return std::unique_ptr<crdtentity::CrdtPort>(
        std::make_unique<StreamPort>(MakeLink(context, service_name, entity_id, std::move(events))));
  };
  return crdtentity::MakeCrdtRuntimeFactory(std::move(type));
}

}  // namespace cloudstate::proxy
