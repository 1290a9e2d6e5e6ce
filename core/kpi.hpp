// KPI accounting: raw counters the core updates as calls move, and the
// derived KPIs of docs/kpis.md computed from them. One definition of each KPI
// lives here; the simulator, /metrics and the load-test report all use it.
#pragma once

#include <algorithm>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace switchboard {

// Waits in bins that widen with the wait (1 s bins below 2 minutes, 5 minute
// bins near a day): the 90th percentile to within a bin's width.
class WaitHistogram {
 public:
  void add(double wait_seconds) { add_to_bin(bin(wait_seconds)); }
  void remove(double wait_seconds);  // undoes an add of the same wait
  void add(const WaitHistogram& other);  // every wait of `other` too
  // The bin of a wait, and an add to it: a wait counted in several scopes
  // (its interval, its queue) finds its bin once.
  static int bin(double wait_seconds);
  void add_to_bin(int bin) {
    if (bins_.empty()) grow();  // scopes nobody waited in stay empty
    ++bins_[static_cast<std::size_t>(bin)];
    ++count_;
  }
  double quantile(double q) const;  // linear inside a bin; 0 when empty
  std::uint64_t count() const { return count_; }
  // Waits shorter than `seconds` (a bin edge: whole seconds below 2 min,
  // multiples of 5 s below 10 min, of 30 s below 1 h); /metrics' buckets.
  std::uint64_t count_below(double seconds) const;

 private:
  void grow();
  std::vector<std::uint32_t> bins_;
  std::uint64_t count_ = 0;
};

// What happened to the calls attributed to one scope (the whole run, one
// interval, one queue). Calls are attributed to the interval they arrived in
// and to the first queue they entered.
struct CallCounters {
  double offered = 0;
  double handled = 0;
  double abandoned = 0;          // includes short abandons
  double short_abandoned = 0;
  double contained = 0;
  double blocked = 0;            // busy signal or closed queue
  double answered_within = 0;    // handled with wait <= answer_within (callbacks excluded)
  double callbacks_offered = 0;
  double callbacks_accepted = 0;
  double callbacks_handled = 0;
  double overflows = 0;          // overflow steps taken (widen or move)
  double tickets_created = 0;
  double queued = 0;             // calls that reached a queue (denominator of waits)
  double delayed = 0;            // of those, calls that found no agent free (wait > 0)
  double wait_answered_sum = 0;  // ASA numerator (callbacks excluded)
  double wait_answered_count = 0;
  double wait_sum = 0;           // every call that reached a queue, answered or not
  double wait_max = 0;
  double handle_sum = 0;         // talk + wrap-up of handled calls
  double handle_count = 0;
  WaitHistogram waits;           // every call that reached a queue (callbacks excluded)
  double requeued = 0;           // calls put back in queue because their agent was lost
};

// Every counter of CallCounters but its wait histogram, in one list: what
// sums two scopes (add_counters) and what carries a report between
// processes (sim/simgrid/report_codec.cpp) walk it, so a counter added to
// the struct and not here fails to compile.
inline constexpr auto kCallCounterScalars = std::make_tuple(
    &CallCounters::offered, &CallCounters::handled, &CallCounters::abandoned, &CallCounters::short_abandoned,
    &CallCounters::contained, &CallCounters::blocked, &CallCounters::answered_within, &CallCounters::callbacks_offered,
    &CallCounters::callbacks_accepted, &CallCounters::callbacks_handled, &CallCounters::overflows,
    &CallCounters::tickets_created, &CallCounters::queued, &CallCounters::delayed, &CallCounters::wait_answered_sum,
    &CallCounters::wait_answered_count, &CallCounters::wait_sum, &CallCounters::wait_max, &CallCounters::handle_sum,
    &CallCounters::handle_count, &CallCounters::requeued);
static_assert(std::tuple_size_v<decltype(kCallCounterScalars)> * sizeof(double) + sizeof(WaitHistogram) == sizeof(CallCounters),
              "a CallCounters counter is missing from kCallCounterScalars");

