#include "eventing_function.h"

#include <google/protobuf/empty.pb.h>

#include <stdexcept>
#include <thread>

#include "eventing.pb.h"

namespace cloudstate::eventingtest {
namespace {

constexpr char kReader[] = "cloudstate.eventingtest.Reader";

template <typename T>
T Parse(const google::protobuf::Any& any) {
  T message;
  if (!any.UnpackTo(&message)) throw std::invalid_argument("not a " + T::descriptor()->full_name() + ": " + any.type_url());
  return message;
}

std::string Header(const MetadataEntries& metadata, const std::string& key) {
  for (const auto& [name, value] : metadata) {
    if (name == key) return value;
  }
  return "<no " + key + ">";
}

EntityCommand NoteCommand(const std::string& text) {
  Line line;
  line.set_text(text);
  return MakeCommand(kReader, "", "Note", line);
}

// A JSON event as the support libraries write one: the JSON text as field 1 of the Any's value.
google::protobuf::Any JsonEvent(const std::string& json) {
  google::protobuf::Any any;
  any.set_type_url("json.cloudstate.io/cloudstate.eventingtest.Posted");
  std::string value(1, '\x0a');
  value.push_back(static_cast<char>(json.size()));  // the tests' texts are short
  value += json;
  any.set_value(value);
  return any;
}

// Notebook and Board: no state, one event per command.
class Journal final : public EventSourcedEntity {
 public:
  Status HandleEvent(const google::protobuf::Any&, int64_t) override { return Status::Ok(); }

  void HandleCommand(const google::protobuf::Any& command, EventSourcedCommandContext& context) override {
    Post post = Parse<Post>(command);
    if (post.kind() == "note" && context.CommandName() == "Write") {
      Noted noted;
      noted.set_text(post.text());
      context.Emit(noted);
    } else if (post.kind() == "json" && context.CommandName() == "Write") {
      context.Emit(JsonEvent("{\"text\":\"" + post.text() + "\"}"));
    } else {
      Posted posted;
      posted.set_id(post.id());
      posted.set_text(post.text());
      context.Emit(posted);
    }
    context.Reply(google::protobuf::Empty());
  }
};

class ReaderAction final : public Action {
 public:
  explicit ReaderAction(std::shared_ptr<Deliveries> seen) : seen_(std::move(seen)) {}

  void HandleUnary(const google::protobuf::Any& command, ActionContext& context) override {
    const MetadataEntries& metadata = context.MessageMetadata();
    const std::string& method = context.CommandName();
    if (method == "Note") {
      seen_->Record("Note " + Parse<Line>(command).text());
    } else if (method == "OnOther") {
      seen_->Record("OnOther " + Header(metadata, "ce-subject") + " " + command.type_url());
    } else if (auto stall = seen_->stall(); stall.count() > 0) {
      seen_->Stalled();
      std::this_thread::sleep_for(stall);
    } else {
      Posted posted = Parse<Posted>(command);
      if (posted.text().rfind("forward:", 0) == 0) {
        context.Forward(NoteCommand(posted.text().substr(8)));
        return;
      }
      seen_->Record("OnPosted " + Header(metadata, "ce-subject") + " " + posted.text() + " " +
                    Header(metadata, "ce-id") + " " + Header(metadata, "ce-source") + " " +
                    Header(metadata, "ce-type") + " " + Header(metadata, "Content-Type") + " " +
                    Header(metadata, "ce-specversion"));
    }
    context.Reply(google::protobuf::Empty());
  }

 private:
  const std::shared_ptr<Deliveries> seen_;
};

class DigestAction final : public Action {
 public:
  void HandleStreamedOut(const google::protobuf::Any& command, ActionContext& context) override {
    Posted posted = Parse<Posted>(command);
    Line line;
    line.set_text("a:" + posted.text());
    context.Reply(line);
    context.Send();
    line.set_text("b:" + posted.text());
    context.SideEffect(NoteCommand("digest:" + posted.text()), true);
    context.Reply(line);
  }
};

class TallyEntity final : public ValueEntity {
 public:
  void HandleCommand(const google::protobuf::Any& command, ValueCommandContext& context) override {
    Count count;
    if (context.State() != nullptr) count = Parse<Count>(*context.State());
    if (context.CommandName() == "Add") {
      count.set_posts(count.posts() + 1);
      context.UpdateState(count);
      context.Reply(google::protobuf::Empty());
      return;
    }
    (void)command;
    context.Reply(count);
  }
};

}  // namespace

void Deliveries::Record(const std::string& line) {
  std::lock_guard lock(mu_);
  lines_.push_back(line);
  changed_.notify_all();
}

std::vector<std::string> Deliveries::Lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

std::vector<std::string> Deliveries::Starting(const std::string& prefix) const {
  std::vector<std::string> matching;
  for (const auto& line : Lines()) {
    if (line.rfind(prefix, 0) == 0) matching.push_back(line);
  }
  return matching;
}

bool Deliveries::WaitFor(const std::string& prefix, size_t count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::unique_lock lock(mu_);
  return changed_.wait_until(lock, deadline, [&] {
    size_t seen = 0;
    for (const auto& line : lines_) seen += line.rfind(prefix, 0) == 0 ? 1 : 0;
    return seen >= count;
  });
}

void Deliveries::SetStall(std::chrono::milliseconds stall) {
  std::lock_guard lock(mu_);
  stall_ = stall;
}

std::chrono::milliseconds Deliveries::stall() const {
  std::lock_guard lock(mu_);
  return stall_;
}

int Deliveries::stalled() const {
  std::lock_guard lock(mu_);
  return stalled_;
}

void Deliveries::Stalled() {
  std::lock_guard lock(mu_);
  ++stalled_;
}

EventingFunction::EventingFunction() {
  FunctionServerOptions options;
  options.port = 0;
  options.log = [](LogLevel, const std::string&) {};
  server_ = std::make_unique<FunctionServer>(options);
}

bool EventingFunction::Start() {
  const auto* file = Post::descriptor()->file();
  auto journal = [](const std::string&) { return std::make_unique<Journal>(); };
  auto seen = seen_;
  const Status added[] = {
      server_->AddEventSourced(file->FindServiceByName("Notebook"), journal, {.persistence_id = "notebooks"}),
      server_->AddEventSourced(file->FindServiceByName("Board"), journal, {.persistence_id = "boards"}),
      server_->AddAction(file->FindServiceByName("Reader"), [seen] { return std::make_unique<ReaderAction>(seen); }),
      server_->AddAction(file->FindServiceByName("Digest"), [] { return std::make_unique<DigestAction>(); }),
      server_->AddValueEntity(file->FindServiceByName("Tally"),
                              [](const std::string&) { return std::make_unique<TallyEntity>(); },
                              {.persistence_id = "tallies"}),
  };
  for (const Status& status : added) {
    if (!status.ok()) return false;
  }
  return server_->Start().ok();
}

}  // namespace cloudstate::eventingtest
