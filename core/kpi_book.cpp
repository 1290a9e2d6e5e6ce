#include "core/kpi_book.hpp"

#include <algorithm>

namespace switchboard {

KpiBook::KpiBook(const Scenario& scenario)
    : intervals_(scenario.horizon.intervals()),
      interval_(intervals_),
      queue_(scenario.queues.size()),
      queue_level_(scenario.queues.size()),
      queue_time_(scenario.queues.size()),
      interval_queue_time_(intervals_),
      group_level_(scenario.groups.size()),
      closed_group_time_(scenario.groups.size()),
      groups_(scenario.groups.size()),
      interval_group_time_(static_cast<std::size_t>(intervals_) * groups_) {}

CallCounters KpiBook::total() const {
  CallCounters t = unqueued_;
  for (const auto& q : queue_) add_counters(t, q);
  return t;
}

QueueTime KpiBook::total_queue_time() const {
  QueueTime t = closed_queue_time_;
  if (current_ >= 0) t += interval_queue_time_[current_];
  return t;
}

GroupTime KpiBook::whole_group_time(int group) const {
  GroupTime t = closed_group_time_[group];
  if (current_ >= 0) t += interval_group_time_[static_cast<std::size_t>(current_) * groups_ + group];
  return t;
}

// The current interval is over: its time integrals join those of the
// intervals before it.
void KpiBook::close_interval() {
  closed_queue_time_ = total_queue_time();
  for (std::size_t g = 0; g < groups_; ++g) closed_group_time_[g] = whole_group_time(static_cast<int>(g));
}

GroupTime KpiBook::group_time(double now, int group) const {
  GroupTime g = whole_group_time(group);
  const GroupLevel& l = group_level_[group];
  if (current_ >= 0 && now > l.since) g.add_stretch(l.busy, l.idle, l.away, now - l.since);
  return g;
}

QueueTime KpiBook::queue_time(double now, int queue) const {
  QueueTime q = queue_time_[queue];
  const Level& l = queue_level_[queue];
  if (current_ >= 0 && now > l.since) q.add_stretch(l.value, now - l.since);
  return q;
}

void KpiBook::start_interval(double now, int interval) {
  for (int q = 0; q < static_cast<int>(queue_level_.size()); ++q) integrate_queue(now, q);
  integrate_all_queues(now);
  for (int g = 0; g < static_cast<int>(group_level_.size()); ++g) integrate_group(now, g);
  const int next = (interval >= 0 && interval < intervals_) ? interval : -1;
  if (next != current_ && current_ >= 0) close_interval();
  current_ = next;
}


KpiReport KpiBook::report(double now) {
  start_interval(now, current_);  // close the open stretch of time
  KpiReport r;
  r.counters = total();
  r.total = derive(r.counters);
  r.total_queue = derive(total_queue_time());
  for (const auto& c : interval_) r.interval.push_back(derive(c));
  for (const auto& q : interval_queue_time_) r.interval_queue.push_back(derive(q));
  for (const auto& c : queue_) r.queue.push_back(derive(c));
  for (const auto& q : queue_time_) r.queue_time.push_back(derive(q));
  for (std::size_t g = 0; g < groups_; ++g) r.group.push_back(derive(whole_group_time(static_cast<int>(g))));
  for (std::size_t row = 0; row < static_cast<std::size_t>(intervals_); ++row) {
    std::vector<GroupKpis> groups;
    for (std::size_t g = 0; g < groups_; ++g) groups.push_back(derive(interval_group_time_[row * groups_ + g]));
    r.interval_group.push_back(std::move(groups));
  }
  return r;
}

}  // namespace switchboard
