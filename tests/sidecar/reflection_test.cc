// gRPC server reflection on the sidecar's port, through a real reflection client (the generated
// stub): listing the services, describing a service and a message from the files it returns, the
// files' dependencies, extensions, unknown names; and calling a method with nothing but what
// reflection told, as grpcurl does.
#include <doctest/doctest.h>

#include <algorithm>
#include <future>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>

#include "client_port_harness.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace st = cloudstate::sidecartest;
namespace refl = grpc::reflection::v1alpha;
using cloudstate::proxy::Sidecar;
using namespace std::chrono_literals;

namespace {

class Reflection {
 public:
  explicit Reflection(int port)
      : channel_(grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials())),
        stub_(refl::ServerReflection::NewStub(channel_)) {
    context_.set_deadline(std::chrono::system_clock::now() + 30s);
    stream_ = stub_->ServerReflectionInfo(&context_);
  }

  refl::ServerReflectionResponse Ask(const refl::ServerReflectionRequest& request) {
    REQUIRE(stream_->Write(request));
    refl::ServerReflectionResponse response;
    REQUIRE(stream_->Read(&response));
    CHECK(response.original_request().SerializeAsString() == request.SerializeAsString());
    return response;
  }

  // The files of a file_descriptor_response, by name, in the order sent.
  std::vector<google::protobuf::FileDescriptorProto> Files(const refl::ServerReflectionRequest& request) {
    auto response = Ask(request);
    REQUIRE(response.has_file_descriptor_response());
    std::vector<google::protobuf::FileDescriptorProto> files;
    for (const auto& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      REQUIRE(files.emplace_back().ParseFromString(bytes));
    }
    return files;
  }

  grpc::Status Close() {
    stream_->WritesDone();
    return stream_->Finish();
  }

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<refl::ServerReflection::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<refl::ServerReflectionRequest, refl::ServerReflectionResponse>> stream_;
};

refl::ServerReflectionRequest Symbol(const std::string& symbol) {
  refl::ServerReflectionRequest request;
  request.set_host("localhost");
  request.set_file_containing_symbol(symbol);
  return request;
}

refl::ServerReflectionRequest FileNamed(const std::string& name) {
  refl::ServerReflectionRequest request;
  request.set_file_by_filename(name);
  return request;
}

std::vector<std::string> Names(const std::vector<google::protobuf::FileDescriptorProto>& files) {
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.name());
  return names;
}

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct Running {
  Running() : function(st::StartCartFunction(0)) {
    auto started = Sidecar::Start(st::TestSidecarOptions(function->port()));
    REQUIRE_MESSAGE(started.ok(), started.status().ToString());
    sidecar = std::move(*started);
    REQUIRE(sidecar->WaitUntilReady(30s).ok());
  }
  ~Running() { sidecar->Shutdown(5s); }
  std::unique_ptr<cloudstate::FunctionServer> function;
  std::unique_ptr<Sidecar> sidecar;
};

}  // namespace