// Adds the calls of `from` to `to`: sums, the longer longest wait, both
// histograms' waits.
void add_counters(CallCounters& to, const CallCounters& from);

// Time-weighted state of a queue or an agent group inside a scope.
// Both are built the same two ways: a stretch of constant counts at a
// time (add_stretch), and scopes summed (+=).
struct QueueTime {
  double length_integral = 0;  // waiting calls × seconds
  double length_max = 0;
  double seconds = 0;
  void add_stretch(int length, double dt) {
    length_integral += length * dt;
    length_max = std::max<double>(length_max, length);
    seconds += dt;
  }
  QueueTime& operator+=(const QueueTime& other) {
    length_integral += other.length_integral;
    length_max = std::max(length_max, other.length_max);
    seconds += other.seconds;
    return *this;
  }
};

struct GroupTime {
  double busy = 0;     // agent-seconds ringing, talking or in wrap-up
  double idle = 0;     // agent-seconds available
  double away = 0;     // agent-seconds logged in but out of rotation
  double seconds = 0;  // wall seconds covered
  void add_stretch(int busy_agents, int idle_agents, int away_agents, double dt) {
    busy += busy_agents * dt;
    idle += idle_agents * dt;
    away += away_agents * dt;
    seconds += dt;
  }
  GroupTime& operator+=(const GroupTime& other) {
    busy += other.busy;
    idle += other.idle;
    away += other.away;
    seconds += other.seconds;
    return *this;
  }
};

// What happened to the tickets of one scope in a simulated back office
// (docs/kpis.md, "Back office"): events are counted in the interval they
// happen in, tickets by the agent group that holds them at that moment.
struct TicketCounters {
  double created = 0;             // tickets opened (for a group: handed to it at opening)
  double resolved = 0;
  double resolved_within_sla = 0; // resolved no later than the resolution due time
  double breached = 0;            // resolution due time passed while still unresolved
  double escalated = 0;           // escalations out of this group (first response overdue, or a tag)
  double age_sum = 0;             // resolved tickets: resolution less creation, seconds
  std::vector<double> ages;       // the same ages, for the percentile
  double backlog_integral = 0;    // unresolved tickets x seconds
  double seconds = 0;             // time covered
  double backlog_end = 0;         // unresolved tickets at the end of the scope
};

// Derived KPIs. The order is the column order of every report.
enum class CallKpi : int {
  offered, handled, abandoned, short_abandoned, contained, blocked,
  service_level, asa, mean_wait, p90_wait, max_wait, aht,
  callbacks_offered, callbacks_handled, overflows, tickets_created, requeued,
  count
};
enum class QueueKpi : int { mean_length, max_length, count };
enum class TicketKpi : int {
  created, resolved, breached, escalated, resolved_within_sla, mean_age, p90_age, mean_backlog, backlog,
  count
};
enum class GroupKpi : int { occupancy, agents_staffed, count };

// ---- The KPI table: one definition of each KPI (docs/kpis.md) ----
// Raw counters of a scope, as /metrics exports them. wait_seconds and
// waited are the wait histogram's _sum and _count.
enum class CallCount : int {
  offered, handled, abandoned, short_abandoned, contained, blocked,
  answered_within, service_level_calls, answered, answered_wait_seconds, wrapped_up, handle_seconds,
  callbacks_offered, callbacks_accepted, callbacks_handled, overflows, requeued, tickets_created,
  wait_seconds, waited,
  count
};
struct CallCountDef {
  std::string_view metric;  // Prometheus name: base units, counters end in _total
  std::string_view help;
  double (*value)(const CallCounters&);
  bool histogram_part;      // exported inside switchboard_queue_wait_seconds
};
const CallCountDef& definition(CallCount c);
inline double value(const CallCounters& k, CallCount c) { return definition(c).value(k); }

