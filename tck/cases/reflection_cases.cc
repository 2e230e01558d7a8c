// PX-02: the proxy serves gRPC server reflection (v1alpha). The reflection messages are built in
// a private descriptor pool, so the kit never clashes with a copy of gRPC's own reflection code
// linked into the same program, and they travel as raw bytes.
#include <algorithm>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/text_format.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/client_callback.h>

#include "cases.h"
#include "interceptor/relay.h"

namespace cloudstate::tck {
namespace {

// The subset of grpc/reflection/v1alpha/reflection.proto the case uses; names and numbers are gRPC's.
constexpr const char* kReflectionFile = R"pb(
  name: "tck/grpc_reflection_v1alpha.proto"
  package: "grpc.reflection.v1alpha"
  syntax: "proto3"
  message_type {
    name: "ServerReflectionRequest"
    field { name: "host" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "file_containing_symbol" number: 4 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
    field { name: "list_services" number: 7 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
    oneof_decl { name: "message_request" }
  }
  message_type {
    name: "ServerReflectionResponse"
    field { name: "valid_host" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "original_request" number: 2 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".grpc.reflection.v1alpha.ServerReflectionRequest" }
    field { name: "file_descriptor_response" number: 4 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".grpc.reflection.v1alpha.FileDescriptorResponse" oneof_index: 0 }
    field { name: "list_services_response" number: 6 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".grpc.reflection.v1alpha.ListServiceResponse" oneof_index: 0 }
    field { name: "error_response" number: 7 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".grpc.reflection.v1alpha.ErrorResponse" oneof_index: 0 }
    oneof_decl { name: "message_response" }
  }
  message_type {
    name: "FileDescriptorResponse"
    field { name: "file_descriptor_proto" number: 1 label: LABEL_REPEATED type: TYPE_BYTES }
  }
  message_type {
    name: "ListServiceResponse"
    field { name: "service" number: 1 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".grpc.reflection.v1alpha.ServiceResponse" }
  }
  message_type {
    name: "ServiceResponse"
    field { name: "name" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
  }
  message_type {
    name: "ErrorResponse"
    field { name: "error_code" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 }
    field { name: "error_message" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
  }
)pb";

class ReflectionMessages {
 public:
  ReflectionMessages() {
    google::protobuf::FileDescriptorProto file;
    google::protobuf::TextFormat::ParseFromString(kReflectionFile, &file);
    pool_.BuildFile(file);
  }

  // A message of `type` (simple name) from its text format.
  std::unique_ptr<google::protobuf::Message> Make(const std::string& type, const std::string& text) {
    const auto* descriptor = pool_.FindMessageTypeByName("grpc.reflection.v1alpha." + type);
    std::unique_ptr<google::protobuf::Message> message(factory_.GetPrototype(descriptor)->New());
    if (!google::protobuf::TextFormat::ParseFromString(text, message.get())) {
      Fail("the kit's reflection message does not parse", type, text);
    }
    return message;
  }

 private:
  google::protobuf::DescriptorPool pool_;
  google::protobuf::DynamicMessageFactory factory_;
};

std::string Quoted(const std::string& text) { return "\"" + google::protobuf::CEscape(text) + "\""; }

grpc::ByteBuffer ToBuffer(const google::protobuf::Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string bytes;
  for (const auto& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return bytes;
}

}  // namespace

std::vector<Case> ReflectionCases() {
  std::vector<Case> cases;
  cases.push_back({"PX-02", "verify that the proxy supports server reflection", {}, Needs::kServerReflection, [](Tck& t) {
    ReflectionMessages messages;
    std::vector<std::string> services;
    for (const auto& entity : t.spec().entities()) services.push_back(entity.service_name());
    std::sort(services.begin(), services.end());
    services.insert(services.begin(), "grpc.reflection.v1alpha.ServerReflection");
    std::string listed;
    for (const auto& service : services) listed += " service { name: " + Quoted(service) + " }";

    grpc::ClientContext context;
    t.Prepare(context);
    const grpc::internal::RpcMethod method("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                           grpc::internal::RpcMethod::BIDI_STREAMING);
    std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
        grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(t.proxy().get(), method,
                                                                                                &context));
    const std::string host = Quoted(t.settings().proxy_host);
    auto exchange = [&](const std::string& request_text, const std::string& response_text) {
      auto request = messages.Make("ServerReflectionRequest", "host: " + host + " " + request_text);
      auto expected = messages.Make("ServerReflectionResponse", "valid_host: " + host + " original_request { host: " +
                                                                    host + " " + request_text + " } " + response_text);
      stream->Write(ToBuffer(*request));
      grpc::ByteBuffer buffer;
      if (!stream->Read(&buffer)) {
        Fail("the reflection stream ended", Describe(*expected), DescribeStatus(stream->Finish()));
      }
      auto actual = messages.Make("ServerReflectionResponse", "");
      actual->ParseFromString(FromBuffer(buffer));
      ExpectEqual(*expected, *actual, "unexpected reflection response");
    };
    exchange("list_services: \"\"", "list_services_response {" + listed + " }");
    exchange("list_services: \"nonsense.blabla.\"", "list_services_response {" + listed + " }");
    exchange("file_containing_symbol: \"nonsense.blabla.Void\"", "file_descriptor_response {}");
    stream->WritesDone();
    grpc::ByteBuffer extra;
    if (stream->Read(&extra)) Fail("the proxy sent more reflection responses", "end of stream", "a response");
    ExpectOk(stream->Finish(), "ServerReflectionInfo");
  }, ""});
  return cases;
}

}  // namespace cloudstate::tck
