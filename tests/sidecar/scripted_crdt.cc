// The scripted function's CRDT service: Replicated is an ORSet of State elements, which the
// function keeps as a plain set from init, the sidecar's deltas and its own updates.
#include <set>

#include "cloudstate/crdt.grpc.pb.h"
#include "scripted_services.h"

namespace cloudstate::sidecartest {
namespace {

namespace pb = cloudstate::crdt;
using Stream = grpc::ServerReaderWriter<pb::CrdtStreamOut, pb::CrdtStreamIn>;

void Apply(const pb::CrdtDelta& delta, std::set<std::string>& set) {
  if (!delta.has_orset()) return;  // the function only knows sets; a mismatch is the sidecar's to catch
  if (delta.orset().cleared()) set.clear();
  for (const auto& removed : delta.orset().removed()) set.erase(TextOf<State>(removed));
  for (const auto& added : delta.orset().added()) set.insert(TextOf<State>(added));
}

std::string Render(const std::set<std::string>& set) { return Join({set.begin(), set.end()}); }

// The state action a mode asks for, if any; applies a good one to `set`.
void FillStateAction(const Request& request, std::set<std::string>& set, pb::CrdtReply* reply) {
  const std::string& mode = request.mode();
  if (mode == "emit") {
    auto* added = reply->mutable_state_action()->mutable_update()->mutable_orset()->mutable_added();
    for (const auto& text : request.events()) {
      State element;
      element.set_text(text);
      *added->Add() = Pack(element);
      set.insert(text);
    }
  } else if (mode == "bad-state-action") {
    reply->mutable_state_action();
  } else if (mode == "empty-delta") {
    reply->mutable_state_action()->mutable_update();
  } else if (mode == "wrong-type-delta") {
    reply->mutable_state_action()->mutable_update()->mutable_gcounter()->set_increment(1);
  }
}

class Crdt final : public pb::Crdt::Service {
 public:
  explicit Crdt(std::shared_ptr<ScriptedFunction::Shared> shared) : shared_(std::move(shared)) {}

  grpc::Status handle(grpc::ServerContext*, Stream* stream) override {
    size_t index = shared_->NewStream("crdt");
    std::set<std::string> set;
    std::optional<grpc::Status> ending;
    pb::CrdtStreamIn in;
    while (!ending && stream->Read(&in)) {
      if (in.has_init()) {
        if (in.init().has_delta()) Apply(in.init().delta(), set);
        shared_->Update(index, [&](StreamRecord& record) {
          record.inits++;
          record.service = in.init().service_name();
          record.entity_id = in.init().entity_id();
          record.init_has_state = in.init().has_delta();
          record.init_state = Render(set);
        });
      } else if (in.has_delta()) {
        Apply(in.delta(), set);
      } else if (in.has_delete_()) {
        set.clear();
      } else if (in.has_command()) {
        ending = Answer(index, in.command(), set, *stream);
      } else if (in.has_stream_cancelled()) {
        const int64_t id = in.stream_cancelled().id();
        shared_->Update(index, [&](StreamRecord& record) { record.cancelled_ids.push_back(id); });
        pb::CrdtStreamOut out;
        out.mutable_stream_cancelled_response()->set_command_id(id);
        stream->Write(out);
      }
    }
    shared_->Update(index, [](StreamRecord& record) { record.ended = true; });
    return ending.value_or(grpc::Status::OK);
  }

 private:
  std::optional<grpc::Status> Answer(size_t index, const cloudstate::Command& command, std::set<std::string>& set,
                                     Stream& stream) {
    Request request;
    request.ParseFromString(command.payload().value());
    const std::string& mode = request.mode();
    const int64_t id = command.id();
    shared_->Update(index, [&](StreamRecord& record) {
      record.command_ids.push_back(id);
      record.command_modes.push_back(mode);
    });
    if (auto ending = StreamEnding(mode)) return ending;
    if (mode == "hang") return std::nullopt;
    if (mode == "streamed-message" || mode == "streamed-unknown") {
      pb::CrdtStreamOut early;
      auto* message = early.mutable_streamed_message();
      message->set_command_id(mode == "streamed-unknown" ? id + 100 : id);
      Response response;
      response.set_state("early");
      *message->mutable_client_action()->mutable_reply()->mutable_payload() = Pack(response);
      stream.Write(early);
    }
    pb::CrdtStreamOut out;
    if (mode == "failure-message") {
      out.mutable_failure()->set_command_id(id);
      out.mutable_failure()->set_description("the function is confused");
    } else if (mode == "cancelled-unknown") {
      out.mutable_stream_cancelled_response()->set_command_id(id + 100);
    } else if (mode != "empty-message") {
      auto* reply = out.mutable_reply();
      reply->set_command_id(ReplyId(mode, id));
      reply->set_streamed(command.streamed() || mode == "streamed-reply");
      FillStateAction(request, set, reply);
      FillAction(kReplicated, request, id, Render(set), reply->mutable_client_action(), reply->mutable_side_effects());
    }
    stream.Write(out);
    if (mode == "double-reply") stream.Write(out);
    return std::nullopt;
  }

  std::shared_ptr<ScriptedFunction::Shared> shared_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeScriptedCrdt(std::shared_ptr<ScriptedFunction::Shared> shared) {
  return std::make_unique<Crdt>(std::move(shared));
}

}  // namespace cloudstate::sidecartest
