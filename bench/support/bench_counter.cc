#include "support/bench_counter.h"

#include <google/protobuf/wrappers.pb.h>

namespace cloudstate::bench {
namespace {

using google::protobuf::Any;
using google::protobuf::Int64Value;

Int64Value Int64(int64_t value) {
  Int64Value message;
  message.set_value(value);
  return message;
}

class BenchCounter final : public EventSourcedEntity {
 public:
  Status HandleEvent(const Any& event, int64_t) override {
    fold_.Apply(event);
    return Status::Ok();
  }

  void HandleCommand(const Any& command, EventSourcedCommandContext& context) override {
    if (context.CommandName() == "Add") {
      Result<Int64Value> add = Unpack<Int64Value>(command);
      if (!add.ok()) return context.Fail(add.status().message());
      context.Emit(*add);
    }
    context.Reply(Int64(fold_.events));
  }

 private:
  EventFold fold_;
};

}  // namespace

Status RegisterBenchCounter(Engine& engine, const std::string& entity_type, EntityTypeOptions options) {
  return engine.RegisterEventSourced(
      entity_type, [](const std::string&) { return std::make_unique<BenchCounter>(); }, std::move(options));
}

Any CounterEvent(int64_t value) {
  Any any;
  any.PackFrom(Int64(value));
  return any;
}

EntityCommand AddCommand(const std::string& entity_type, std::string entity_id, int64_t value) {
  return MakeCommand(entity_type, std::move(entity_id), "Add", Int64(value));
}

EntityCommand GetCommand(const std::string& entity_type, std::string entity_id) {
  return MakeCommand(entity_type, std::move(entity_id), "Get", Int64(0));
}

}  // namespace cloudstate::bench
