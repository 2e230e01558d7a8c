#include "function/action_adapter.h"

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "function/handler_outcome.h"

namespace cloudstate::function {
namespace {

using google::protobuf::MethodDescriptor;

// Builds one response at a time; keeps the responses sent so far until the adapter takes them.
class ActionContextImpl final : public ActionContext {
 public:
  ActionContextImpl(const Registry& registry, const MethodDescriptor& method, MetadataEntries call_metadata,
                    bool streamed_out)
      : registry_(registry),
        method_(method),
        service_name_(method.service()->full_name()),
        call_metadata_(std::move(call_metadata)),
        streamed_out_(streamed_out) {}

  const std::string& ServiceName() const override { return service_name_; }
  const std::string& CommandName() const override { return method_.name(); }
  const MetadataEntries& CallMetadata() const override { return call_metadata_; }
  const MetadataEntries& MessageMetadata() const override { return message_metadata_; }

  void Reply(google::protobuf::Any payload, MetadataEntries metadata = {}) override {
    if (!End("Reply")) return;
    pending_.kind = Outcome::Kind::kReply;
    pending_.reply = ReplyPayload(std::move(payload), method_);
    pending_.reply_metadata = std::move(metadata);
  }
  using ActionContext::Reply;

  void Forward(EntityCommand command) override {
    if (!End("Forward")) return;
    pending_.kind = Outcome::Kind::kForward;
    pending_.forward = ToTarget(std::move(command));
    Check(pending_.forward);
  }

  void Fail(std::string description) override {
    if (!End("Fail")) return;
    pending_.kind = Outcome::Kind::kFailure;
    pending_.failure = std::move(description);
  }

  void SideEffect(EntityCommand command, bool synchronous = false) override {
    touched_ = true;
    pending_.side_effects.push_back(EffectCall{ToTarget(std::move(command)), synchronous});
    Check(pending_.side_effects.back().call);
  }

  void Send() override {
    if (!streamed_out_) {
      MarkBroken("called Send, which only streamed-out and duplex calls allow");
      return;
    }
    Flush();
  }

  void set_message_metadata(MetadataEntries metadata) { message_metadata_ = std::move(metadata); }

  // Runs one handler method, turning an exception into a broken call.
  template <typename Fn>
  void Run(Fn&& fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      MarkBroken(std::string("handler threw: ") + e.what());
    } catch (...) {
      MarkBroken("handler threw a non-standard exception");
    }
  }

  bool broken() const { return !broken_.empty(); }
  bool failed() const { return pending_.kind == Outcome::Kind::kFailure; }

  // Sends the pending response if anything was added to it.
  void FlushIfTouched() {
    if (touched_) Flush();
  }

  // The responses sent so far, then (for a broken call) the failure that ends it.
  std::vector<Outcome> TakeSent() {
    std::vector<Outcome> sent = std::move(sent_);
    sent_.clear();
    if (broken()) {
      std::string description = service_name_ + "." + method_.name() + ": " + broken_;
      if (registry_.log) registry_.log(LogLevel::kWarning, "action " + description);
      sent.push_back(Outcome::Failure(std::move(description), false));
    }
    return sent;
  }

  // The single response of a unary or streamed-in call.
  Outcome TakeOnly() {
    if (broken()) return std::move(TakeSent().back());
    return std::move(pending_);
  }

 private:
  // Allows one ending per response; a second one breaks the call.
  bool End(const char* how) {
    touched_ = true;
    if (ended_ != nullptr) {
      MarkBroken(std::string("called ") + how + " after " + ended_ + " in one response");
      return false;
    }
    ended_ = how;
    return true;
  }

  void Check(const TargetCall& target) {
    if (Status status = registry_.CheckTarget(target); !status.ok()) MarkBroken(status.message());
  }

  void MarkBroken(std::string reason) {
    if (broken_.empty()) broken_ = std::move(reason);
  }

  void Flush() {
    if (broken()) return;
    sent_.push_back(std::move(pending_));
    pending_ = Outcome();
    ended_ = nullptr;
    touched_ = false;
  }

  const Registry& registry_;
  const MethodDescriptor& method_;
  const std::string service_name_;
  const MetadataEntries call_metadata_;
  const bool streamed_out_;  // many responses: streamed-out and duplex calls
  MetadataEntries message_metadata_;
  Outcome pending_;
  const char* ended_ = nullptr;
  bool touched_ = false;
  std::vector<Outcome> sent_;
  std::string broken_;
};

class ActionAdapter final : public ActionInstance {
 public:
  ActionAdapter(const Registry& registry, const MethodDescriptor& method, MetadataEntries call_metadata,
                std::unique_ptr<Action> action)
      : action_(std::move(action)),
        context_(registry, method, call_metadata, method.server_streaming()),
        call_metadata_(std::move(call_metadata)),
        streamed_out_(method.server_streaming()) {}

  Outcome Unary(const google::protobuf::Any& command) override {
    context_.set_message_metadata(call_metadata_);
    context_.Run([&] { action_->HandleUnary(command, context_); });
    return context_.TakeOnly();
  }

  std::vector<Outcome> StreamedOut(const google::protobuf::Any& command) override {
    context_.set_message_metadata(call_metadata_);
    context_.Run([&] { action_->HandleStreamedOut(command, context_); });
    context_.FlushIfTouched();
    return context_.TakeSent();
  }

  std::vector<Outcome> Message(const google::protobuf::Any& message, MetadataPairs metadata, bool& ended) override {
    context_.set_message_metadata(std::move(metadata));
    context_.Run([&] { action_->HandleStreamedMessage(message, context_); });
    if (context_.broken()) {
      ended = true;
      return context_.TakeSent();
    }
    if (!streamed_out()) {
      // A client-streaming call answers once: at the end, or at once when the handler fails it.
      if (!context_.failed()) return {};
      ended = true;
      return {context_.TakeOnly()};
    }
    context_.FlushIfTouched();
    return context_.TakeSent();
  }

  std::vector<Outcome> End() override {
    context_.set_message_metadata({});
    context_.Run([&] { action_->HandleStreamEnd(context_); });
    if (!streamed_out()) return {context_.TakeOnly()};
    context_.FlushIfTouched();
    return context_.TakeSent();
  }

 private:
  bool streamed_out() const { return streamed_out_; }

  const std::unique_ptr<Action> action_;
  ActionContextImpl context_;
  const MetadataEntries call_metadata_;
  const bool streamed_out_;
};

}  // namespace

ActionInstanceFactory MakeActionInstanceFactory(const Registry& registry,
                                                const google::protobuf::ServiceDescriptor& service,
                                                ActionFactory factory) {
  return [&registry, &service, factory = std::move(factory)](
             const MethodDescriptor& method, MetadataPairs call_metadata) -> Result<std::unique_ptr<ActionInstance>> {
    std::string label = "the factory of action " + service.full_name();
    std::unique_ptr<Action> action;
    try {
      action = factory();
    } catch (const std::exception& e) {
      return Status::Internal(label + " threw: " + e.what());
    } catch (...) {
      return Status::Internal(label + " threw");
    }
    if (!action) return Status::Internal(label + " returned no action");
    return std::unique_ptr<ActionInstance>(
        std::make_unique<ActionAdapter>(registry, method, std::move(call_metadata), std::move(action)));
  };
}

}  // namespace cloudstate::function
