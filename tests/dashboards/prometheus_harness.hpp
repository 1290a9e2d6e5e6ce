// A throwaway Prometheus server for the dashboard tests (Debian's
// `prometheus`): its own temp dir, a loopback port of the test process,
// stopped (SIGTERM, then SIGKILL) when the object dies. Queries go through
// the HTTP API with curl.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace switchboard::test::dashboards {

using namespace std::chrono_literals;

// A TCP socket listening on a loopback port the kernel found free, held
// while the object lives (a port taken, for tests of "address in use").
class LoopbackListener {
 public:
  LoopbackListener() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && listen(fd_, 1) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port_ = ntohs(a.sin_port);
  }
  ~LoopbackListener() {
    if (fd_ >= 0) close(fd_);
  }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;
  int port() const { return port_; }  // 0 if none could be had

 private:
  int fd_;
  int port_ = 0;
};

// A loopback TCP port that was free a moment ago (the listener is closed again).
inline int free_tcp_port() { return LoopbackListener().port(); }

// Prometheus' port, asked of the kernel once per test process (a port
// derived from the pid collided with other programs' servers on a shared
// machine).
inline int prometheus_port() {
  static const int port = [] {
    const int free = free_tcp_port();
    return free != 0 ? free : 50000 + static_cast<int>(getpid() % 1500) * 10;
  }();
  return port;
}

inline std::string shell(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, p)) out.append(buffer, n);
  const int s = pclose(p);
  if (status != nullptr) *status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
  return out;
}

// URL-encodes a PromQL expression for a query string.
inline std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += {'%', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

class Prometheus {
 public:
  // `config`: prometheus.yml text; `storage`: a TSDB directory (blocks to
  // load), or empty for a fresh one in the temp dir. `extra`: more flags.
  Prometheus(const std::string& config, const std::string& storage = "", const std::string& extra = "")
      : port_(prometheus_port()) {
    write_file(dir_ / "prometheus.yml", config);
    const std::string tsdb = storage.empty() ? (dir_ / "data").string() : storage;
    const std::string command = "exec prometheus --config.file=" + (dir_ / "prometheus.yml").string() +
                                " --storage.tsdb.path=" + tsdb + " --web.listen-address=127.0.0.1:" + std::to_string(port_) +
                                " " + extra + " >" + (dir_ / "prometheus.log").string() + " 2>&1";
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 100 && !ready(); ++i) std::this_thread::sleep_for(100ms);  // at most 10 s
  }
  ~Prometheus() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(100ms);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  Prometheus(const Prometheus&) = delete;
  Prometheus& operator=(const Prometheus&) = delete;

  bool ready() const { return shell(curl("/-/ready")).find("Ready") != std::string::npos; }
  std::string log() const { return read_file(dir_ / "prometheus.log"); }
  const TempDir& dir() const { return dir_; }

  // GET /api/v1/query (at `time`, Unix seconds, if given); the parsed reply
  // (a JSON null if curl got nothing).
  nlohmann::json query(const std::string& expr, const std::string& time = "") const {
    std::string path = "/api/v1/query?query=" + url_encode(expr);
    if (!time.empty()) path += "&time=" + time;
    const std::string reply = shell(curl(path));
    return nlohmann::json::parse(reply, nullptr, false);
  }

 private:
  std::string curl(const std::string& path) const {
    return "curl -s --max-time 5 'http://127.0.0.1:" + std::to_string(port_) + path + "'";
  }
  TempDir dir_;
  int port_;
  pid_t pid_ = 0;
};

}  // namespace switchboard::test::dashboards
