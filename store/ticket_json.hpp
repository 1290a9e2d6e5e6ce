// Tickets and their figures as JSON, the one spelling `tickets show/list/
// export --format json` and the HTTP API share. Times are Unix seconds
// (numbers, exact); states are their lifecycle names.
#pragma once

#include <nlohmann/json.hpp>

#include "core/ticket_model.hpp"
#include "store/ticket_store.hpp"

namespace switchboard::store {

nlohmann::json ticket_json(const ticketing::Ticket& t, bool with_history = true);
nlohmann::json stats_json(const TicketStats& s);

}  // namespace switchboard::store
