// Tells which protocol a client speaks from the first bytes of its connection. gRPC clients speak
// HTTP/2 without TLS from the first byte (h2c with prior knowledge), and so open with the fixed
// HTTP/2 connection preface; anything else is taken for HTTP/1.1.
#pragma once

#include <string_view>

namespace cloudstate::proxy {

inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

enum class WireProtocol {
  kUndecided,  // the bytes so far are a proper prefix of the preface: read more
  kHttp2,
  kHttp1,
};

inline WireProtocol SniffWireProtocol(std::string_view first_bytes) {
  size_t n = first_bytes.size() < kHttp2Preface.size() ? first_bytes.size() : kHttp2Preface.size();
  if (first_bytes.substr(0, n) != kHttp2Preface.substr(0, n)) return WireProtocol::kHttp1;
  return n == kHttp2Preface.size() ? WireProtocol::kHttp2 : WireProtocol::kUndecided;
}

}  // namespace cloudstate::proxy
