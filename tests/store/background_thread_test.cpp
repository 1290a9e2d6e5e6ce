// A server's helper threads never take the stop signals: `tickets api` once
// died of the SIGTERM it waits for, because the SQLite checkpointer's thread
// was started before the signals were blocked and took it.
#include "store/background_thread.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

namespace switchboard::store {
namespace {

bool blocks(const sigset_t& mask, int signal) { return sigismember(&mask, signal) == 1; }

sigset_t current_mask() {
  sigset_t mask;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return mask;
}

TEST(BackgroundThread, TakesNoSignalAndLeavesTheCallersMask) {
  const sigset_t before = current_mask();
  ASSERT_FALSE(blocks(before, SIGTERM));
  sigset_t inside;
  sigemptyset(&inside);
  auto thread = start_background_thread([&] { inside = current_mask(); });
  thread.join();
  EXPECT_TRUE(blocks(inside, SIGTERM));
  EXPECT_TRUE(blocks(inside, SIGINT));
  EXPECT_TRUE(blocks(inside, SIGHUP));
  const sigset_t after = current_mask();
  EXPECT_FALSE(blocks(after, SIGTERM));
  EXPECT_FALSE(blocks(after, SIGINT));
}

TEST(Periodic, TicksUntilDestroyedAndNeverAfter) {
  std::atomic<int> ticks{0};
  {
    Periodic every(std::chrono::milliseconds(1), [&] { ++ticks; });
    while (ticks < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const int at_stop = ticks;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(ticks, at_stop);
}

// The failure as it happened, in a child process: a helper thread started
// while the signals were open, the main thread blocking SIGTERM only
// afterwards and not yet in sigwait when the signal comes. The signal must
// wait, pending, for the main thread (exit 0), not end the process (15).
TEST(BackgroundThread, AStopSignalWaitsForTheThreadThatWaitsForIt) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(20);  // never outlives a test that died
    Periodic helper(std::chrono::milliseconds(1), [] {});
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    kill(getpid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the helper ticks meanwhile
    const timespec wait{5, 0};
    _exit(sigtimedwait(&stop, nullptr, &wait) == SIGTERM ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

}  // namespace
}  // namespace switchboard::store
