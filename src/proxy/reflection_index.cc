#include "proxy/reflection_index.h"

#include <algorithm>
#include <deque>

#include <google/protobuf/descriptor.pb.h>

namespace cloudstate::proxy {
namespace {

namespace refl = grpc::reflection::v1alpha;
using google::protobuf::FileDescriptor;

constexpr int kNotFound = 5;
constexpr int kInvalidArgument = 3;

}  // namespace

const std::string& ReflectionIndex::ServiceName() {
  static const std::string name = refl::ServerReflectionRequest::descriptor()->file()->service(0)->full_name();
  return name;
}

ReflectionIndex::ReflectionIndex(const google::protobuf::DescriptorPool* pool, std::vector<std::string> services)
    : pool_(pool), own_file_(refl::ServerReflectionRequest::descriptor()->file()) {
  std::sort(services.begin(), services.end());
  services_.push_back(ServiceName());
  services_.insert(services_.end(), services.begin(), services.end());
}

const FileDescriptor* ReflectionIndex::FileByName(const std::string& name) const {
  if (pool_ != nullptr) {
    if (const auto* file = pool_->FindFileByName(name)) return file;
  }
  return name == own_file_->name() ? own_file_ : nullptr;
}

const FileDescriptor* ReflectionIndex::FileBySymbol(const std::string& symbol) const {
  if (pool_ != nullptr) {
    if (const auto* file = pool_->FindFileContainingSymbol(symbol)) return file;
  }
  // Only the reflection protocol's own symbols, not everything linked into this program.
  const auto* file = google::protobuf::DescriptorPool::generated_pool()->FindFileContainingSymbol(symbol);
  return file == own_file_ ? own_file_ : nullptr;
}

const google::protobuf::Descriptor* ReflectionIndex::MessageType(const std::string& name) const {
  if (pool_ != nullptr) {
    if (const auto* type = pool_->FindMessageTypeByName(name)) return type;
  }
  const auto* type = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(name);
  return type != nullptr && type->file() == own_file_ ? type : nullptr;
}

void ReflectionIndex::AddFiles(const FileDescriptor& file, std::set<std::string>& sent,
                               refl::FileDescriptorResponse& out) const {
  // The file asked for always goes out; its imports only once per stream.
  std::deque<const FileDescriptor*> pending{&file};
  sent.insert(file.name());
  while (!pending.empty()) {
    const FileDescriptor* next = pending.front();
    pending.pop_front();
    google::protobuf::FileDescriptorProto proto;
    next->CopyTo(&proto);
    proto.SerializeToString(out.add_file_descriptor_proto());
    for (int i = 0; i < next->dependency_count(); ++i) {
      const FileDescriptor* dependency = next->dependency(i);
      if (sent.insert(dependency->name()).second) pending.push_back(dependency);
    }
  }
}

refl::ServerReflectionResponse ReflectionIndex::Answer(const refl::ServerReflectionRequest& request,
                                                       std::set<std::string>& sent) const {
  refl::ServerReflectionResponse response;
  response.set_valid_host(request.host());
  *response.mutable_original_request() = request;
  auto error = [&](int code, const std::string& message) {
    response.mutable_error_response()->set_error_code(code);
    response.mutable_error_response()->set_error_message(message);
    return response;
  };
  switch (request.message_request_case()) {
    case refl::ServerReflectionRequest::kListServices:
      for (const auto& name : services_) response.mutable_list_services_response()->add_service()->set_name(name);
      return response;
    case refl::ServerReflectionRequest::kFileByFilename: {
      const FileDescriptor* file = FileByName(request.file_by_filename());
      if (file == nullptr) return error(kNotFound, "no file named " + request.file_by_filename());
      AddFiles(*file, sent, *response.mutable_file_descriptor_response());
      return response;
    }
    case refl::ServerReflectionRequest::kFileContainingSymbol: {
      // An unknown symbol: an empty list, as the reference proxy answers (the TCK checks it).
      auto* files = response.mutable_file_descriptor_response();
      if (const FileDescriptor* file = FileBySymbol(request.file_containing_symbol())) AddFiles(*file, sent, *files);
      return response;
    }
    case refl::ServerReflectionRequest::kFileContainingExtension: {
      const auto& wanted = request.file_containing_extension();
      const auto* type = MessageType(wanted.containing_type());
      const auto* extension =
          type == nullptr ? nullptr : type->file()->pool()->FindExtensionByNumber(type, wanted.extension_number());
      if (extension == nullptr) {
        return error(kNotFound, "no extension " + std::to_string(wanted.extension_number()) + " of " +
                                    wanted.containing_type());
      }
      AddFiles(*extension->file(), sent, *response.mutable_file_descriptor_response());
      return response;
    }
    case refl::ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const auto* type = MessageType(request.all_extension_numbers_of_type());
      if (type == nullptr) return error(kNotFound, "no message type " + request.all_extension_numbers_of_type());
      std::vector<const google::protobuf::FieldDescriptor*> extensions;
      type->file()->pool()->FindAllExtensions(type, &extensions);
      auto* numbers = response.mutable_all_extension_numbers_response();
      numbers->set_base_type_name(type->full_name());
      for (const auto* extension : extensions) numbers->add_extension_number(extension->number());
      std::sort(numbers->mutable_extension_number()->begin(), numbers->mutable_extension_number()->end());
      return response;
    }
    case refl::ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET: break;
  }
  return error(kInvalidArgument, "the request asks for nothing this server knows");
}

}  // namespace cloudstate::proxy
