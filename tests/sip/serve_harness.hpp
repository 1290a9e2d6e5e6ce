// A `switchboard serve` process and SIPp runs against it, for the SIP tests:
// ports of the test process's own (ctest runs tests in parallel processes),
// every process bounded in time (the server runs with --duration, SIPp with
// -timeout and `timeout`).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "support/test_support.hpp"

namespace switchboard::test::serve {


using namespace std::chrono_literals;
using switchboard::test::source_dir;

// A block of 10 loopback ports of this test process's own, chosen once.
// ctest runs tests in parallel processes: a block is claimed with a lock
// file held until the process exits (a pid-derived block collided once in a
// full run), taken only if every port in it binds for UDP and TCP, and lies
// below the kernel's ephemeral range (32768-60999), where the outgoing
// connections of other programs cannot take its ports.
inline bool loopback_port_free(int port, int type) {
  const int fd = socket(AF_INET, type, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

inline int claim_port_block() {
  constexpr int kFirst = 20000, kBlocks = 1200, kWidth = 10;
  const std::string directory = "/tmp/switchboard-test-ports";
  mkdir(directory.c_str(), 0777);
  const int start = static_cast<int>(getpid() % kBlocks);
  for (int i = 0; i < kBlocks; ++i) {
    const int base = kFirst + ((start + i) % kBlocks) * kWidth;
    const int lock = open((directory + "/" + std::to_string(base)).c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0666);
    if (lock < 0) continue;
    if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
      close(lock);
      continue;
    }
    bool free = true;
    for (int port = base; port < base + kWidth && free; ++port)
      free = loopback_port_free(port, SOCK_DGRAM) && loopback_port_free(port, SOCK_STREAM);
    if (free) return base;  // the lock stays held (its descriptor open) for the process's life
    close(lock);
  }
  return kFirst + start * kWidth;  // every block taken: fall back to the pid's (a test will say the port is busy)
}

inline int base_port() {
  static const int base = claim_port_block();
  return base;
}

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
