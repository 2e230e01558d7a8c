// Blocking conveniences over the asynchronous store writes.
#include <future>

#include "cloudstate/store.h"

namespace cloudstate {
namespace {

template <typename Start>
Status WaitFor(Start start) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  start([&promise](Status status) { promise.set_value(std::move(status)); });
  return future.get();
}

}  // namespace

Status AppendAndWait(Journal& journal, JournalWrite write) {
  return WaitFor([&](WriteCallback done) { journal.Append(std::move(write), std::move(done)); });
}

Status WriteAndWait(ValueStore& values, ValueWrite write) {
  return WaitFor([&](WriteCallback done) { values.Write(std::move(write), std::move(done)); });
}

}  // namespace cloudstate
