// The KPI book (core/kpi_book.hpp) keeps no running total of the run: its
// totals are the queues' counters and those of calls in no queue summed,
// and the whole horizon's time integrals the intervals' summed. These tests
// hold those sums to what a running total would have counted.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/kpi_book.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;

namespace {
Scenario two_queues() {
  Scenario s = test::mmc(100, 180, 2, 300, 2, 0);  // two one-hour intervals
  s.horizon.interval = 3600;
  s.queues.push_back(s.queues[0]);
  s.queues[1].name = "second";
  return s;
}
}  // namespace

TEST(KpiBook, CountersAddUpEveryScalarTheLongestWaitAndBothHistograms) {
  CallCounters a, b;
  a.offered = 2;
  a.wait_sum = 10;
  a.wait_max = 7;
  a.waits.add(3);
  a.waits.add(7);
  b.offered = 1;
  b.handle_sum = 4;
  b.requeued = 1;
  b.wait_max = 5;
  b.waits.add(30);
  add_counters(a, b);
  EXPECT_EQ(a.offered, 3);
  EXPECT_EQ(a.wait_sum, 10);
  EXPECT_EQ(a.handle_sum, 4);
  EXPECT_EQ(a.requeued, 1);
  EXPECT_EQ(a.wait_max, 7);  // the longer wait, not 12
  EXPECT_EQ(a.waits.count(), 3u);
  EXPECT_EQ(a.waits.count_below(20), 2u);
  CallCounters none;
  add_counters(none, a);  // into a scope nobody waited in: its histogram grows
  EXPECT_EQ(none.waits.count(), 3u);
  EXPECT_EQ(none.waits.count_below(8), 2u);
}

TEST(KpiBook, TheTotalIsTheQueuesAndTheCallsInNone) {
  const Scenario s = two_queues();
  KpiBook book(s);
  book.start_interval(0, 0);
  // Five arrivals offered in no queue; three go on to a queue, one of them
  // in the second interval's row (it arrived in interval 1).
  for (int i = 0; i < 4; ++i) book.record(0, kNone, [](CallCounters& k) { ++k.offered; });
  book.record(1, kNone, [](CallCounters& k) { ++k.offered; });
  book.first_queued(0, 0);
  book.first_queued(0, 1);
  book.first_queued(1, 1);
  book.first_queued(-1, 0);  // warm-up: not counted anywhere
  book.record(0, 0, [](CallCounters& k) { ++k.handled; k.wait_sum += 4; k.wait_max = std::max(k.wait_max, 4.0); });
  book.record(0, 1, [](CallCounters& k) { ++k.handled; k.wait_sum += 9; k.wait_max = std::max(k.wait_max, 9.0); });
  book.record(0, kNone, [](CallCounters& k) { ++k.contained; });
  book.record(-1, 0, [](CallCounters& k) { ++k.handled; });  // warm-up

  const CallCounters total = book.total();
  EXPECT_EQ(total.offered, 5);
  EXPECT_EQ(total.handled, 2);
  EXPECT_EQ(total.contained, 1);
  EXPECT_EQ(total.wait_sum, 13);
  EXPECT_EQ(total.wait_max, 9);
  EXPECT_EQ(book.queue(0).offered, 1);
  EXPECT_EQ(book.queue(1).offered, 2);
  EXPECT_EQ(book.unqueued().offered, 2);  // the two that never queued
  EXPECT_EQ(book.unqueued().contained, 1);

  const KpiReport r = book.report(3600);
  EXPECT_EQ(r.counters.offered, 5);
  EXPECT_EQ(r.total[static_cast<int>(CallKpi::offered)], 5);
  EXPECT_EQ(r.interval[0][static_cast<int>(CallKpi::offered)] + r.interval[1][static_cast<int>(CallKpi::offered)], 5);
}

TEST(KpiBook, TheHorizonsTimeIsItsIntervalsSummed) {
  const Scenario s = two_queues();
  KpiBook book(s);
  book.start_interval(0, 0);
  book.group_changed(0, 0, 2, 0, 0);            // two idle agents
  book.group_changed(1000, 0, 1, 1, 0);         // one busy from 1,000 s
  book.queue_length_changed(1000, 0, 3);        // three waiting from 1,000 s
  book.start_interval(3600, 1);                 // the first interval is over
  const GroupTime live = book.group_time(4600, 0);  // the open stretch included
  EXPECT_DOUBLE_EQ(live.busy, 3600);
  EXPECT_DOUBLE_EQ(live.idle, 2000 + 2600 + 1000);
  EXPECT_DOUBLE_EQ(live.seconds, 4600);
  book.queue_length_changed(5000, 0, 0);
  const KpiReport r = book.report(7200);
  const GroupKpis& g = r.group[0];
  const GroupKpis& first = r.interval_group[0][0];
  const GroupKpis& second = r.interval_group[1][0];
  EXPECT_DOUBLE_EQ(g[static_cast<int>(GroupKpi::occupancy)], 6200.0 / (6200 + 8200));
  EXPECT_DOUBLE_EQ(first[static_cast<int>(GroupKpi::occupancy)], 2600.0 / (2600 + 4600));
  EXPECT_DOUBLE_EQ(second[static_cast<int>(GroupKpi::occupancy)], 0.5);
  // All queues over the horizon: 3 waiting for 4,000 s of 7,200, longest 3.
  EXPECT_DOUBLE_EQ(r.total_queue[static_cast<int>(QueueKpi::mean_length)], 3.0 * 4000 / 7200);
  EXPECT_DOUBLE_EQ(r.total_queue[static_cast<int>(QueueKpi::max_length)], 3);
}
