#include "presence_entity.h"

#include <google/protobuf/empty.pb.h>

#include "presence.pb.h"

namespace chat_presence {
namespace {

using cloudstate::CrdtCancelContext;
using cloudstate::CrdtCommandContext;
using cloudstate::CrdtStreamContext;
using cloudstate::Vote;

class Presence final : public cloudstate::CrdtEntity {
 public:
  void HandleCommand(const google::protobuf::Any&, CrdtCommandContext& context) override {
    if (!context.IsStreamed()) {
      context.Fail(context.CommandName() + " must be called as a server-streaming method");
    } else if (context.CommandName() == "Connect") {
      Connect(context);
    } else if (context.CommandName() == "Monitor") {
      Monitor(context);
    } else {
      context.Fail("unknown command " + context.CommandName());
    }
  }

 private:
  void Connect(CrdtCommandContext& context) {
    // Several devices of one user may be connected to this node; it votes once for all of them.
    if (++connections_ == 1) context.StateOrCreate<Vote>().SetVote(true);
    context.OnCancel([this](CrdtCancelContext& cancelled) {
      if (--connections_ == 0) cancelled.StateOrCreate<Vote>().SetVote(false);
    });
  }

  void Monitor(CrdtCommandContext& context) {
    const bool online = context.StateOrCreate<Vote>().AtLeastOne();
    context.Reply(StatusMessage(online));
    // Each monitor remembers what it last told its caller, and speaks only when that flips.
    context.OnChange([last = online](CrdtStreamContext& change) mutable {
      const Vote* vote = change.State<Vote>();
      const bool now = vote != nullptr && vote->AtLeastOne();
      if (now == last) return;
      last = now;
      change.Reply(StatusMessage(now));
    });
  }

  static com::example::chat::presence::OnlineStatus StatusMessage(bool online) {
    com::example::chat::presence::OnlineStatus status;
    status.set_online(online);
    return status;
  }

  int connections_ = 0;  // this node's open Connect streams for the user
};

}  // namespace

std::unique_ptr<cloudstate::CrdtEntity> NewPresence(const std::string&) { return std::make_unique<Presence>(); }

}  // namespace chat_presence
