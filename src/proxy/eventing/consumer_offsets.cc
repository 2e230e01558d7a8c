#include "proxy/eventing/consumer_offsets.h"

#include <google/protobuf/wrappers.pb.h>

namespace cloudstate::proxy {

// The entity id is length-prefixed so that any two (log, group) pairs stay apart.
ConsumerOffsets::ConsumerOffsets(ValueStore& values, const std::string& event_log, const std::string& consumer_group)
    : values_(values),
      key_{kConsumerOffsetsPersistenceId, std::to_string(event_log.size()) + ":" + event_log + consumer_group} {}

Result<int64_t> ConsumerOffsets::Load() {
  Result<VersionedValue> stored = values_.Read(key_);
  if (!stored.ok()) return stored.status();
  version_ = stored->version;
  if (!stored->value) return int64_t{0};
  google::protobuf::Int64Value offset;
  if (!stored->value->UnpackTo(&offset)) {
    return Status::Corruption("the committed offset of consumer " + key_.entity_id + " is not an Int64Value but " +
                              stored->value->type_url());
  }
  return offset.value();
}

Status ConsumerOffsets::Commit(int64_t offset) {
  google::protobuf::Int64Value value;
  value.set_value(offset);
  ValueWrite write;
  write.key = key_;
  write.expected_version = version_;
  write.value.emplace().PackFrom(value);
  Status status = WriteAndWait(values_, std::move(write));
  if (status.ok()) ++version_;
  return status;
}

}  // namespace cloudstate::proxy