inline constexpr std::string_view kWaitHistogram = "switchboard_queue_wait_seconds";
// Upper bounds of the exported wait histogram (seconds, 1 s to 1 h); each is
// a bin edge of WaitHistogram, and the default SL threshold (20 s) is one.
inline constexpr double kWaitBuckets[] = {1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1200, 1800, 2700, 3600};

// How a report KPI comes from the counters.
enum class Derivation { count, ratio, quantile, maximum };
struct CallKpiDef {
  std::string_view name;  // JSON / CSV key
  Derivation how;
  CallCount numerator;    // count: the counter; ratio: numerator
  CallCount denominator;  // ratio only
};
const CallKpiDef& definition(CallKpi k);
// The KPI per queue over `window` (e.g. "15m") in PromQL, on /metrics' series.
std::string promql(CallKpi k, std::string_view window);

// Agent-group and queue time integrals, as /metrics exports them.
enum class GroupCount : int { busy_seconds, available_seconds, away_seconds, count };
struct GroupCountDef {
  std::string_view metric;
  std::string_view help;
  double (*value)(const GroupTime&);
};
const GroupCountDef& definition(GroupCount c);
inline constexpr std::string_view kQueueLengthIntegral = "switchboard_calls_waiting_seconds_total";
inline constexpr std::string_view kCallsWaiting = "switchboard_calls_waiting";
std::string promql(QueueKpi k, std::string_view window);
std::string promql(GroupKpi k, std::string_view window);

// The back office's KPIs: name (JSON key, CSV column after "back_office_"),
// what it means, and its derivation from the counters. (Not on /metrics yet:
// serve runs no back office.)
struct TicketKpiDef {
  std::string_view name;
  std::string_view help;
  double (*value)(const TicketCounters&);
};
const TicketKpiDef& definition(TicketKpi k);

std::string_view name(CallKpi k);
std::string_view name(QueueKpi k);
std::string_view name(GroupKpi k);
std::string_view name(TicketKpi k);

using CallKpis = std::array<double, static_cast<int>(CallKpi::count)>;
using QueueKpis = std::array<double, static_cast<int>(QueueKpi::count)>;
using GroupKpis = std::array<double, static_cast<int>(GroupKpi::count)>;
using TicketKpis = std::array<double, static_cast<int>(TicketKpi::count)>;

// The KPIs of docs/kpis.md from a scope's raw counts.
CallKpis derive(const CallCounters& c);
QueueKpis derive(const QueueTime& q);
GroupKpis derive(const GroupTime& g);
TicketKpis derive(const TicketCounters& t);

// The core's published series (core/kpi_metrics.hpp) sampled at each
// interval boundary and at the end of the run: times[i] and the numbers
// values[i * series .. (i + 1) * series) in KpiLayout order.
struct KpiTimeline {
  std::vector<double> times;
  std::vector<double> values;
};

// One replication's KPIs, by scope. Per-interval rows cover every queue and
// group together; per-queue and per-group rows cover the whole horizon.
struct KpiReport {
  CallKpis total{};
  QueueKpis total_queue{};
  std::vector<CallKpis> interval;
  std::vector<QueueKpis> interval_queue;   // all queues together
  std::vector<CallKpis> queue;
  std::vector<QueueKpis> queue_time;
  std::vector<GroupKpis> group;
  std::vector<std::vector<GroupKpis>> interval_group;  // [interval][group]
  CallCounters counters;                   // the totals' raw counts (queueing-theory checks use them)
  double in_system_at_end = 0;             // calls still in the system when the run stopped
  double tickets_open_at_end = 0;
  double tickets_resolved = 0;
  double tickets_within_sla = 0;
  // The back office (only when the scenario has one; else all empty).
  std::vector<TicketKpis> back_office_interval;  // every group together, per interval
  std::vector<TicketKpis> back_office_group;     // per back-office group (scenario order), whole horizon
  TicketKpis back_office_total{};
  bool has_back_office = false;
  std::uint64_t events = 0;                // events the core processed
  KpiTimeline timeline;                    // for a simulated day's OpenMetrics file
};

}  // namespace switchboard
