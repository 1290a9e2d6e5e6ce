#include "store/ticket_json.hpp"

namespace switchboard::store {

nlohmann::json ticket_json(const ticketing::Ticket& t, bool with_history) {
  using nlohmann::json;
  json j = {{"id", t.id},
            {"version", t.version},
            {"customer", t.customer},
            {"category", t.category},
            {"priority", t.priority},
            {"tags", t.tags},
            {"calls", t.calls},
            {"group", t.group},
            {"agent", t.agent},
            {"state", std::string(ticketing::status_name(t.status))},
            {"escalated", t.escalated},
            {"created", t.created},
            {"first_response_due", t.first_response_due},
            {"resolution_due", t.resolution_due},
            {"first_response", t.first_response ? json(*t.first_response) : json(nullptr)},
            {"resolved", t.resolved ? json(*t.resolved) : json(nullptr)}};
  if (with_history) {
    json h = json::array();
    for (const auto& c : t.history)
      h.push_back({{"who", c.who}, {"at", c.at}, {"field", c.field}, {"from", c.from}, {"to", c.to}, {"note", c.note}});
    j["history"] = h;
  }
  return j;
}

nlohmann::json stats_json(const TicketStats& s) {
  nlohmann::json categories = nlohmann::json::object();
  for (const auto& [name, c] : s.by_category)
    categories[name] = {{"open", c.open},
                        {"breaching", c.breaching},
                        {"resolved", c.resolved},
                        {"resolved_within_sla", c.resolved_within_sla}};
  return {{"by_state", s.by_state},
          {"by_category", categories},
          {"open", s.open},
          {"mean_open_age_seconds", s.mean_open_age},
          {"max_open_age_seconds", s.max_open_age},
          {"breaching", s.breaching},
          {"first_response_breaching", s.first_response_breaching},
          {"resolved", s.resolved},
          {"resolved_within_sla", s.resolved_within_sla}};
}

}  // namespace switchboard::store
