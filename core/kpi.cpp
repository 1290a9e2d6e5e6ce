#include "core/kpi.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace switchboard {

namespace {
// Bin widths grow with the wait: 1 s up to 2 min, 5 s up to 10 min, 30 s up
// to an hour, 5 min up to a day; a last bin holds a day or more. About 600
// bins: a per-interval histogram stays small on long runs.
struct Segment {
  double end;
  double width;
};
constexpr Segment kSegments[] = {{120, 1}, {600, 5}, {3600, 30}, {86400, 300}};

struct BinTable {
  int first[4] = {};
  int bins = 0;
  constexpr BinTable() {
    double start = 0;
    for (int s = 0; s < 4; ++s) {
      first[s] = bins;
      bins += static_cast<int>((kSegments[s].end - start) / kSegments[s].width);
      start = kSegments[s].end;
    }
    bins += 1;  // a day or more
  }
};
constexpr BinTable kTable;
constexpr int kBins = kTable.bins;

int bin_of(double w) {
  double start = 0;
  for (int s = 0; s < 4; ++s) {
    if (w < kSegments[s].end) return kTable.first[s] + static_cast<int>((w - start) / kSegments[s].width);
    start = kSegments[s].end;
  }
  return kBins - 1;
}
double bin_low(int b) {
  double start = 0;
  for (int s = 0; s < 4; ++s) {
    const int next = s + 1 < 4 ? kTable.first[s + 1] : kBins - 1;
    if (b < next) return start + (b - kTable.first[s]) * kSegments[s].width;
    start = kSegments[s].end;
  }
  return kSegments[3].end;
}
double bin_width(int b) {
  for (int s = 0; s < 4; ++s) {
    const int next = s + 1 < 4 ? kTable.first[s + 1] : kBins - 1;
    if (b < next) return kSegments[s].width;
  }
  return 0;
}

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }
}  // namespace

int WaitHistogram::bin(double wait_seconds) { return bin_of(std::max(0.0, wait_seconds)); }

void WaitHistogram::grow() { bins_.assign(kBins, 0); }

void WaitHistogram::remove(double wait_seconds) {
  --bins_[bin_of(std::max(0.0, wait_seconds))];
  --count_;
}

void WaitHistogram::add(const WaitHistogram& other) {
  if (other.count_ == 0) return;
  if (bins_.empty()) grow();
  for (std::size_t b = 0; b < bins_.size(); ++b) bins_[b] += other.bins_[b];
  count_ += other.count_;
}

void add_counters(CallCounters& to, const CallCounters& from) {
  const double longest = std::max(to.wait_max, from.wait_max);
  std::apply([&](auto... m) { ((to.*m += from.*m), ...); }, kCallCounterScalars);
  to.wait_max = longest;  // a maximum, not a sum
  to.waits.add(from.waits);
}

double WaitHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  const double target = q * static_cast<double>(count_);
  double seen = 0;
  for (int b = 0; b < kBins; ++b) {
    if (bins_[b] == 0) continue;
    if (seen + bins_[b] >= target) return bin_low(b) + bin_width(b) * (target - seen) / bins_[b];
    seen += bins_[b];
  }
  return bin_low(kBins - 1);
}

std::uint64_t WaitHistogram::count_below(double seconds) const {
  if (count_ == 0) return 0;
  std::uint64_t n = 0;
  for (int b = 0; b < kBins && bin_low(b) + bin_width(b) <= seconds + 1e-9; ++b) n += bins_[b];
  return n;
}

