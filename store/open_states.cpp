#include "store/open_states.hpp"

#include "core/ticket_model.hpp"

namespace switchboard::store {

namespace {
std::string spelled_from_the_model() {
  std::string list;
  for (int i = 0; i < ticketing::kStatusCount; ++i) {
    const auto s = static_cast<ticketing::Status>(i);
    if (!ticketing::is_open(s)) continue;
    list += (list.empty() ? "'" : ", '") + std::string(ticketing::status_name(s)) + "'";
  }
  return "state IN (" + list + ")";
}
}  // namespace

const std::string& open_states_condition() {
  static const std::string condition = spelled_from_the_model();
  return condition;
}

}  // namespace switchboard::store
