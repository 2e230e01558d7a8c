#include "streamed_function.h"

#include <algorithm>
#include <stdexcept>

#include "streamed.pb.h"

namespace cloudstate::streamtest {
namespace {

constexpr char kHelper[] = "cloudstate.streamtest.Helper";

Said MakeSaid(const std::string& text) {
  Said said;
  said.set_text(text);
  return said;
}

EntityCommand HelperCall(const std::string& method, const std::string& text) {
  Say say;
  say.set_text(text);
  return MakeCommand(kHelper, "", method, say);
}

std::string Header(const MetadataEntries& metadata, const std::string& key) {
  for (const auto& [name, value] : metadata) {
    if (name == key) return value;
  }
  return "";
}

Say Parse(const google::protobuf::Any& any) {
  Say say;
  if (!any.UnpackTo(&say)) throw std::invalid_argument("not a Say: " + any.type_url());
  return say;
}

class StreamsAction final : public Action {
 public:
  explicit StreamsAction(std::shared_ptr<Observations> seen) : seen_(std::move(seen)) {}

  ~StreamsAction() override {
    if (streamed_in_ && !ended_) seen_->Abandoned(tag_);
  }

  void HandleUnary(const google::protobuf::Any& command, ActionContext& context) override {
    Say say = Parse(command);
    Respond(say, "unary:" + say.text(), context);
  }

  void HandleStreamedOut(const google::protobuf::Any& command, ActionContext& context) override {
    Say say = Parse(command);
    Say item = say;
    if (say.op() == "fail") item.clear_op();
    for (int i = 0; i < say.count(); ++i) {
      item.set_text(say.text() + "-" + std::to_string(i));
      Respond(item, item.text(), context);
      context.Send();
    }
    if (say.op() == "fail") Respond(say, "", context);
  }

  void HandleStreamedMessage(const google::protobuf::Any& message, ActionContext& context) override {
    Say say = Parse(message);
    if (!streamed_in_) {
      tag_ = say.text();
      seen_->Started(tag_);
    }
    streamed_in_ = true;
    if (context.CommandName() == "Chat") {
      Respond(say, "chat:" + say.text(), context);
      return;
    }
    // Collect: folds the messages into one reply at the end, unless one fails or crashes the call.
    if (say.op() == "fail" || say.op() == "fail-effect" || say.op() == "crash") {
      Respond(say, "", context);
      return;
    }
    if (say.op() == "forward") forward_ = true;
    if (say.op() == "stall") stall_ = true;
    texts_.push_back(say.text());
  }

  void HandleStreamEnd(ActionContext& context) override {
    ended_ = true;
    seen_->Ended(tag_);
    if (context.CommandName() != "Collect") return;
    if (stall_) seen_->WaitUntilReleased();
    std::string joined;
    for (const auto& text : texts_) joined += (joined.empty() ? "" : ",") + text;
    if (forward_) {
      context.Forward(HelperCall("Echo", joined));
      return;
    }
    context.Reply(MakeSaid(joined), {{"x-count", std::to_string(texts_.size())}});
  }

 private:
  // One response for `say` that replies `text` unless its op says otherwise.
  void Respond(const Say& say, const std::string& text, ActionContext& context) {
    const std::string& op = say.op();
    const std::string& method = context.CommandName();
    if (op == "silent") return;
    if (op == "crash") throw std::runtime_error(method + " crashed at " + say.text());
    if (op == "fail" || op == "fail-effect") {
      if (op == "fail-effect") context.SideEffect(HelperCall("Record", say.text()), true);
      context.Fail(method + " failed at " + say.text());
      return;
    }
    if (op == "effect") context.SideEffect(HelperCall("Record", say.text()), true);
    if (op == "async-effect") context.SideEffect(HelperCall("Record", say.text()), false);
    if (op == "forward") {
      context.Forward(HelperCall("Echo", text));
      return;
    }
    MetadataEntries metadata;
    if (op == "header") metadata.emplace_back("x-reply", say.text());
    std::string reply = text;
    if (op == "client-header") {
      reply = Header(context.CallMetadata(), "x-client") + "|" + std::to_string(context.MessageMetadata().size());
    }
    context.Reply(MakeSaid(reply), std::move(metadata));
  }

  const std::shared_ptr<Observations> seen_;
  std::string tag_;
  bool streamed_in_ = false;  // a client-streaming or duplex call
  bool ended_ = false;
  bool forward_ = false;
  bool stall_ = false;
  std::vector<std::string> texts_;
};

class HelperAction final : public Action {
 public:
  explicit HelperAction(std::shared_ptr<Observations> seen) : seen_(std::move(seen)) {}

  void HandleUnary(const google::protobuf::Any& command, ActionContext& context) override {
    Say say = Parse(command);
    if (context.CommandName() == "Record") {
      seen_->Record(say.text());
      context.Reply(MakeSaid("recorded"));
      return;
    }
    context.Reply(MakeSaid("echo:" + say.text()));
  }

 private:
  const std::shared_ptr<Observations> seen_;
};

}  // namespace

void Observations::Record(const std::string& text) {
  std::lock_guard lock(mu_);
  recorded_.push_back(text);
  changed_.notify_all();
}

void Observations::Started(const std::string& tag) {
  std::lock_guard lock(mu_);
  started_.push_back(tag);
  changed_.notify_all();
}

void Observations::Ended(const std::string& tag) {
  std::lock_guard lock(mu_);
  ended_.push_back(tag);
  changed_.notify_all();
}

void Observations::Abandoned(const std::string& tag) {
  std::lock_guard lock(mu_);
  abandoned_.push_back(tag);
  changed_.notify_all();
}

void Observations::WaitUntilReleased() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return released_; });
}

void Observations::Release() {
  std::lock_guard lock(mu_);
  released_ = true;
  changed_.notify_all();
}

std::vector<std::string> Observations::Recorded() const {
  std::lock_guard lock(mu_);
  return recorded_;
}

template <typename Condition>
bool Observations::WaitFor(Condition condition) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, std::chrono::seconds(10), condition);
}

bool Observations::Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool Observations::WaitRecorded(const std::string& text) {
  return WaitFor([&] { return Has(recorded_, text); });
}

bool Observations::WaitStarted(const std::string& tag) {
  return WaitFor([&] { return Has(started_, tag); });
}

bool Observations::WaitEnded(const std::string& tag) {
  return WaitFor([&] { return Has(ended_, tag); });
}

bool Observations::WaitAbandoned(const std::string& tag) {
  return WaitFor([&] { return Has(abandoned_, tag); });
}

StreamedFunction::StreamedFunction() {
  FunctionServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.log = [](LogLevel, const std::string&) {};  // the failures it logs are the test's doing
  server_ = std::make_unique<FunctionServer>(options);
}

bool StreamedFunction::Start() {
  const auto* file = Say::descriptor()->file();
  auto seen = seen_;
  if (!server_->AddAction(file->FindServiceByName("Streams"), [seen] { return std::make_unique<StreamsAction>(seen); })
           .ok()) {
    return false;
  }
  if (!server_->AddAction(file->FindServiceByName("Helper"), [seen] { return std::make_unique<HelperAction>(seen); })
           .ok()) {
    return false;
  }
  return server_->Start().ok();
}

}  // namespace cloudstate::streamtest
