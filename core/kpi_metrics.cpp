#include "core/kpi_metrics.hpp"

#include "core/call_center.hpp"

namespace switchboard {

namespace {

constexpr AgentState kStates[] = {AgentState::offline, AgentState::idle,    AgentState::ringing,
                                  AgentState::talking, AgentState::wrap_up, AgentState::away};

const char* state_name(AgentState s) {
  switch (s) {
    case AgentState::offline: return "offline";
    case AgentState::idle: return "available";
    case AgentState::ringing: return "ringing";
    case AgentState::talking: return "talking";
    case AgentState::wrap_up: return "wrap_up";
    case AgentState::away: return "away";
  }
  return "unknown";
}

constexpr int kCounts = static_cast<int>(CallCount::count);

// The counters a call that never entered a queue can move (under queue="none").
bool counts_unqueued(CallCount c) {
  return c == CallCount::offered || c == CallCount::abandoned || c == CallCount::contained || c == CallCount::blocked ||
         c == CallCount::tickets_created;
}
constexpr int kGroupCounts = static_cast<int>(GroupCount::count);

}  // namespace

int KpiLayout::add_family(std::string name, MetricType type, std::string help) {
  families_.push_back({std::move(name), type, std::move(help)});
  return static_cast<int>(families_.size()) - 1;
}

void KpiLayout::add_series(int family, MetricLabels labels, std::size_t slots) {
  series_.push_back({family, std::move(labels), size_});
  size_ += slots;
}

// The order here is the order fill() writes in.
KpiLayout::KpiLayout(const Scenario& scenario) : scenario_(scenario) {
  const auto per_queue = [&](int family, bool with_none) {
    for (const auto& q : scenario.queues) add_series(family, {{"queue", q.name}});
    if (with_none) add_series(family, {{"queue", "none"}});
  };
  for (int c = 0; c < kCounts; ++c) {
    const CallCountDef& d = definition(static_cast<CallCount>(c));
    if (d.histogram_part) continue;
    per_queue(add_family(std::string(d.metric), MetricType::counter, std::string(d.help)),
              counts_unqueued(static_cast<CallCount>(c)));
  }
  const int waits = add_family(std::string(kWaitHistogram), MetricType::histogram,
                               "Waits from first queue entry to answer or abandon (callbacks apart), seconds");
  for (const auto& q : scenario.queues) add_series(waits, {{"queue", q.name}}, kHistogramSlots);
  for (int c = 0; c < kGroupCounts; ++c) {
    const GroupCountDef& d = definition(static_cast<GroupCount>(c));
    const int f = add_family(std::string(d.metric), MetricType::counter, std::string(d.help));
    for (const auto& g : scenario.groups) add_series(f, {{"group", g.name}});
  }
  per_queue(add_family(std::string(kQueueLengthIntegral), MetricType::counter,
                       "Calls waiting integrated over time (call-seconds): its rate is the mean number waiting"),
            false);
  per_queue(add_family(std::string(kCallsWaiting), MetricType::gauge, "Calls waiting in queue now (not ringing)"), false);
  per_queue(add_family("switchboard_queue_longest_wait_seconds", MetricType::gauge,
                       "How long the longest-waiting call of the queue has waited so far (0: nobody waits)"),
            false);
  per_queue(add_family("switchboard_callbacks_pending", MetricType::gauge,
                       "Accepted callbacks not yet completed by an agent"),
            false);
  const int agents = add_family("switchboard_agents", MetricType::gauge, "Agents by group and state");
  for (const auto& g : scenario.groups)
    for (AgentState s : kStates) add_series(agents, {{"group", g.name}, {"state", state_name(s)}});
  add_series(add_family("switchboard_tickets_open", MetricType::gauge, "Tickets not yet resolved"), {});
  add_series(add_family("switchboard_tickets_resolved_total", MetricType::counter, "Tickets resolved"), {});
  add_series(add_family("switchboard_tickets_resolved_within_sla_total", MetricType::counter,
                        "Tickets resolved by their due time (created + SLA)"),
             {});
}

void KpiLayout::fill(const CallCenter& core, double now, double* out) const {
  const KpiBook& book = core.kpis();
  const int queues = static_cast<int>(scenario_.queues.size());
  const int groups = static_cast<int>(scenario_.groups.size());
  std::size_t at = 0;
  auto put = [&](double v) { out[at++] = v; };

  // Calls that never entered a queue; their offered count grows only when
  // they end (a call still in the IVR may yet enter a queue).
  auto unqueued = [&](CallCount c) { return value(book.unqueued(), c); };
  for (int c = 0; c < kCounts; ++c) {
    const auto count = static_cast<CallCount>(c);
    if (definition(count).histogram_part) continue;
    for (int q = 0; q < queues; ++q) put(value(book.queue(q), count));
    if (!counts_unqueued(count)) continue;
    put(count == CallCount::offered
            ? unqueued(CallCount::contained) + unqueued(CallCount::blocked) + unqueued(CallCount::abandoned)
            : unqueued(count));
  }
  for (int q = 0; q < queues; ++q) {
    const CallCounters& k = book.queue(q);
    for (double le : kWaitBuckets) put(static_cast<double>(k.waits.count_below(le)));
    put(static_cast<double>(k.waits.count()));
    put(k.wait_sum);
  }
  for (int c = 0; c < kGroupCounts; ++c)
    for (int g = 0; g < groups; ++g) put(definition(static_cast<GroupCount>(c)).value(book.group_time(now, g)));
  for (int q = 0; q < queues; ++q) put(book.queue_time(now, q).length_integral);
  for (int q = 0; q < queues; ++q) put(core.waiting_in_queue(q));
  for (int q = 0; q < queues; ++q) put(core.longest_wait(now, q));
  for (int q = 0; q < queues; ++q) put(book.queue(q).callbacks_accepted - book.queue(q).callbacks_handled);
  for (int g = 0; g < groups; ++g)
    for (AgentState s : kStates) put(core.agents().count(g, s));
  put(static_cast<double>(core.tickets().open_count()));
  put(core.tickets().resolved_count());
  put(core.tickets().resolved_within_sla());
}

}  // namespace switchboard