namespace {
using C = CallCounters;
// The order is CallCount's.
constexpr CallCountDef kCallCounts[] = {
    {"switchboard_calls_offered_total", "Calls that reached the call center, by the first queue they entered (queue=\"none\": ended without queueing)",
     [](const C& k) { return k.offered; }, false},
    {"switchboard_calls_handled_total", "Calls answered by an agent, callbacks included", [](const C& k) { return k.handled; }, false},
    {"switchboard_calls_abandoned_total", "Calls whose caller hung up before an agent answered (short abandons included)",
     [](const C& k) { return k.abandoned; }, false},
    {"switchboard_calls_short_abandoned_total", "Abandons within the short-abandon threshold of reaching the queue",
     [](const C& k) { return k.short_abandoned; }, false},
    {"switchboard_calls_contained_total", "Calls that ended in the IVR by design", [](const C& k) { return k.contained; }, false},
    {"switchboard_calls_blocked_total", "Calls refused by a full or closed queue, or at arrival", [](const C& k) { return k.blocked; }, false},
    {"switchboard_service_level_answered_within_total", "Service level numerator: calls answered within the threshold T (callbacks apart)",
     [](const C& k) { return k.answered_within; }, false},
    // Waits that ended (answered or abandoned, callbacks apart) less short
    // abandons: only grows, as a counter must.
    {"switchboard_service_level_calls_total", "Service level denominator: queued calls answered or abandoned, less short abandons, callbacks apart",
     [](const C& k) { return static_cast<double>(k.waits.count()) - k.short_abandoned; }, false},
    {"switchboard_calls_answered_total", "ASA denominator: calls answered while the caller waited on the line (handled less callbacks)",
     [](const C& k) { return k.wait_answered_count; }, false},
    {"switchboard_answered_wait_seconds_total", "ASA numerator: sum of the waits of answered calls (callbacks apart)",
     [](const C& k) { return k.wait_answered_sum; }, false},
    {"switchboard_calls_wrapped_up_total", "AHT denominator: handled calls whose wrap-up ended", [](const C& k) { return k.handle_count; }, false},
    {"switchboard_handle_seconds_total", "AHT numerator: sum of talk + wrap-up of handled calls", [](const C& k) { return k.handle_sum; }, false},
    {"switchboard_callbacks_offered_total", "Callers offered a callback", [](const C& k) { return k.callbacks_offered; }, false},
    {"switchboard_callbacks_accepted_total", "Callbacks accepted (the caller hung up and kept its place)",
     [](const C& k) { return k.callbacks_accepted; }, false},
    {"switchboard_callbacks_handled_total", "Accepted callbacks an agent completed", [](const C& k) { return k.callbacks_handled; }, false},
    {"switchboard_overflows_total", "Overflow steps taken (a widening or a move to another queue)", [](const C& k) { return k.overflows; }, false},
    {"switchboard_calls_requeued_total", "Calls put back in their queue because their agent was lost", [](const C& k) { return k.requeued; }, false},
    {"switchboard_tickets_created_total", "Tickets opened, by the queue of the call that opened them", [](const C& k) { return k.tickets_created; }, false},
    {"switchboard_queue_wait_seconds_sum", "", [](const C& k) { return k.wait_sum; }, true},
    {"switchboard_queue_wait_seconds_count", "", [](const C& k) { return static_cast<double>(k.waits.count()); }, true},
};
static_assert(std::size(kCallCounts) == static_cast<std::size_t>(CallCount::count));

// The order is CallKpi's.
constexpr CallKpiDef kCallKpis[] = {
    {"offered", Derivation::count, CallCount::offered, CallCount::offered},
    {"handled", Derivation::count, CallCount::handled, CallCount::handled},
    {"abandoned", Derivation::count, CallCount::abandoned, CallCount::abandoned},
    {"short_abandoned", Derivation::count, CallCount::short_abandoned, CallCount::short_abandoned},
    {"contained", Derivation::count, CallCount::contained, CallCount::contained},
    {"blocked", Derivation::count, CallCount::blocked, CallCount::blocked},
    {"service_level", Derivation::ratio, CallCount::answered_within, CallCount::service_level_calls},
    {"asa_seconds", Derivation::ratio, CallCount::answered_wait_seconds, CallCount::answered},
    {"mean_wait_seconds", Derivation::ratio, CallCount::wait_seconds, CallCount::waited},
    {"p90_wait_seconds", Derivation::quantile, CallCount::waited, CallCount::waited},
    {"max_wait_seconds", Derivation::maximum, CallCount::waited, CallCount::waited},
    {"aht_seconds", Derivation::ratio, CallCount::handle_seconds, CallCount::wrapped_up},
    {"callbacks_offered", Derivation::count, CallCount::callbacks_offered, CallCount::callbacks_offered},
    {"callbacks_handled", Derivation::count, CallCount::callbacks_handled, CallCount::callbacks_handled},
    {"overflows", Derivation::count, CallCount::overflows, CallCount::overflows},
    {"tickets_created", Derivation::count, CallCount::tickets_created, CallCount::tickets_created},
    {"requeued", Derivation::count, CallCount::requeued, CallCount::requeued},
};
static_assert(std::size(kCallKpis) == static_cast<std::size_t>(CallKpi::count));

constexpr GroupCountDef kGroupCounts[] = {
    {"switchboard_agent_busy_seconds_total", "Agent-seconds ringing, talking or in wrap-up (occupancy numerator)",
     [](const GroupTime& g) { return g.busy; }},
    {"switchboard_agent_available_seconds_total", "Agent-seconds available (busy + available: occupancy denominator)",
     [](const GroupTime& g) { return g.idle; }},
    {"switchboard_agent_away_seconds_total", "Agent-seconds logged in but out of rotation", [](const GroupTime& g) { return g.away; }},
};
static_assert(std::size(kGroupCounts) == static_cast<std::size_t>(GroupCount::count));

using T = TicketCounters;
double p90(const T& t) {
  if (t.ages.empty()) return 0;
  std::vector<double> a = t.ages;
  const auto at = a.begin() + static_cast<std::ptrdiff_t>(std::ceil(0.9 * static_cast<double>(a.size())) - 1);
  std::nth_element(a.begin(), at, a.end());
  return *at;
}
// The order is TicketKpi's.
constexpr TicketKpiDef kTicketKpis[] = {
    {"created", "Tickets opened, by the back-office group given them",
     [](const T& t) { return t.created; }},
    {"resolved", "Tickets resolved, by the group that resolved them",
     [](const T& t) { return t.resolved; }},
    {"breached", "Tickets whose resolution due time passed while unresolved (counted when it passes)", [](const T& t) { return t.breached; }},
    {"escalated", "Tickets escalated out of the group",
     [](const T& t) { return t.escalated; }},
    {"resolved_within_sla", "Share of resolved tickets resolved by their due time",
     [](const T& t) { return ratio(t.resolved_within_sla, t.resolved); }},
    {"mean_age_seconds", "Mean age of resolved tickets at resolution",
     [](const T& t) { return ratio(t.age_sum, t.resolved); }},
    {"p90_age_seconds", "90th percentile (nearest rank) of the age of resolved tickets at resolution", p90},
    {"mean_backlog", "Time-average number of unresolved tickets",
     [](const T& t) { return ratio(t.backlog_integral, t.seconds); }},
    {"backlog", "Unresolved tickets at the end of the scope", [](const T& t) { return t.backlog_end; }},
};
static_assert(std::size(kTicketKpis) == static_cast<std::size_t>(TicketKpi::count));

std::string increase(std::string_view metric, std::string_view window, std::string_view by) {
  return "sum by (" + std::string(by) + ") (increase(" + std::string(metric) + "[" + std::string(window) + "]))";
}
std::string metric(CallCount c) { return std::string(definition(c).metric); }
}  // namespace

