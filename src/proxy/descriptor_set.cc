#include "proxy/descriptor_set.h"

#include <map>
#include <set>
#include <vector>

namespace cloudstate::proxy {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptorProto;

class PoolBuilder {
 public:
  explicit PoolBuilder(const google::protobuf::FileDescriptorSet& files) {
    for (const auto& file : files.file()) by_name_.emplace(file.name(), &file);
  }

  Result<std::unique_ptr<DescriptorPool>> Build() {
    for (const auto& [name, file] : by_name_) {
      std::vector<std::string> path;
      if (Status status = Add(name, path); !status.ok()) return status;
    }
    return std::move(pool_);
  }

 private:
  // Builds `name` after its dependencies, depth first; `path` is the chain that led here.
  Status Add(const std::string& name, std::vector<std::string>& path) {
    if (built_.count(name)) return Status::Ok();
    for (const auto& on_path : path) {
      if (on_path == name) return Status::InvalidArgument("Circular dependency detected in entity spec descriptor: [" + Join(path) + " -> " + name + "]");
    }
    const FileDescriptorProto* file = Find(name);
    if (file == nullptr) {
      return Status::InvalidArgument("Descriptor dependency [" + name + "] not found, dependency path: " +
                                     (path.empty() ? "[]" : "[" + Join(path) + "]"));
    }
    path.push_back(name);
    for (const auto& dependency : file->dependency()) {
      if (Status status = Add(dependency, path); !status.ok()) return status;
    }
    path.pop_back();
    std::string error;
    ErrorCollector collector(&error);
    if (pool_->BuildFileCollectingErrors(*file, &collector) == nullptr) {
      return Status::InvalidArgument("invalid descriptor " + name + ": " + error);
    }
    built_.insert(name);
    return Status::Ok();
  }

  // A file of the set, or a well-known type the protobuf library ships.
  const FileDescriptorProto* Find(const std::string& name) {
    auto it = by_name_.find(name);
    if (it != by_name_.end()) return it->second;
    const auto* builtin = DescriptorPool::generated_pool()->FindFileByName(name);
    if (builtin == nullptr || name.rfind("google/protobuf/", 0) != 0) return nullptr;
    auto& copy = builtins_[name];
    builtin->CopyTo(&copy);
    return &copy;
  }

  static std::string Join(const std::vector<std::string>& path) {
    std::string joined;
    for (const auto& name : path) joined += (joined.empty() ? "" : "] -> [") + name;
    return joined;
  }

  class ErrorCollector : public DescriptorPool::ErrorCollector {
   public:
    explicit ErrorCollector(std::string* error) : error_(error) {}
    void AddError(const std::string& filename, const std::string& element, const google::protobuf::Message*,
                  ErrorLocation, const std::string& message) override {
      if (!error_->empty()) *error_ += "; ";
      *error_ += filename + " " + element + ": " + message;
    }

   private:
    std::string* error_;
  };

  std::map<std::string, const FileDescriptorProto*> by_name_;
  std::map<std::string, FileDescriptorProto> builtins_;
  std::set<std::string> built_;
  std::unique_ptr<DescriptorPool> pool_ = std::make_unique<DescriptorPool>();
};

}  // namespace

Result<std::unique_ptr<DescriptorPool>> BuildDescriptorPool(const google::protobuf::FileDescriptorSet& files) {
  return PoolBuilder(files).Build();
}

Result<std::unique_ptr<DescriptorPool>> BuildDescriptorPool(const std::string& serialized) {
  google::protobuf::FileDescriptorSet files;
  if (!files.ParseFromString(serialized)) {
    return Status::InvalidArgument("the entity spec's proto field is not a serialized FileDescriptorSet");
  }
  return BuildDescriptorPool(files);
}

}  // namespace cloudstate::proxy
