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
  // counted) and `queue` (kNone: never queued) updates its interval's
  // counters and its queue's (or those of calls in no queue) through
  // `update(CallCounters&)`. The run's total is not kept: it is the sum of
  // the queues' and the unqueued counters (total()), two scopes to update
  // per record instead of three.
  template <class Update>
  void record(int interval, int queue, Update&& update) {
    if (interval < 0) return;
    update(interval_[interval]);
    update(queue >= 0 ? queue_[queue] : unqueued_);
  }

  // A call counted offered when it arrived (in no queue) entered its first
  // queue: it is the queue's offered call from now on.
  void first_queued(int interval, int queue) {
    if (interval < 0 || queue < 0) return;
    --unqueued_.offered;
    ++queue_[queue].offered;
  }

  // Time-weighted state. `interval` is the current planning interval or -1.
  void start_interval(double now, int interval);
  void queue_length_changed(double now, int queue, int length);
  void group_changed(double now, int group, int idle, int busy, int away);

  KpiReport report(double now);

  // Live, read-only views for drivers that publish KPIs while running (the
  // SIP server's /metrics). Calls outside the horizon are not in them.
  CallCounters total() const;  // the queues' and the unqueued counters summed
  const CallCounters& queue(int q) const { return queue_[q]; }
  // Calls attributed to no queue: those that never entered one (offered
  // counts those that may yet).
  const CallCounters& unqueued() const { return unqueued_; }
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

  // The whole horizon's time integrals of all queues and of each group are
  // not integrated beside the current interval's: they are the intervals
  // already over, summed when each ends, plus the current one.
  QueueTime total_queue_time() const;
  GroupTime whole_group_time(int group) const;
  void close_interval();

  int intervals_ = 0;
  int current_ = -1;
  CallCounters unqueued_;
  std::vector<CallCounters> interval_;
  std::vector<CallCounters> queue_;
  std::vector<Level> queue_level_;
  Level all_queues_level_;
  std::vector<QueueTime> queue_time_;            // per queue, whole horizon
  std::vector<QueueTime> interval_queue_time_;   // per interval, all queues
  QueueTime closed_queue_time_;                  // all queues, intervals over
  std::vector<GroupLevel> group_level_;
  std::vector<GroupTime> closed_group_time_;     // per group, intervals over
  std::size_t groups_ = 0;
  std::vector<GroupTime> interval_group_time_;  // [interval * groups_ + group]: one load from the current row
};

// Called on every queue-length and agent-state change (several times per
// call): inline, so the core's hot paths pay no call for them.
inline void KpiBook::integrate_queue(double now, int queue) {
  Level& l = queue_level_[queue];
  if (current_ >= 0) {
    queue_time_[queue].add_stretch(l.value, now - l.since);
  }
  l.since = now;
}

inline void KpiBook::integrate_all_queues(double now) {
  Level& l = all_queues_level_;
  if (current_ >= 0) {
    interval_queue_time_[current_].add_stretch(l.value, now - l.since);
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
    interval_group_time_[static_cast<std::size_t>(current_) * groups_ + group].add_stretch(l.busy, l.idle, l.away, now - l.since);
  }
  l.since = now;
}

inline void KpiBook::queue_length_changed(double now, int queue, int length) {
  integrate_queue(now, queue);
  integrate_all_queues(now);
  all_queues_level_.value += length - queue_level_[queue].value;
  queue_level_[queue].value = length;
}

// A change of state that leaves the group's counts as they were (an agent
// going from talking to ringing for the next waiting call) has nothing to
// integrate: the stretch at those counts goes on.
inline void KpiBook::group_changed(double now, int group, int idle, int busy, int away) {
  GroupLevel& l = group_level_[group];
  if (l.idle == idle && l.busy == busy && l.away == away) return;
  integrate_group(now, group);
  l.idle = idle;
  l.busy = busy;
  l.away = away;
}

}  // namespace switchboard