const CallCountDef& definition(CallCount c) { return kCallCounts[static_cast<int>(c)]; }
const CallKpiDef& definition(CallKpi k) { return kCallKpis[static_cast<int>(k)]; }
const GroupCountDef& definition(GroupCount c) { return kGroupCounts[static_cast<int>(c)]; }
const TicketKpiDef& definition(TicketKpi k) { return kTicketKpis[static_cast<int>(k)]; }

std::string promql(CallKpi k, std::string_view window) {
  const CallKpiDef& d = definition(k);
  const std::string w(window);
  switch (d.how) {
    case Derivation::count: return increase(metric(d.numerator), window, "queue");
    case Derivation::ratio:
      return increase(metric(d.numerator), window, "queue") + " / " + increase(metric(d.denominator), window, "queue");
    case Derivation::quantile:
      return "histogram_quantile(0.9, " + increase(std::string(kWaitHistogram) + "_bucket", window, "queue, le") + ")";
    case Derivation::maximum:
      return "max by (queue) (max_over_time(switchboard_queue_longest_wait_seconds[" + w + "]))";
  }
  return "";
}

std::string promql(QueueKpi k, std::string_view window) {
  const std::string w(window);
  if (k == QueueKpi::mean_length) return "sum by (queue) (rate(" + std::string(kQueueLengthIntegral) + "[" + w + "]))";
  return "max by (queue) (max_over_time(" + std::string(kCallsWaiting) + "[" + w + "]))";
}

