// One asio io_context run by one thread of its own: the client port's accepts, protocol sniffing
// and HTTP/1.1 connections all run there, so their state needs no locks.
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <functional>
#include <future>
#include <optional>
#include <thread>

namespace cloudstate::proxy {

class IoThread {
 public:
  IoThread() : work_(asio::make_work_guard(context_)), thread_([this] { context_.run(); }) {}
  ~IoThread() { Stop(); }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  asio::io_context& context() { return context_; }
  bool OnThisThread() const { return std::this_thread::get_id() == thread_.get_id(); }

  // Runs `work` on the I/O thread and waits for it; from any other thread.
  void RunAndWait(std::function<void()> work) {
    if (!thread_.joinable()) return;
    std::promise<void> done;
    asio::post(context_, [&] {
      work();
      done.set_value();
    });
    done.get_future().wait();
  }

  // Stops the loop (pending handlers are dropped) and joins the thread. Idempotent.
  void Stop() {
    if (!thread_.joinable()) return;
    work_.reset();
    context_.stop();
    thread_.join();
  }

 private:
  asio::io_context context_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace cloudstate::proxy
