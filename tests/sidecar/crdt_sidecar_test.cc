// CRDT entities through the sidecar, over real loopback gRPC: the CRDT model function on our
// function server (the entity id's prefix picks the CRDT), the sidecar in-process on a memory store,
// and clients on generated stubs. Updates and reads of several CRDTs; a streamed call that sees
// other clients' changes and ends when the function ends it; a client that cancels, whose cancel
// handler's state change other watchers see; a delete that ends the open streams and refuses later
// commands.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "crdt_sidecar_harness.h"

using namespace crdt_sidecar;

TEST_CASE("updates and reads of several CRDTs") {
  Harness h;
  CHECK(h.Apply(Request("gcounter-1", "inc", "3")) == "3");
  CHECK(h.Apply(Request("gcounter-1", "inc", "2")) == "5");
  CHECK(h.Apply(Request("gcounter-1", "get")) == "5");

  CHECK(h.Apply(Request("pncounter-1", "inc", "4")) == "4");
  CHECK(h.Apply(Request("pncounter-1", "dec", "6")) == "-2");

  CHECK(h.Apply(Request("gset-1", "add", "b")) == "b");
  CHECK(h.Apply(Request("gset-1", "add", "a")) == "a,b");

  CHECK(h.Apply(Request("orset-1", "add", "x")) == "x");
  CHECK(h.Apply(Request("orset-1", "add", "y")) == "x,y");
  CHECK(h.Apply(Request("orset-1", "remove", "x")) == "y");

  CHECK(h.Apply(Request("lww-1", "set", "first")) == "first");
  CHECK(h.Apply(Request("lww-1", "set", "second")) == "second");

  CHECK(h.Apply(Request("flag-1", "get")) == "");
  CHECK(h.Apply(Request("flag-1", "enable")) == "true");

  CHECK(h.Apply(Request("ormap-1", "put", "k")) == "k=1");
  CHECK(h.Apply(Request("ormap-1", "put", "k")) == "k=2");
  CHECK(h.Apply(Request("ormap-1", "put", "j")) == "j=1,k=2");

  CHECK(h.Apply(Request("vote-1", "vote")) == "yes 1/1");
  CHECK(h.Apply(Request("vote-1", "unvote")) == "no 0/1");

  SUBCASE("the state outlives the function's stream") {
    // The function fails this command; its stream goes on and so does the state.
    CHECK(h.Apply(Request("gcounter-1", "fail")).find("asked to fail") != std::string::npos);
    CHECK(h.Apply(Request("gcounter-1", "inc", "1")) == "6");
    CHECK(h.Apply(Request("orset-1", "get")) == "y");
  }
}

TEST_CASE("a streamed call sees other clients' changes until the function ends it") {
  Harness h;
  CHECK(h.Apply(Request("gcounter-w", "inc", "1")) == "1");
  Watcher watcher(h, Request("gcounter-w", "get", "", "4"));
  REQUIRE(watcher.Next() == "1");  // the reply: the current state

  CHECK(h.Apply(Request("gcounter-w", "inc", "2")) == "3");
  CHECK(watcher.Next() == "3");
  CHECK(h.Apply(Request("gcounter-w", "inc", "1")) == "4");
  std::vector<std::string> rest;
  grpc::Status status = watcher.Drain(&rest);
  CHECK_MESSAGE(status.ok(), Describe(status));  // "4" was the end the watcher asked for
  CHECK(rest == std::vector<std::string>{"4"});

  // The entity serves on after its stream ended.
  CHECK(h.Apply(Request("gcounter-w", "inc", "1")) == "5");
}

TEST_CASE("a client that cancels runs the function's cancel handler") {
  Harness h;
  CHECK(h.Apply(Request("vote-c", "vote")) == "yes 1/1");
  // The vote is withdrawn when a watcher cancels; the other watcher sees it and ends there.
  Watcher observer(h, Request("vote-c", "get", "", "no 0/1"));
  REQUIRE(observer.Next() == "yes 1/1");
  {
    Watcher leaving(h, Request("vote-c", "get"));
    REQUIRE(leaving.Next() == "yes 1/1");
    leaving.context.TryCancel();
    std::vector<std::string> rest;
    CHECK(leaving.Drain(&rest).error_code() == grpc::StatusCode::CANCELLED);
  }
  std::vector<std::string> seen;
  grpc::Status status = observer.Drain(&seen);
  CHECK_MESSAGE(status.ok(), Describe(status));
  CHECK(seen == std::vector<std::string>{"no 0/1"});
  CHECK(h.Apply(Request("vote-c", "get")) == "no 0/1");
}

TEST_CASE("a delete ends the open streams and refuses later commands") {
  Harness h;
  CHECK(h.Apply(Request("orset-d", "add", "a")) == "a");
  Watcher watcher(h, Request("orset-d", "get"));
  REQUIRE(watcher.Next() == "a");

  CHECK(h.Apply(Request("orset-d", "delete")) == "");
  std::vector<std::string> rest;
  grpc::Status status = watcher.Drain(&rest);
  CHECK_MESSAGE(status.ok(), Describe(status));
  CHECK(rest.empty());

  std::string after = h.Apply(Request("orset-d", "get"));
  CHECK_MESSAGE(after.find("Entity deleted") != std::string::npos, after);
  // Other entities of the type are untouched.
  CHECK(h.Apply(Request("orset-e", "add", "b")) == "b");
}

TEST_CASE("a streamed call on an entity with no state yet") {
  Harness h;
  // A streamed call on an entity that has no state yet: the reply is its first message.
  Watcher watcher(h, Request("pncounter-s", "get", "", "7"));
  REQUIRE(watcher.Next() == "");
  CHECK(h.Apply(Request("pncounter-s", "inc", "7")) == "7");
  std::vector<std::string> rest;
  grpc::Status status = watcher.Drain(&rest);
  CHECK_MESSAGE(status.ok(), Describe(status));
  CHECK(rest == std::vector<std::string>{"7"});
}

TEST_CASE("the function going away ends open streams and commands with a clear error") {
  Harness h;
  CHECK(h.Apply(Request("gcounter-gone", "inc", "2")) == "2");
  Watcher watcher(h, Request("gcounter-gone", "get"));
  REQUIRE(watcher.Next() == "2");
  h.function.reset();  // its server cancels the entity's stream after its grace period
  std::vector<std::string> rest;
  grpc::Status status = watcher.Drain(&rest);
  CHECK(status.error_code() == grpc::StatusCode::UNKNOWN);
  CHECK_MESSAGE(status.error_message() == "Entity terminating", Describe(status));
  CHECK(rest.empty());
}