std::string promql(GroupKpi k, std::string_view window) {
  const std::string busy = increase(definition(GroupCount::busy_seconds).metric, window, "group");
  const std::string available = increase(definition(GroupCount::available_seconds).metric, window, "group");
  if (k == GroupKpi::occupancy) return busy + " / (" + busy + " + " + available + ")";
  std::string staffed;
  for (GroupCount c : {GroupCount::busy_seconds, GroupCount::available_seconds, GroupCount::away_seconds})
    staffed += (staffed.empty() ? "" : " + ") + std::string("sum by (group) (rate(") + std::string(definition(c).metric) + "[" +
               std::string(window) + "]))";
  return staffed;
}

std::string_view name(CallKpi k) { return k == CallKpi::count ? "?" : definition(k).name; }

std::string_view name(TicketKpi k) { return k == TicketKpi::count ? "?" : definition(k).name; }

std::string_view name(QueueKpi k) {
  switch (k) {
    case QueueKpi::mean_length: return "mean_queue_length";
    case QueueKpi::max_length: return "max_queue_length";
    case QueueKpi::count: break;
  }
  return "?";
}

std::string_view name(GroupKpi k) {
  switch (k) {
    case GroupKpi::occupancy: return "occupancy";
    case GroupKpi::agents_staffed: return "agents_staffed";
    case GroupKpi::count: break;
  }
  return "?";
}

CallKpis derive(const CallCounters& c) {
  CallKpis k{};
  for (int i = 0; i < static_cast<int>(CallKpi::count); ++i) {
    const CallKpiDef& d = kCallKpis[i];
    switch (d.how) {
      case Derivation::count: k[i] = value(c, d.numerator); break;
      case Derivation::ratio: k[i] = ratio(value(c, d.numerator), value(c, d.denominator)); break;
      case Derivation::quantile: k[i] = c.waits.quantile(0.9); break;
      case Derivation::maximum: k[i] = c.wait_max; break;
    }
  }
  return k;
}

QueueKpis derive(const QueueTime& q) {
  QueueKpis k{};
  k[static_cast<int>(QueueKpi::mean_length)] = ratio(q.length_integral, q.seconds);
  k[static_cast<int>(QueueKpi::max_length)] = q.length_max;
  return k;
}

TicketKpis derive(const TicketCounters& t) {
  TicketKpis k{};
  for (int i = 0; i < static_cast<int>(TicketKpi::count); ++i) k[i] = kTicketKpis[i].value(t);
  return k;
}

GroupKpis derive(const GroupTime& g) {
  GroupKpis k{};
  k[static_cast<int>(GroupKpi::occupancy)] = ratio(g.busy, g.busy + g.idle);
  k[static_cast<int>(GroupKpi::agents_staffed)] = ratio(g.busy + g.idle + g.away, g.seconds);
  return k;
}

}  // namespace switchboard
