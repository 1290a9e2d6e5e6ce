#include "store/sql_connection.hpp"

namespace switchboard::store {

std::unique_ptr<SqlConnection> connect(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0)
    return connect_postgresql(location);
  return connect_sqlite(location);
}

}  // namespace switchboard::store
