// The recorder: target of forwards and side effects (see test_entities.h).
#include <stdexcept>

#include "test_entities.h"

namespace cloudstate::testing {
namespace {

using google::protobuf::Any;
using google::protobuf::Int64Value;

class Recorder final : public ValueEntity {
 public:
  Recorder(std::shared_ptr<Probe> probe, std::string key) : probe_(std::move(probe)), key_(std::move(key)) {
    probe_->Instance(key_);
  }

  void HandleCommand(const Any& command, ValueCommandContext& ctx) override {
    (void)command;
    CommandRecord record{ctx.CommandName(), ctx.CommandId(), ctx.CommandMetadata()};
    CheckSourcePersisted(record);
    probe_->EnterCommand(key_, record);
    struct Leave {
      Probe& probe;
      const std::string& key;
      ~Leave() { probe.LeaveCommand(key); }
    } leave{*probe_, key_};

    if (ctx.CommandName() == "Refuse") return ctx.Fail("recorder refused");
    if (ctx.CommandName() == "Throw") throw std::runtime_error("recorder exploded");
    int64_t count = 0;
    if (const Any* state = ctx.State()) {
      if (auto value = Unpack<Int64Value>(*state); value.ok()) count = value->value();
    }
    ctx.UpdateState(Int64(count + 1));
    ctx.Reply(Int64(count + 1));
  }

 private:
  // A forward or side effect must only be sent once its source's events are in the store.
  void CheckSourcePersisted(const CommandRecord& record) {
    std::string source = record.Get("source");
    std::string wanted = record.Get("source-sequence");
    Engine* engine = probe_->engine.load();
    if (source.empty() || wanted.empty() || std::stoll(wanted) == 0 || engine == nullptr) return;
    auto slash = source.find('/');
    EntityKey key{source.substr(0, slash), source.substr(slash + 1)};
    auto highest = engine->store().journal().HighestSequence(key);
    if (!highest.ok() || *highest < std::stoll(wanted)) {
      probe_->Violation(key_ + " got " + record.name + " from " + source + " before its event " + wanted +
                        " was persisted");
    }
  }

  std::shared_ptr<Probe> probe_;
  std::string key_;
};

}  // namespace

ValueEntityFactory RecorderFactory(std::shared_ptr<Probe> probe, std::string entity_type) {
  return [probe = std::move(probe), type = std::move(entity_type)](const std::string& id) {
    return std::make_unique<Recorder>(probe, type + "/" + id);
  };
}

}  // namespace cloudstate::testing
