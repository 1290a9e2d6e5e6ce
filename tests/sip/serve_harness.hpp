// A `switchboard serve` process and SIPp runs against it, for the SIP tests:
// ports of the test process's own (ctest runs tests in parallel processes),
// every process bounded in time (the server runs with --duration, SIPp with
// -timeout and `timeout`).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "support/test_support.hpp"

namespace switchboard::test::serve {


using namespace std::chrono_literals;
using switchboard::test::source_dir;

// Ports of this test process (ctest runs tests in parallel processes).
inline int base_port() { return 30000 + static_cast<int>(getpid() % 2000) * 10; }

inline std::string capture(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, p)) out.append(buffer, n);
  pclose(p);
  return out;
}

class Server {
 public:
  // `stderr_file`: where the server's messages go. `port_offset`: a second
  // server of the same test listens on base_port() + offset (SIP) and + offset + 1 (metrics).
  Server(const std::string& fixture, const std::string& extra, const std::string& stderr_file = "/dev/null", int port_offset = 0)
      : sip_port_(base_port() + port_offset), metrics_port_(base_port() + port_offset + 1) {
    const std::string command = std::string(SWITCHBOARD_CLI) + " serve " + (source_dir() / "tests/sip/fixtures" / fixture).string() +
                                " --sip udp:127.0.0.1:" + std::to_string(sip_port_) + " --metrics 127.0.0.1:" +
                                std::to_string(metrics_port_) + (extra.find("--duration") == std::string::npos ? " --duration 60" : "") +
                                (extra.find("--grace") == std::string::npos ? " --grace 2 " : " ") +
                                // loadgen/caller-ivr.xml waits for the connect re-INVITE
                                (extra.find("--connect-signal") == std::string::npos ? "--connect-signal reinvite " : "") +
                                // No ./tickets.db shared by every test process (its callbacks would be restored by the next)
                                (extra.find("--tickets-db") == std::string::npos ? "--tickets-db none " : "") + extra;
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sh", "sh", "-c", ("exec " + command + " 2>" + stderr_file).c_str(), nullptr);
      _exit(127);
    }
    // Ready when /metrics answers (at most 5 s).
    for (int i = 0; i < 50 && metrics().empty(); ++i) std::this_thread::sleep_for(100ms);
  }
  ~Server() { stop(); }

  // kill -9: the server has no say.
  void kill9() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
    status_ = -1;
  }
  bool running() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }
  // SIGTERM without waiting: the server drains.
  void terminate() const {
    if (pid_ > 0) kill(pid_, SIGTERM);
  }
  // Waits (at most 10 s, else SIGKILL) for the server to exit; its exit status.
  int wait() { return stop(false); }

  int stop(bool signal = true) {
    if (pid_ <= 0) return status_;
    if (signal) kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100; ++i) {  // at most 10 s, then it is killed
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = 0;
        return status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(100ms);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return status_ = -1;
  }

  std::string metrics() const {
    return capture("curl -s --max-time 2 http://127.0.0.1:" + std::to_string(metrics_port_) + "/metrics");
  }
  // The value of one series, e.g. value("switchboard_calls_handled_total{queue=\"sales\"}").
  double value(const std::string& series) const {
    const std::string m = metrics();
    const auto at = m.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(m.substr(at + series.size() + 2));
  }
  // SIPp against this server; returns its exit status (0: every call as scripted).
  int sipp(const std::string& scenario, const std::string& args, int local_port_offset) const {
    const std::string command = "timeout 60 sipp -sf " + (source_dir() / "loadgen" / scenario).string() + " 127.0.0.1:" +
                                std::to_string(sip_port_) + " -i 127.0.0.1 -p " + std::to_string(base_port() + 2 + local_port_offset) +
                                " -nostdin -timeout 40s -timeout_error " + args + " >/dev/null 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // A SIPp of its own on a fixed local port (a SIP agent's phone, a UAS):
  // started now, its exit status from wait().
  class Background {
   public:
    explicit Background(const std::string& command) : thread_([this, command] {
      const int status = std::system(command.c_str());
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }) {}
    ~Background() { if (thread_.joinable()) thread_.join(); }
    int wait() { thread_.join(); return status_; }
   private:
    int status_ = -1;
    std::thread thread_;
  };
  // A SIPp UAS (loadgen/agent-*.xml) on base_port() + 2 + local_port_offset.
  std::unique_ptr<Background> phone(const std::string& scenario, const std::string& args, int local_port_offset) const {
    const std::string command = "timeout 60 sipp -sf " + (source_dir() / "loadgen" / scenario).string() +
                                " -i 127.0.0.1 -p " + std::to_string(base_port() + 2 + local_port_offset) +
                                " -nostdin -timeout 40s -timeout_error " + args + " >/dev/null 2>&1";
    auto p = std::make_unique<Background>(command);
    std::this_thread::sleep_for(300ms);  // listening before anyone calls it
    return p;
  }
  // Registers (or, with expires 0, unregisters) a login whose phone is on
  // base_port() + 2 + phone_offset; SIPp's exit status (0: 200 OK).
  int register_agent(const std::string& user, const std::string& password, int phone_offset, int expires,
                     int local_port_offset) const {
    return sipp("agent-register.xml",
                "-au " + user + " -ap " + password + " -key agent " + user + " -key contact_port " +
                    std::to_string(base_port() + 2 + phone_offset) + " -key expires " + std::to_string(expires) + " -m 1",
                local_port_offset);
  }
  int sip_port() const { return sip_port_; }
  // The server's resident memory now, in kB (/proc), or -1.
  long rss_kb() const {
    const std::string status = switchboard::test::read_file("/proc/" + std::to_string(pid_) + "/status");
    const auto at = status.find("VmRSS:");
    return at == std::string::npos ? -1 : std::stol(status.substr(at + 6));
  }

 private:
  int sip_port_, metrics_port_;
  pid_t pid_ = 0;
  int status_ = 0;
};

// Waits until `series` reaches `expected` (metrics publish every 200 ms).
inline double wait_for(const Server& s, const std::string& series, double expected) {
  double v = -1;
  for (int i = 0; i < 50 && (v = s.value(series)) != expected; ++i) std::this_thread::sleep_for(100ms);
  return v;
}


}  // namespace switchboard::test::serve
