#include "http_client.h"

#include <algorithm>
#include <asio.hpp>
#include <cctype>

namespace cloudstate::tck {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Decodes a chunked body; nullopt-like empty result with `ok` false when it is malformed.
bool Dechunk(const std::string& raw, std::string& body) {
  size_t at = 0;
  body.clear();
  while (true) {
    size_t line_end = raw.find("\r\n", at);
    if (line_end == std::string::npos) return false;
    size_t size = std::stoul(raw.substr(at, line_end - at), nullptr, 16);
    at = line_end + 2;
    if (size == 0) return true;
    if (at + size > raw.size()) return false;
    body.append(raw, at, size);
    at += size + 2;
  }
}

Result<HttpResponse> Parse(const std::string& raw) {
  size_t head_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || head_end == std::string::npos) {
    return Status::Unavailable("not an HTTP response: " + raw.substr(0, 80));
  }
  HttpResponse response;
  size_t space = raw.find(' ');
  response.status = std::atoi(raw.c_str() + space + 1);
  bool chunked = false;
  size_t line = raw.find("\r\n") + 2;
  while (line < head_end) {
    size_t end = raw.find("\r\n", line);
    std::string header = raw.substr(line, end - line);
    size_t colon = header.find(':');
    if (colon != std::string::npos) {
      std::string name = Lower(header.substr(0, colon));
      std::string value = header.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      if (name == "content-type") response.content_type = value;
      if (name == "transfer-encoding" && Lower(value).find("chunked") != std::string::npos) chunked = true;
    }
    line = end + 2;
  }
  std::string rest = raw.substr(head_end + 4);
  if (!chunked) {
    response.body = std::move(rest);
  } else if (!Dechunk(rest, response.body)) {
    return Status::Unavailable("malformed chunked body");
  }
  return response;
}

}  // namespace

Result<HttpResponse> HttpCall(const std::string& host, int port, const std::string& path, const std::string& body,
                              std::chrono::milliseconds timeout) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  asio::ip::tcp::resolver resolver(io);
  std::string request = (body.empty() ? "GET " : "POST ") + path + " HTTP/1.1\r\nHost: " + host + ":" +
                        std::to_string(port) + "\r\nConnection: close\r\n";
  if (!body.empty()) {
    request += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  std::string raw;
  std::array<char, 4096> buffer;
  asio::error_code failure;
  bool done = false;
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(buffer), [&](asio::error_code error, size_t n) {
      raw.append(buffer.data(), n);
      if (!error) return read_more();
      if (error != asio::error::eof) failure = error;
      done = true;
    });
  };
  resolver.async_resolve(host, std::to_string(port), [&](asio::error_code error, auto endpoints) {
    if (error) {
      failure = error;
      done = true;
      return;
    }
    asio::async_connect(socket, endpoints, [&](asio::error_code error, const auto&) {
      if (error) {
        failure = error;
        done = true;
        return;
      }
      asio::async_write(socket, asio::buffer(request), [&](asio::error_code error, size_t) {
        if (error) {
          failure = error;
          done = true;
          return;
        }
        read_more();
      });
    });
  });
  io.run_for(timeout);
  if (!done) return Status::DeadlineExceeded("no HTTP response within " + std::to_string(timeout.count()) + " ms");
  if (failure) return Status::Unavailable("HTTP " + path + ": " + failure.message());
  return Parse(raw);
}

}  // namespace cloudstate::tck
