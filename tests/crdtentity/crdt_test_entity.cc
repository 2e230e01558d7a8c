#include "crdt_test_entity.h"

#include <string>

namespace cloudstate::testing {
namespace {

std::string Join(const std::vector<google::protobuf::Any>& elements) {
  std::string out;
  for (const auto& element : elements) out += (out.empty() ? "" : ",") + TextOf(element);
  return "{" + out + "}";
}

class TestEntity final : public CrdtEntity {
 public:
  void HandleCommand(const google::protobuf::Any& command, CrdtCommandContext& ctx) override {
    const std::string& name = ctx.CommandName();
    std::string arg = TextOf(command);
    for (const auto& [key, value] : ctx.CommandMetadata()) {
      if (key == "wc") ctx.SetWriteConsistency(value == "all" ? WriteConsistency::kAll : WriteConsistency::kMajority);
    }
    if (name == "gc+") ctx.StateOrCreate<GCounter>().Increment(std::stoull(arg));
    else if (name == "pn+") ctx.StateOrCreate<PNCounter>().Increment(std::stoll(arg));
    else if (name == "gs+") ctx.StateOrCreate<GSet>().Add(Text(arg));
    else if (name == "os+") ctx.StateOrCreate<ORSet>().Add(Text(arg));
    else if (name == "os-") ctx.StateOrCreate<ORSet>().Remove(Text(arg));
    else if (name == "os0") ctx.StateOrCreate<ORSet>().Clear();
    else if (name == "lww") ctx.StateOrCreate<LwwRegister>().Set(Text(arg));
    else if (name == "flag") ctx.StateOrCreate<Flag>().Enable();
    else if (name == "map+") ctx.StateOrCreate<ORMap>().GetOrCreate<GCounter>(Text(arg)).Increment(1);
    else if (name == "map-") ctx.StateOrCreate<ORMap>().Remove(Text(arg));
    else if (name == "vote") ctx.StateOrCreate<Vote>().SetVote(arg == "true");
    else if (name == "del") ctx.DeleteState();
    else if (name == "fail") {
      ctx.StateOrCreate<GCounter>().Increment(100);  // must not survive the failure
      return ctx.Fail("refused");
    } else if (name == "watch") {
      std::string end = arg;
      ctx.OnChange([end](CrdtStreamContext& stream) {
        std::string now = Render(stream.State());
        stream.Reply(Text(now));
        if (now == end) stream.EndStream();
      });
      ctx.OnCancel([](CrdtCancelContext& cancel) {
        cancel.StateOrCreate<PNCounter>().Decrement(1);
        cancel.SideEffect(EntityCommand{"Log", "log", "note", Text(cancel.EntityId()), {}});
      });
      return;  // no reply: the caller gets messages only
    }
    ctx.Reply(Text(Render(ctx.State())));
  }
};

}  // namespace

google::protobuf::Any Text(const std::string& text) {
  google::protobuf::StringValue value;
  value.set_value(text);
  return PackAny(value);
}

std::string TextOf(const google::protobuf::Any& any) {
  google::protobuf::StringValue value;
  any.UnpackTo(&value);
  return value.value();
}

std::string Render(const CrdtValue* value) {
  if (value == nullptr) return "none";
  switch (value->kind()) {
    case CrdtKind::kGCounter: return "GCounter " + std::to_string(static_cast<const GCounter*>(value)->Value());
    case CrdtKind::kPNCounter: return "PNCounter " + std::to_string(static_cast<const PNCounter*>(value)->Value());
    case CrdtKind::kGSet: return "GSet " + Join(static_cast<const GSet*>(value)->Elements());
    case CrdtKind::kORSet: return "ORSet " + Join(static_cast<const ORSet*>(value)->Elements());
    case CrdtKind::kLwwRegister: return "LWWRegister " + TextOf(static_cast<const LwwRegister*>(value)->Value());
    case CrdtKind::kFlag: return std::string("Flag ") + (static_cast<const Flag*>(value)->Value() ? "on" : "off");
    case CrdtKind::kVote: {
      auto* vote = static_cast<const Vote*>(value);
      return "Vote " + std::to_string(vote->SelfVote()) + "/" + std::to_string(vote->VotesFor()) + "/" +
             std::to_string(vote->TotalVoters());
    }
    case CrdtKind::kORMap: {
      auto* map = const_cast<ORMap*>(static_cast<const ORMap*>(value));
      std::string out;
      for (const auto& key : map->Keys()) out += (out.empty() ? "" : ",") + TextOf(key) + ":" + Render(map->Get(key));
      return "ORMap {" + out + "}";
    }
  }
  return "?";
}

std::unique_ptr<CrdtEntity> NewCrdtTestEntity(const std::string&) { return std::make_unique<TestEntity>(); }

}  // namespace cloudstate::testing
