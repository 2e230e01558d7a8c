#include "counter_function.h"

#include "counter.pb.h"

namespace cloudstate::bench {
namespace {

class CounterEntity final : public EventSourcedEntity {
 public:
  Status HandleSnapshot(const google::protobuf::Any& snapshot, int64_t) override {
    CounterValue value;
    if (!snapshot.UnpackTo(&value)) return Status::InvalidArgument("not a counter snapshot: " + snapshot.type_url());
    value_ = value.value();
    return Status::Ok();
  }

  Status HandleEvent(const google::protobuf::Any& event, int64_t) override {
    Increment increment;
    if (!event.UnpackTo(&increment)) return Status::InvalidArgument("not a counter event: " + event.type_url());
    value_ += increment.by();
    return Status::Ok();
  }

  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) override {
    if (context.CommandName() == "Add") {
      Increment increment;
      if (!command.UnpackTo(&increment)) return context.Fail("not an Increment: " + command.type_url());
      context.Emit(increment);
      context.Reply(Value(value_ + increment.by()));  // the event is applied once it is persisted
      return;
    }
    if (context.CommandName() == "Get") return context.Reply(Value(value_));
    context.Fail("Unknown command " + context.CommandName());
  }

  std::optional<google::protobuf::Any> Snapshot() override {
    google::protobuf::Any snapshot;
    snapshot.PackFrom(Value(value_));
    return snapshot;
  }

 private:
  static CounterValue Value(int64_t value) {
    CounterValue message;
    message.set_value(value);
    return message;
  }

  int64_t value_ = 0;
};

}  // namespace

Status AddCounter(FunctionServer& server) {
  EventSourcedOptions options;
  options.persistence_id = "counter";
  options.snapshot_every = 100;
  const auto* service = CounterValue::descriptor()->file()->FindServiceByName("Counter");
  return server.AddEventSourced(service, [](const std::string&) { return std::make_unique<CounterEntity>(); }, options);
}

}  // namespace cloudstate::bench
