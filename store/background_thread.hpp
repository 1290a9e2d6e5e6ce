// Threads a server starts beside its main loop. A process-directed SIGTERM
// or SIGINT goes to any thread that does not block it: on a helper thread
// the default action ends the process before `tickets api` (which waits for
// the signal with sigwait) can stop cleanly, and libre's handler in `serve`
// would run beside libre's loop instead of on it. So these threads start
// with every blockable signal blocked, whatever the caller's mask, and the
// stop signals reach the thread that waits for them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace switchboard::store {

// `body` on a new thread that takes no signals; the caller's mask is kept.
std::thread start_background_thread(std::function<void()> body);

// `tick` every `period` on a background thread until destroyed (the
// destructor waits for a tick in progress; none runs after it returns).
class Periodic {
 public:
  Periodic(std::chrono::milliseconds period, std::function<void()> tick);
  ~Periodic();
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchboard::store
