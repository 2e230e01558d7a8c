// The replicator of a single node: nothing to send, nothing arrives, every write consistency is met
// by the local write alone.
#include <utility>

#include "crdtentity/replicator.h"

namespace cloudstate {
namespace {

class LocalReplicator final : public Replicator {
 public:
  explicit LocalReplicator(std::string self_id) : self_id_(std::move(self_id)) {}

  std::string SelfId() const override { return self_id_; }
  std::vector<std::string> UpMembers() const override { return {self_id_}; }

  void Publish(const std::string&, const std::string&, std::string, ReplicaConsistency,
               std::function<void(Status)> done) override {
    done(Status::Ok());
  }
  void PublishDelete(const std::string&, const std::string&, ReplicaConsistency,
                     std::function<void(Status)> done) override {
    done(Status::Ok());
  }

  std::unique_ptr<Subscription> Subscribe(const std::string&, std::shared_ptr<ReplicaListener>) override {
    return std::make_unique<Subscription>();
  }

 private:
  const std::string self_id_;
};

}  // namespace

std::shared_ptr<Replicator> NewLocalReplicator(std::string self_id) {
  return std::make_shared<LocalReplicator>(std::move(self_id));
}

}  // namespace cloudstate
