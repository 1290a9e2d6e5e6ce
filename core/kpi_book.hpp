// Where the core keeps its KPI accumulators while a run goes on: call
// counters per scope, and time-weighted queue lengths and agent-group states
// integrated between changes. Only time inside the horizon (after warm-up,
// before its end) is counted.
#pragma once

#include <algorithm>
#include <vector>

#include "core/kpi.hpp"
#include "core/scenario.hpp"

namespace switchboard {

class KpiBook {
 public:
  explicit KpiBook(const Scenario& scenario);

  // A call attributed to `interval` (-1: warm-up or after the horizon, not
  // counted) and `queue` (kNone: never queued) updates total, interval and
  // queue counters through `update(CallCounters&)`.
  template <class Update>
  void record(int interval, int queue, Update&& update) {
    if (interval < 0) return;
    update(total_);
    update(interval_[interval]);
    if (queue >= 0) update(queue_[queue]);
  }

  // Only the queue's counters (the call's total and interval rows were
  // updated when it arrived).
  template <class Update>
  void record_queue(int interval, int queue, Update&& update) {
    if (interval >= 0 && queue >= 0) update(queue_[queue]);
  }

  // Time-weighted state. `interval` is the current planning interval or -1.
  void start_interval(double now, int interval);
  void queue_length_changed(double now, int queue, int length);
  void group_changed(double now, int group, int idle, int busy, int away);

  KpiReport report(double now);

  // Live, read-only views for drivers that publish KPIs while running (the
  // SIP server's /metrics). Calls outside the horizon are not in them.
  const CallCounters& total() const { return total_; }
  const CallCounters& queue(int q) const { return queue_[q]; }
  // A group's (queue's) time integrals over the horizon up to `now`, the
  // open stretch since the last change included.
  GroupTime group_time(double now, int group) const;
  QueueTime queue_time(double now, int queue) const;

 private:
  struct Level {  // a piecewise-constant count and when it last changed
    double since = 0;
    int value = 0;
  };
  struct GroupLevel {
    double since = 0;
    int idle = 0, busy = 0, away = 0;
  };
  void integrate_queue(double now, int queue);
  void integrate_all_queues(double now);
  void integrate_group(double now, int group);

  int intervals_ = 0;
  int current_ = -1;
  CallCounters total_;
  std::vector<CallCounters> interval_;
  std::vector<CallCounters> queue_;
  std::vector<Level> queue_level_;
  Level all_queues_level_;
  std::vector<QueueTime> queue_time_;            // per queue, whole horizon
  std::vector<QueueTime> interval_queue_time_;   // per interval, all queues
  QueueTime total_queue_time_;
  std::vector<GroupLevel> group_level_;
  std::vector<GroupTime> group_time_;                  // per group, whole horizon
  std::size_t groups_ = 0;
  std::vector<GroupTime> interval_group_time_;  // [interval * groups_ + group]: one load from the current row
};

// Called on every queue-length and agent-state change (several times per
// call): inline, so the core's hot paths pay no call for them.
inline void KpiBook::integrate_queue(double now, int queue) {
  Level& l = queue_level_[queue];
  if (current_ >= 0) {
    const double dt = now - l.since;
    QueueTime& q = queue_time_[queue];
    q.length_integral += l.value * dt;
    q.length_max = std::max<double>(q.length_max, l.value);
    q.seconds += dt;
  }
  l.since = now;
}

inline void KpiBook::integrate_all_queues(double now) {
  Level& l = all_queues_level_;
  if (current_ >= 0) {
    const double dt = now - l.since;
    const double area = l.value * dt, length = l.value;
    for (QueueTime* q : {&interval_queue_time_[current_], &total_queue_time_}) {
      q->length_integral += area;
      q->length_max = std::max(q->length_max, length);
      q->seconds += dt;
    }
  }
  l.since = now;
}

// Nothing to add when no time has passed since the last change (an agent
// rung and answering at once): adding zeros would leave every sum as it is
// (they have no maximum that a moment could raise), so skipping them
// changes no number.
inline void KpiBook::integrate_group(double now, int group) {
  GroupLevel& l = group_level_[group];
  if (current_ >= 0 && now != l.since) {
    const double dt = now - l.since;
    // Each product once for both scopes (the same double either way).
    const double busy = l.busy * dt, idle = l.idle * dt, away = l.away * dt;
    for (GroupTime* g : {&group_time_[group], &interval_group_time_[static_cast<std::size_t>(current_) * groups_ + group]}) {
      g->busy += busy;
      g->idle += idle;
      g->away += away;
      g->seconds += dt;
    }
  }
  l.since = now;
}

inline void KpiBook::queue_length_changed(double now, int queue, int length) {
  integrate_queue(now, queue);
  integrate_all_queues(now);
  all_queues_level_.value += length - queue_level_[queue].value;
  queue_level_[queue].value = length;
}

inline void KpiBook::group_changed(double now, int group, int idle, int busy, int away) {
  integrate_group(now, group);
  GroupLevel& l = group_level_[group];
  l.idle = idle;
  l.busy = busy;
  l.away = away;
}

}  // namespace switchboard
