// The ticket store's series on serve's /metrics (--tickets-db), read from
// the store by a thread of their own every second, so no query runs on the
// SIP event loop (docs/kpis.md, "The ticket store"). They count what is
// stored, whoever wrote it (calls, the API, the CLI, other servers on one
// PostgreSQL), unlike the core's switchboard_tickets_* (this process's calls):
//   switchboard_ticket_store_tickets{state, category}   gauge
//   switchboard_ticket_store_created_total              counter: tickets stored
//   switchboard_ticket_store_resolved_total             counter: moves into resolved
//   switchboard_ticket_store_sla_breaches_total         counter: tickets resolved late, open or cancelled past their due time
//   switchboard_ticket_store_open_age_seconds{le}       gauge: open tickets at most `le` old (cumulative; "+Inf": all)
//   switchboard_ticket_store_open_age_seconds_sum       gauge: their ages added up
//   switchboard_ticket_store_backlog{group}             gauge: open tickets the group holds
//   switchboard_ticket_store_breaching{group}           gauge: ... of them past their resolution due time
//   switchboard_ticket_store_resolved{group}            gauge: resolved or closed tickets the group holds
//   switchboard_ticket_store_resolved_within_sla{group} gauge: ... of them resolved in time
//   switchboard_ticket_webhook_posts_total{outcome}     counter: delivered, failed, dropped (queue full)
//   switchboard_ticket_webhook_retries_total            counter
//   switchboard_callbacks_stored_pending                gauge: promised callbacks not placed yet
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "store/background_thread.hpp"

namespace switchboard::store {
class ServedTickets;
}

namespace switchboard::sip {

class TicketMetrics {
 public:
  TicketMetrics(prometheus::Registry& registry, store::ServedTickets& tickets);
  // Reads the store once and sets every series (also what the thread does).
  void refresh();

 private:
  prometheus::Registry& registry_;
  store::ServedTickets& tickets_;
  prometheus::Family<prometheus::Gauge>& by_state_;
  prometheus::Counter& created_;
  prometheus::Counter& resolved_;
  prometheus::Counter& breaches_;
  prometheus::Family<prometheus::Gauge>& age_;
  std::vector<prometheus::Gauge*> age_buckets_;
  prometheus::Gauge& age_inf_;
  prometheus::Gauge& age_sum_;
  prometheus::Family<prometheus::Counter>& posts_;
  prometheus::Counter& delivered_;
  prometheus::Counter& failed_;
  prometheus::Counter& dropped_;
  prometheus::Counter& retries_;
  prometheus::Gauge& callbacks_pending_;
  std::map<std::pair<std::string, std::string>, prometheus::Gauge*> state_gauges_;
  // The back office per group: backlog, breaching, resolved, resolved within SLA.
  std::array<prometheus::Family<prometheus::Gauge>*, 4> group_families_;
  std::map<std::string, std::array<prometheus::Gauge*, 4>> group_gauges_;
  std::optional<store::Periodic> every_second_;  // last: stopped before the gauges go
};

}  // namespace switchboard::sip
