#include "store/background_thread.hpp"

#include <pthread.h>
#include <signal.h>

#include <utility>

namespace switchboard::store {

std::thread start_background_thread(std::function<void()> body) {
  // A new thread inherits its creator's mask: block everything for the
  // creation, so the thread never runs a moment with the signals open.
  sigset_t all, kept;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &kept);
  std::thread thread;
  try {
    thread = std::thread(std::move(body));
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &kept, nullptr);
    throw;
  }
  pthread_sigmask(SIG_SETMASK, &kept, nullptr);
  return thread;
}

Periodic::Periodic(std::chrono::milliseconds period, std::function<void()> tick) {
  thread_ = start_background_thread([this, period, tick = std::move(tick)] {
    std::unique_lock lock(mutex_);
    while (!stop_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      tick();
      lock.lock();
    }
  });
}

Periodic::~Periodic() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
}

}  // namespace switchboard::store
