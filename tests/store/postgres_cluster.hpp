// A throwaway PostgreSQL server for tests: initdb in a temp dir, listening on
// 127.0.0.1 at a free port only, stopped (and its files removed) when the
// object dies — and by the kernel if the test process dies first. Throws if
// PostgreSQL is not installed: a test that needs it fails, it never skips.
#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace switchboard::test {

class PostgresCluster {
 public:
  PostgresCluster();
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // postgresql://switchboard@127.0.0.1:PORT/DATABASE
  std::string uri(const std::string& database = "postgres") const;
  // A new empty database in the cluster; returns its URI.
  std::string fresh_database();
  int port() const { return port_; }

 private:
  void stop();
  std::string log_tail() const;
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t server_ = -1;
  int databases_ = 0;
};

// One cluster per test process, started on first use and stopped at exit.
PostgresCluster& shared_postgres_cluster();

}  // namespace switchboard::test