TEST_CASE("reflection lists the services, and describes them with their dependencies, over the port") {
  Running r;
  Reflection reflection(r.sidecar->port());

  refl::ServerReflectionRequest list;
  list.set_host("localhost");
  list.set_list_services("");
  auto listed = reflection.Ask(list);
  CHECK(listed.valid_host() == "localhost");
  REQUIRE(listed.list_services_response().service_size() == 2);
  CHECK(listed.list_services_response().service(0).name() == "grpc.reflection.v1alpha.ServerReflection");
  CHECK(listed.list_services_response().service(1).name() == "com.example.shoppingcart.ShoppingCart");

  // The service's file first, then everything it imports, transitively, so a client can build it.
  auto files = reflection.Files(Symbol("com.example.shoppingcart.ShoppingCart"));
  auto names = Names(files);
  REQUIRE_FALSE(names.empty());
  CHECK(names[0] == "shoppingcart.proto");
  CHECK(Has(names, "google/protobuf/empty.proto"));
  CHECK(Has(names, "cloudstate/entity_key.proto"));
  CHECK(Has(names, "google/api/annotations.proto"));
  CHECK(Has(names, "google/api/http.proto"));                 // imported by annotations.proto
  CHECK(Has(names, "google/protobuf/descriptor.proto"));      // imported by both options files
  google::protobuf::DescriptorPool pool;
  // Dependencies before dependents: build the files in reverse order of their arrival.
  for (auto file = files.rbegin(); file != files.rend(); ++file) REQUIRE(pool.BuildFile(*file) != nullptr);
  const auto* service = pool.FindServiceByName("com.example.shoppingcart.ShoppingCart");
  REQUIRE(service != nullptr);
  CHECK(service->method_count() == 3);
  CHECK(service->FindMethodByName("GetCart")->output_type()->full_name() == "com.example.shoppingcart.Cart");

  // A message and a method resolve to the same file; imports already sent are not sent again.
  auto again = Names(reflection.Files(Symbol("com.example.shoppingcart.LineItem")));
  CHECK(again == std::vector<std::string>{"shoppingcart.proto"});
  CHECK(Names(reflection.Files(Symbol("com.example.shoppingcart.ShoppingCart.AddItem")))[0] == "shoppingcart.proto");
  // The reflection service describes itself too.
  CHECK(Names(reflection.Files(Symbol("grpc.reflection.v1alpha.ServerReflection")))[0] ==
        "grpc/reflection/v1alpha/reflection.proto");
  CHECK(Names(reflection.Files(FileNamed("google/api/http.proto")))[0] == "google/api/http.proto");

  // Extensions: the entity key option, by number and by the extended type.
  refl::ServerReflectionRequest extension;
  extension.mutable_file_containing_extension()->set_containing_type("google.protobuf.FieldOptions");
  extension.mutable_file_containing_extension()->set_extension_number(1080);
  CHECK(Names(reflection.Files(extension))[0] == "cloudstate/entity_key.proto");
  refl::ServerReflectionRequest numbers;
  numbers.set_all_extension_numbers_of_type("google.protobuf.FieldOptions");
  auto known = reflection.Ask(numbers).all_extension_numbers_response();
  CHECK(known.base_type_name() == "google.protobuf.FieldOptions");
  CHECK(std::count(known.extension_number().begin(), known.extension_number().end(), 1080) == 1);

  // Unknown names: an unknown symbol gets an empty list (as the reference proxy answers); the
  // other requests an error the client can show.
  auto unknown = reflection.Ask(Symbol("nonsense.blabla.Void"));
  REQUIRE(unknown.has_file_descriptor_response());
  CHECK(unknown.file_descriptor_response().file_descriptor_proto_size() == 0);
  auto no_file = reflection.Ask(FileNamed("no/such.proto"));
  REQUIRE(no_file.has_error_response());
  CHECK(no_file.error_response().error_code() == static_cast<int>(grpc::StatusCode::NOT_FOUND));
  numbers.set_all_extension_numbers_of_type("no.such.Type");
  CHECK(reflection.Ask(numbers).error_response().error_code() == static_cast<int>(grpc::StatusCode::NOT_FOUND));
  extension.mutable_file_containing_extension()->set_extension_number(9999);
  CHECK(reflection.Ask(extension).has_error_response());
  CHECK(reflection.Close().ok());

  // A call made with nothing but the reflected descriptors (a dynamic message, a generic stub).
  google::protobuf::DynamicMessageFactory factory(&pool);
  const auto* method = service->FindMethodByName("AddItem");
  std::unique_ptr<google::protobuf::Message> add(factory.GetPrototype(method->input_type())->New());
  REQUIRE(google::protobuf::util::JsonStringToMessage(R"({"userId":"reflected","productId":"tea","quantity":4})", add.get())
              .ok());
  grpc::GenericStub generic(reflection.channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 30s);
  grpc::Slice slice(add->SerializeAsString());
  grpc::ByteBuffer request(&slice, 1), reply;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, "/com.example.shoppingcart.ShoppingCart/AddItem", grpc::StubOptions(), &request, &reply,
                    [&](grpc::Status status) { done.set_value(status); });
  CHECK(done.get_future().get().ok());
  com::example::shoppingcart::Cart cart;
  auto cart_client = st::CartClient(r.sidecar->port());
  REQUIRE(st::GetCart(*cart_client, "reflected", &cart).ok());
  REQUIRE(cart.items_size() == 1);
  CHECK(cart.items(0).quantity() == 4);
}
