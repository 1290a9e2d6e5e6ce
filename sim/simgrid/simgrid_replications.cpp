#include "sim/simgrid/simgrid_replications.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <stdexcept>

#include "core/input_error.hpp"
#include "sim/simgrid/report_codec.hpp"
#include "sim/simgrid/simgrid_engine.hpp"

namespace switchboard::sim {

namespace {

struct Child {
  int replication;
  int fd;
  std::string bytes;
};

// Runs in the child: one replication, its result (or the user's mistake)
// written to `fd`. Status 0 = report, 2 = input error text, 3 = other failure.
[[noreturn]] void run_child(const Scenario& scenario, const std::string& platform, const ReplicationPlan& plan,
                            int replication, int fd) {
  int status = 0;
  std::string out;
  try {
    RunOptions options;
    options.seed = plan.seed;
    options.replication = static_cast<std::uint64_t>(replication);
    out = encode_report(simulate_on_simgrid(scenario, platform, options));
  } catch (const InputError& e) {
    out = e.what();
    status = 2;
  } catch (const std::exception& e) {
    out = e.what();
    status = 3;
  }
  for (std::size_t at = 0; at < out.size();) {
    const ssize_t n = write(fd, out.data() + at, out.size() - at);
    if (n <= 0) _exit(3);
    at += static_cast<std::size_t>(n);
  }
  close(fd);
  _exit(status);
}

}  // namespace

ReplicationResults run_simgrid_replications(const Scenario& scenario, const std::string& platform,
                                            const ReplicationPlan& plan, const std::function<void(int)>& progress) {
  ReplicationResults results;
  results.reports.resize(plan.replications);
  results.stats.resize(plan.replications);
  std::map<pid_t, Child> running;
  int next = 0, done = 0;
  std::string input_error, failure;
  // A child's result can be larger than a pipe's buffer: read from every
  // running child as data comes (poll), and reap a child at its end of file.
  auto finish = [&](pid_t pid) {
    Child& child = running.at(pid);
    int status = 0;
    waitpid(pid, &status, 0);
    close(child.fd);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0) {
      try {
        results.reports[child.replication] = decode_report(child.bytes);
      } catch (const std::exception& e) {
        failure = "replication " + std::to_string(child.replication) + " sent a result that does not decode: " + e.what();
      }
    }
    else if (code == 2) input_error = child.bytes;
    else failure = "replication " + std::to_string(child.replication) + " failed: " + (child.bytes.empty() ? "no result" : child.bytes);
    running.erase(pid);
    ++done;
    if (progress) progress(done);
  };
  // After a user's mistake or a failure no new replication starts; the
  // running ones are read to their end and reaped, so that the error is
  // reported (as an exception the caller handles) with no child left behind.
  auto stopping = [&] { return !input_error.empty() || !failure.empty(); };
  while (done < next || (next < plan.replications && !stopping())) {
    while (next < plan.replications && static_cast<int>(running.size()) < std::max(1, plan.jobs) && !stopping()) {
      int fds[2];
      if (pipe(fds) != 0) {
        failure = "cannot create a pipe for replication " + std::to_string(next);
        break;
      }
      const pid_t pid = fork();
      if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        failure = "cannot start a process for replication " + std::to_string(next);
        break;
      }
      if (pid == 0) {
        close(fds[0]);
        run_child(scenario, platform, plan, next, fds[1]);
      }
      close(fds[1]);
      running.emplace(pid, Child{next, fds[0], {}});
      ++next;
    }
    if (running.empty()) break;
    std::vector<pollfd> polls;
    std::vector<pid_t> pids;
    for (const auto& [pid, child] : running) {
      polls.push_back(pollfd{child.fd, POLLIN, 0});
      pids.push_back(pid);
    }
    if (poll(polls.data(), polls.size(), -1) < 0) continue;  // interrupted by a signal: poll again
    for (std::size_t i = 0; i < polls.size(); ++i) {
      if (polls[i].revents == 0) continue;
      char buffer[65536];
      const ssize_t n = read(polls[i].fd, buffer, sizeof buffer);
      if (n > 0) running.at(pids[i]).bytes.append(buffer, static_cast<std::size_t>(n));
      else finish(pids[i]);
    }
  }
  if (!input_error.empty()) throw InputError(Problem{"", 0, 0, "", input_error});
  if (!failure.empty()) throw std::runtime_error(failure);
  return results;
}

}  // namespace switchboard::sim
