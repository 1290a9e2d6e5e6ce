#include "store/postgres_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/sql_connection.hpp"

namespace switchboard::test {

namespace {

// The newest installed server's bin directory (Debian: /usr/lib/postgresql/N/bin).
std::filesystem::path postgres_bin() {
  std::filesystem::path best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const auto bin = e.path() / "bin";
    if (!std::filesystem::exists(bin / "initdb") || !std::filesystem::exists(bin / "postgres")) continue;
    const int v = std::atoi(e.path().filename().c_str());
    if (v > best_version) best_version = v, best = bin;
  }
  if (best.empty())
    throw std::runtime_error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/install-deps");
  return best;
}

int free_loopback_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error("cannot find a free loopback port");
  const int port = ntohs(a.sin_port);
  close(s);
  return port;
}

// PostgreSQL refuses to run as root: as root, the server runs as `postgres`.
const passwd* server_user() {
  if (geteuid() != 0) return nullptr;
  const passwd* pw = getpwnam("postgres");
  if (!pw) throw std::runtime_error("running as root and there is no 'postgres' user to run the test server as");
  return pw;
}

// Starts argv[0] as the server user, output to `log`; with `die_with_us` the
// kernel sends it SIGINT (fast shutdown) if this process dies.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& log, bool die_with_us) {
  const passwd* pw = server_user();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (pw && (setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)) _exit(126);
    if (die_with_us) prctl(PR_SET_PDEATHSIG, SIGINT);  // after setuid, which would clear it
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) dup2(fd, 1), dup2(fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

PostgresCluster::PostgresCluster() {
  const auto bin = postgres_bin();
  char templ[] = "/tmp/switchboard-pg-XXXXXX";
  if (!mkdtemp(templ)) throw std::runtime_error("cannot create a temp dir for PostgreSQL");
  dir_ = templ;
  if (const passwd* pw = server_user(); pw && chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
    throw std::runtime_error("cannot give the temp dir to the postgres user");
  const auto log = dir_ / "log";
  const pid_t init = spawn({(bin / "initdb").string(), "-D", (dir_ / "data").string(), "-U", "switchboard", "-A",
                            "trust", "-E", "UTF8", "--no-sync", "--no-instructions"},
                           log, false);
  int status = 0;
  waitpid(init, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
  {
    const std::string why = "initdb failed:\n" + log_tail();
    stop();
    throw std::runtime_error(why);
  }
  port_ = free_loopback_port();
  // -F: no fsync (a throwaway cluster); sockets only in our own dir and on loopback.
  server_ = spawn({(bin / "postgres").string(), "-D", (dir_ / "data").string(), "-p", std::to_string(port_), "-k",
                   dir_.string(), "-F", "-c", "listen_addresses=127.0.0.1"},
                  log, true);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    try {
      store::connect_postgresql(uri());
      return;
    } catch (const store::StoreError&) {
      if (std::chrono::steady_clock::now() > deadline) break;
      int st = 0;
      if (waitpid(server_, &st, WNOHANG) == server_) break;  // it died
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  const std::string why = "the test PostgreSQL server did not start within 30 s; its log:\n" + log_tail();
  stop();
  throw std::runtime_error(why);
}

std::string PostgresCluster::log_tail() const {
  std::ifstream in(dir_ / "log");
  std::stringstream s;
  s << in.rdbuf();
  const std::string all = s.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

PostgresCluster::~PostgresCluster() { stop(); }

void PostgresCluster::stop() {
  if (server_ > 0) {
    kill(server_, SIGINT);
    int status = 0;
    waitpid(server_, &status, 0);
    server_ = -1;
  }
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  dir_.clear();
}

std::string PostgresCluster::uri(const std::string& database) const {
  return "postgresql://switchboard@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresCluster::fresh_database() {
  const std::string name = "t" + std::to_string(++databases_);
  store::connect_postgresql(uri())->run("CREATE DATABASE " + name);
  return uri(name);
}

PostgresCluster& shared_postgres_cluster() {
  static PostgresCluster cluster;
  return cluster;
}

}  // namespace switchboard::test
