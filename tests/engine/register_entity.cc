// The value-entity test register (see test_entities.h for its commands).
#include <stdexcept>

#include "entity_routing.h"
#include "test_entities.h"

namespace cloudstate::testing {
namespace {

using google::protobuf::Any;
using google::protobuf::StringValue;

class Register final : public ValueEntity {
 public:
  Register(std::shared_ptr<Probe> probe, std::string key) : probe_(std::move(probe)), key_(std::move(key)) {
    probe_->Instance(key_);
  }

  void HandleCommand(const Any& command, ValueCommandContext& ctx) override {
    probe_->EnterCommand(key_, CommandRecord{ctx.CommandName(), ctx.CommandId(), ctx.CommandMetadata()});
    struct Leave {
      Probe& probe;
      const std::string& key;
      ~Leave() { probe.LeaveCommand(key); }
    } leave{*probe_, key_};
    Handle(command, ctx);
  }

 private:
  static std::string Show(const ValueCommandContext& ctx) {
    const Any* state = ctx.State();
    if (state == nullptr) return "<none>";
    auto value = Unpack<StringValue>(*state);
    return value.ok() ? value->value() : "<not a StringValue: " + state->type_url() + ">";
  }

  void Handle(const Any& command, ValueCommandContext& ctx) {
    const std::string& name = ctx.CommandName();
    std::string s;
    if (auto value = Unpack<StringValue>(command); value.ok()) s = value->value();

    if (name == "Get") return ctx.Reply(Str(Show(ctx)));
    if (name == "CommandId") return ctx.Reply(Int64(ctx.CommandId()));
    if (name == "Delete") {
      ctx.DeleteState();
      return ctx.Reply(Str(Show(ctx)));
    }
    if (name == "SetEmptyTypeUrl") {
      ctx.UpdateState(Any());
      return ctx.Reply(Str(Show(ctx)));
    }
    ctx.UpdateState(Str(s));
    if (name == "Set") {
      AddSideEffects(ctx, command, key_, 0);
      if (MaybeForward(ctx, command, key_, 0)) return;
      return ctx.Reply(Str(Show(ctx)));
    }
    if (name == "SetThenDelete") {
      ctx.DeleteState();
      return ctx.Reply(Str(Show(ctx)));
    }
    if (name == "SetThenFail") {
      AddSideEffects(ctx, command, key_, 0);
      return ctx.Fail("refused to set " + s);
    }
    if (name == "SetThenThrow") throw std::runtime_error("register exploded");
    if (name == "ReplyTwice") {
      ctx.Reply(Str(s));
      return ctx.Reply(Str(s));
    }
    if (name == "Block") {
      probe_->blocked++;
      if (!probe_->gate.Wait()) probe_->Violation(key_ + ": gate never opened");
      return ctx.Reply(Str(Show(ctx)));
    }
    ctx.Fail("unknown command " + name);
  }

  std::shared_ptr<Probe> probe_;
  std::string key_;
};

}  // namespace

ValueEntityFactory RegisterFactory(std::shared_ptr<Probe> probe, std::string entity_type) {
  return [probe = std::move(probe), type = std::move(entity_type)](const std::string& id) {
    return std::make_unique<Register>(probe, type + "/" + id);
  };
}

}  // namespace cloudstate::testing
