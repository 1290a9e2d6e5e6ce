#include "store/sql_connection.hpp"

namespace switchboard::store {

bool is_postgresql(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<SqlConnection> connect(const std::string& location, Sync sync, Integrity check) {
  if (is_postgresql(location)) return connect_postgresql(location);
  return connect_sqlite(location, sync, check);
}

std::optional<Sync> parse_sync(const std::string& text) {
  if (text == "normal") return Sync::normal;
  if (text == "full") return Sync::full;
  return std::nullopt;
}

}  // namespace switchboard::store
