// A program the load test starts (SIPp, `switchboard serve`): spawned with
// its output in files, signalled and reaped by its own pid only.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace switchboard::loadgen {

class ChildProcess {
 public:
  // Runs argv[0] (looked up on PATH) in `dir` with stdout and stderr to
  // the given files. Throws std::runtime_error when it cannot be started.
  ChildProcess(const std::vector<std::string>& argv, const std::string& dir, const std::string& stdout_path,
               const std::string& stderr_path);
  ~ChildProcess();  // a child still running gets SIGKILL and is reaped
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // True while it runs; once it has ended, exit_status() is its status
  // (128 + signal when killed by one).
  bool running();
  int exit_status() const { return status_; }
  void signal(int sig);
  // Waits up to `seconds` for it to end; false if it still runs.
  bool wait_for(double seconds);

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// What a running process has used so far, from /proc (Linux): CPU seconds
// (user + system) and resident memory. Zeros once it is gone.
struct ProcessUsage {
  double cpu_seconds = 0;
  double rss_mb = 0;
};
ProcessUsage usage_of(pid_t pid);

// True when `program` is an executable file on PATH (or a path to one).
bool on_path(const std::string& program);

// A UDP or TCP port on 127.0.0.1 that was free a moment ago.
int free_port(bool udp);

}  // namespace switchboard::loadgen
