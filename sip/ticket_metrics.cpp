#include "sip/ticket_metrics.hpp"

#include <chrono>
#include <cstdio>

#include "store/served_tickets.hpp"

namespace switchboard::sip {

namespace {
// A counter moved up to `value` (the store's count only grows).
void advance(prometheus::Counter& c, double value) {
  if (value > c.Value()) c.Increment(value - c.Value());
}
std::string bound(double seconds) { return std::to_string(static_cast<long long>(seconds)); }
}  // namespace

TicketMetrics::TicketMetrics(prometheus::Registry& registry, store::ServedTickets& tickets)
    : registry_(registry),
      tickets_(tickets),
      by_state_(prometheus::BuildGauge().Name("switchboard_ticket_store_tickets").Help("Tickets in the store by state and category").Register(registry)),
      created_(prometheus::BuildCounter().Name("switchboard_ticket_store_created_total").Help("Tickets stored (created)").Register(registry).Add({})),
      resolved_(prometheus::BuildCounter().Name("switchboard_ticket_store_resolved_total").Help("Moves of a ticket into resolved").Register(registry).Add({})),
      breaches_(prometheus::BuildCounter()
                    .Name("switchboard_ticket_store_sla_breaches_total")
                    .Help("Tickets resolved after their resolution due time, open past it, or cancelled past it")
                    .Register(registry)
                    .Add({})),
      age_(prometheus::BuildGauge()
               .Name("switchboard_ticket_store_open_age_seconds")
               .Help("Open tickets at most le seconds old (cumulative, like a histogram's buckets)")
               .Register(registry)),
      age_inf_(age_.Add({{"le", "+Inf"}})),
      age_sum_(prometheus::BuildGauge().Name("switchboard_ticket_store_open_age_seconds_sum").Help("Ages of the open tickets added up").Register(registry).Add({})),
      posts_(prometheus::BuildCounter()
                 .Name("switchboard_ticket_webhook_posts_total")
                 .Help("Ticket changes given to the webhook, by outcome (dropped: the queue was full)")
                 .Register(registry)),
      delivered_(posts_.Add({{"outcome", "delivered"}})),
      failed_(posts_.Add({{"outcome", "failed"}})),
      dropped_(posts_.Add({{"outcome", "dropped"}})),
      retries_(prometheus::BuildCounter().Name("switchboard_ticket_webhook_retries_total").Help("Webhook POSTs repeated after a failure").Register(registry).Add({})),
      callbacks_pending_(prometheus::BuildGauge().Name("switchboard_callbacks_stored_pending").Help("Promised callbacks not placed yet (stored)").Register(registry).Add({})) {
  for (double b : store::kTicketAgeBuckets) age_buckets_.push_back(&age_.Add({{"le", bound(b)}}));
  const std::array<std::pair<const char*, const char*>, 4> groups = {{
      {"switchboard_ticket_store_backlog", "Open tickets the group holds"},
      {"switchboard_ticket_store_breaching", "Open tickets the group holds past their resolution due time"},
      {"switchboard_ticket_store_resolved", "Resolved or closed tickets the group holds"},
      {"switchboard_ticket_store_resolved_within_sla", "Resolved or closed tickets the group holds, resolved by their due time"},
  }};
  for (std::size_t i = 0; i < groups.size(); ++i)
    group_families_[i] = &prometheus::BuildGauge().Name(groups[i].first).Help(groups[i].second).Register(registry);
  refresh();
  every_second_.emplace(std::chrono::seconds(1), [this] { refresh(); });
}

void TicketMetrics::refresh() {
  try {
    const store::TicketFigures f = tickets_.figures();
    for (auto& [key, gauge] : state_gauges_) gauge->Set(0);  // a combination gone since
    for (const auto& [key, n] : f.by_state_category) {
      auto it = state_gauges_.find(key);
      if (it == state_gauges_.end())
        it = state_gauges_.emplace(key, &by_state_.Add({{"state", key.first}, {"category", key.second}})).first;
      it->second->Set(static_cast<double>(n));
    }
    for (auto& [group, gauges] : group_gauges_)  // a group that holds nothing any more
      for (auto* g : gauges) g->Set(0);
    for (const auto& [group, figures] : f.by_group) {
      auto it = group_gauges_.find(group);
      if (it == group_gauges_.end()) {
        std::array<prometheus::Gauge*, 4> added{};
        for (std::size_t i = 0; i < added.size(); ++i) added[i] = &group_families_[i]->Add({{"group", group}});
        it = group_gauges_.emplace(group, added).first;
      }
      const std::array<std::int64_t, 4> values = {figures.backlog, figures.breaching, figures.resolved, figures.resolved_within_sla};
      for (std::size_t i = 0; i < values.size(); ++i) it->second[i]->Set(static_cast<double>(values[i]));
    }
    advance(created_, static_cast<double>(f.created));
    advance(resolved_, static_cast<double>(f.resolved));
    advance(breaches_, static_cast<double>(f.sla_breaches));
    for (std::size_t i = 0; i < age_buckets_.size(); ++i) age_buckets_[i]->Set(static_cast<double>(f.open_by_age[i]));
    age_inf_.Set(static_cast<double>(f.open));
    age_sum_.Set(f.open_age_sum);
    const store::WebhookCounts w = tickets_.webhook_counts();
    advance(delivered_, static_cast<double>(w.delivered));
    advance(failed_, static_cast<double>(w.failed));
    advance(dropped_, static_cast<double>(w.dropped));
    advance(retries_, static_cast<double>(w.retries));
    callbacks_pending_.Set(static_cast<double>(tickets_.pending_callbacks().size()));
  } catch (const std::exception& e) {  // the store is away for a moment: the series keep their values
    std::fprintf(stderr, "switchboard serve: ticket metrics: %s\n", e.what());
  }
}

}  // namespace switchboard::sip
