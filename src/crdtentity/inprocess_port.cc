#include "crdtentity/inprocess_port.h"

#include <exception>
#include <utility>

#include "crdtentity/crdt_handler.h"

namespace cloudstate::crdtentity {
namespace {

class InProcessPort final : public CrdtPort {
 public:
  InProcessPort(std::unique_ptr<CrdtHandler> handler, CrdtPortEvents events)
      : handler_(std::move(handler)), events_(std::move(events)) {}

  void Init(const std::optional<::cloudstate::crdt::CrdtDelta>& state) override {
    if (Status status = handler_->Init(state); !status.ok()) events_.on_failure(status);
  }
  void Delta(const ::cloudstate::crdt::CrdtDelta& delta) override {
    if (!handler_) return;
    Result<std::vector<CrdtAnswer>> answers = handler_->Delta(delta);
    if (!answers.ok()) return events_.on_failure(answers.status());
    Emit(std::move(*answers));
  }
  void Delete() override { Close(); }
  void Command(const EntityCommand& command, int64_t command_id, bool streamed) override {
    if (handler_) Emit(handler_->Command(command, command_id, streamed));
  }
  void Cancelled(int64_t command_id) override {
    if (handler_) Emit(handler_->Cancelled(command_id));
  }
  void Close() override { handler_.reset(); }

 private:
  void Emit(std::vector<CrdtAnswer> answers) {
    for (CrdtAnswer& answer : answers) events_.on_answer(std::move(answer));
  }

  std::unique_ptr<CrdtHandler> handler_;
  CrdtPortEvents events_;
};

}  // namespace

CrdtPortFactory MakeInProcessPortFactory(CrdtEntityFactory factory, TargetCheck check_target) {
  return [factory = std::move(factory), check_target = std::move(check_target)](
             const std::string& entity_id, CrdtPortEvents events) -> Result<std::unique_ptr<CrdtPort>> {
    std::unique_ptr<CrdtEntity> entity;
    try {
      entity = factory(entity_id);
    } catch (const std::exception& e) {
      return Status::Internal("the factory of CRDT entity " + entity_id + " threw: " + e.what());
    } catch (...) {
      return Status::Internal("the factory of CRDT entity " + entity_id + " threw");
    }
    if (!entity) return Status::Internal("the factory of CRDT entity " + entity_id + " returned no entity");
    auto handler = std::make_unique<CrdtHandler>(std::move(entity), entity_id, check_target);
    return std::unique_ptr<CrdtPort>(std::make_unique<InProcessPort>(std::move(handler), std::move(events)));
  };
}

}  // namespace cloudstate::crdtentity
