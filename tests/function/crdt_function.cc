// Handler side of fncrdt.CrdtModel, written against the public API as an application would.
#include "crdt_function.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "cloudstate/crdt_entity.h"
#include "cloudstate/function_server.h"
#include "fncrdt.pb.h"

namespace fntest_support {
namespace {

using namespace cloudstate;

constexpr char kService[] = "fncrdt.CrdtModel";

CrdtKind KindOf(const std::string& entity_id) {
  std::string prefix = entity_id.substr(0, entity_id.find('-'));
  if (prefix == "pncounter") return CrdtKind::kPNCounter;
  if (prefix == "gset") return CrdtKind::kGSet;
  if (prefix == "orset") return CrdtKind::kORSet;
  if (prefix == "lww") return CrdtKind::kLwwRegister;
  if (prefix == "flag") return CrdtKind::kFlag;
  if (prefix == "ormap") return CrdtKind::kORMap;
  if (prefix == "vote") return CrdtKind::kVote;
  return CrdtKind::kGCounter;
}

google::protobuf::Any ItemOf(const std::string& name) {
  fncrdt::Item item;
  item.set_name(name);
  return cloudstate::PackAny(item);
}

std::string NameOf(const google::protobuf::Any& any) {
  fncrdt::Item item;
  return any.UnpackTo(&item) ? item.name() : "";
}

std::string Join(const std::vector<google::protobuf::Any>& items) {
  std::vector<std::string> names;
  for (const auto& any : items) names.push_back(NameOf(any));
  std::sort(names.begin(), names.end());
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ",") + name;
  return text;
}

// A readable rendering of any CRDT; "" when there is none.
std::string Render(const CrdtValue* value) {
  if (value == nullptr) return "";
  switch (value->kind()) {
    case CrdtKind::kGCounter: return std::to_string(static_cast<const GCounter*>(value)->Value());
    case CrdtKind::kPNCounter: return std::to_string(static_cast<const PNCounter*>(value)->Value());
    case CrdtKind::kGSet: return Join(static_cast<const GSet*>(value)->Elements());
    case CrdtKind::kORSet: return Join(static_cast<const ORSet*>(value)->Elements());
    case CrdtKind::kLwwRegister: return NameOf(static_cast<const LwwRegister*>(value)->Value());
    case CrdtKind::kFlag: return static_cast<const Flag*>(value)->Value() ? "true" : "false";
    case CrdtKind::kVote: {
      const auto* vote = static_cast<const Vote*>(value);
      return std::string(vote->SelfVote() ? "yes" : "no") + " " + std::to_string(vote->VotesFor()) + "/" +
             std::to_string(vote->TotalVoters());
    }
    case CrdtKind::kORMap: {
      auto* map = const_cast<ORMap*>(static_cast<const ORMap*>(value));
      std::vector<std::string> entries;
      for (const auto& key : map->Keys()) {
        const GCounter* counter = map->Get<GCounter>(key);
        entries.push_back(NameOf(key) + "=" + (counter ? std::to_string(counter->Value()) : "?"));
      }
      std::sort(entries.begin(), entries.end());
      std::string text;
      for (const std::string& entry : entries) text += (text.empty() ? "" : ",") + entry;
      return text;
    }
  }
  return "";
}

fncrdt::State StateOf(const CrdtValue* value) {
  fncrdt::State state;
  state.set_text(Render(value));
  return state;
}

class CrdtModel final : public CrdtEntity {
 public:
  explicit CrdtModel(std::string entity_id) : kind_(KindOf(entity_id)) {}

  void HandleCommand(const google::protobuf::Any& command, CrdtCommandContext& context) override {
    fncrdt::Request request;
    if (!command.UnpackTo(&request)) return context.Fail("not a fncrdt.Request");
    if (request.consistency() == "majority") context.SetWriteConsistency(WriteConsistency::kMajority);
    if (request.consistency() == "all") context.SetWriteConsistency(WriteConsistency::kAll);
    if (request.op() == "fail") return context.Fail("asked to fail");
    if (context.IsStreamed()) return Watch(request, context);
    Apply(request, context);
    context.Reply(StateOf(context.State()));
  }

 private:
  void Apply(const fncrdt::Request& request, CrdtCommandContext& context) {
    const std::string& op = request.op();
    const std::string& arg = request.arg();
    if (op == "get" || op == "cancelled") return;
    if (op == "delete") return context.DeleteState();
    CrdtValue& value = context.StateOrCreate(kind_);
    switch (kind_) {
      case CrdtKind::kGCounter: static_cast<GCounter&>(value).Increment(std::stoull(arg)); break;
      case CrdtKind::kPNCounter: {
        auto& counter = static_cast<PNCounter&>(value);
        op == "dec" ? counter.Decrement(std::stoll(arg)) : counter.Increment(std::stoll(arg));
        break;
      }
      case CrdtKind::kGSet: static_cast<GSet&>(value).Add(ItemOf(arg)); break;
      case CrdtKind::kORSet: {
        auto& set = static_cast<ORSet&>(value);
        op == "remove" ? set.Remove(ItemOf(arg)) : set.Add(ItemOf(arg));
        break;
      }
      case CrdtKind::kLwwRegister: static_cast<LwwRegister&>(value).Set(ItemOf(arg)); break;
      case CrdtKind::kFlag: static_cast<Flag&>(value).Enable(); break;
      case CrdtKind::kORMap: static_cast<ORMap&>(value).GetOrCreate<GCounter>(ItemOf(arg)).Increment(1); break;
      case CrdtKind::kVote: static_cast<Vote&>(value).SetVote(op != "unvote"); break;
    }
  }

  void Watch(const fncrdt::Request& request, CrdtCommandContext& context) {
    context.Reply(StateOf(context.State()));
    std::string end_at = request.end_at();
    context.OnChange([end_at](CrdtStreamContext& stream) {
      fncrdt::State state = StateOf(stream.State());
      stream.Reply(state);
      if (!end_at.empty() && state.text() == end_at) stream.EndStream();
    });
    std::string entity_id = request.id();
    context.OnCancel([entity_id](CrdtCancelContext& cancel) {
      if (Vote* vote = cancel.State<Vote>()) vote->SetVote(false);
      fncrdt::Request note;
      note.set_id(entity_id);
      note.set_op("cancelled");
      cancel.SideEffect(MakeCommand(kService, entity_id, "Apply", note));
    });
  }

  const CrdtKind kind_;
};

class CrdtFunction final : public TestFunction {
 public:
  CrdtFunction() {
    FunctionServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.log = [this](LogLevel level, const std::string& line) {
      std::lock_guard lock(mu_);
      logs_.push_back(std::string(LogLevelName(level)) + " " + line);
    };
    server_ = std::make_unique<FunctionServer>(std::move(options));
    const auto* service = fncrdt::Request::descriptor()->file()->FindServiceByName("CrdtModel");
    auto factory = [](const std::string& entity_id) { return std::make_unique<CrdtModel>(entity_id); };
    if (!server_->AddCrdt(service, factory, {.persistence_id = "crdt-model"}).ok() || !server_->Start().ok()) {
      server_.reset();
    }
  }

  int port() const override { return server_ ? server_->port() : 0; }
  std::vector<std::string> Logs() const override {
    std::lock_guard lock(mu_);
    return logs_;
  }
  int ValueHandlersCreated() const override { return 0; }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> logs_;
  std::unique_ptr<FunctionServer> server_;
};

}  // namespace

std::unique_ptr<TestFunction> StartCrdtFunction() { return std::make_unique<CrdtFunction>(); }

}  // namespace fntest_support
