// PostgreSQL behind SqlConnection (libpq): the same statements as SQLite,
// parameters sent as text and typed by the server, rows read as text (float8
// comes back in its shortest exact form since PostgreSQL 12).
#include <fmt/format.h>
#include <libpq-fe.h>

#include <regex>
#include <string>

#include "store/sql_connection.hpp"

namespace switchboard::store {

namespace {

// The URI as messages show it: any password replaced by ***.
std::string without_password(const std::string& uri) {
  static const std::regex password(R"(^(postgres(ql)?://[^:@/]*):[^@/]*@)");
  std::string out = std::regex_replace(uri, password, "$1:***@");
  static const std::regex query_password(R"(([?&]password=)[^&]*)");
  return std::regex_replace(out, query_password, "$1***");
}

class PgConnection final : public SqlConnection {
 public:
  explicit PgConnection(const std::string& uri) : location_(without_password(uri)) {
    conn_ = PQconnectdb(uri.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw StoreError("cannot connect to the ticket database " + location_ + ": " + trimmed(why));
    }
    run("SET client_min_messages = warning", {});  // no NOTICE chatter on stderr
  }

  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::postgresql; }
  const std::string& location() const override { return location_; }

  SqlResult run(const std::string& sql, const std::vector<SqlValue>& params) override {
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const SqlValue& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (auto* n = std::get_if<std::int64_t>(&v)) text[i] = std::to_string(*n);
      else if (auto* d = std::get_if<double>(&v)) text[i] = fmt::format("{}", *d);
      else text[i] = std::get<std::string>(v);
      values[i] = text[i].c_str();
    }
    PGresult* res = PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                                 nullptr, 0);
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    const ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw StoreError(fmt::format("{}: postgresql error running `{}`: {}", location_, sql.substr(0, 60),
                                   trimmed(PQresultErrorMessage(res))));
    SqlResult result;
    const int rows = PQntuples(res), columns = PQnfields(res);
    result.rows.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      SqlRow row(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c)
        if (!PQgetisnull(res, r, c)) row[c] = std::string(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c)));
      result.rows.push_back(std::move(row));
    }
    const char* affected = PQcmdTuples(res);
    result.affected = affected && *affected ? std::stoll(affected) : 0;
    return result;
  }

  void begin_write() override { run("BEGIN", {}); }
  void begin_read() override { run("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", {}); }
  void commit() override { run("COMMIT", {}); }
  void rollback() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) run("ROLLBACK", {});
  }

 private:
  static std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
  }

  std::string location_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<SqlConnection> connect_postgresql(const std::string& uri) { return std::make_unique<PgConnection>(uri); }

}  // namespace switchboard::store
