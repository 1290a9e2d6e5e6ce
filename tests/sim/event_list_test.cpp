// The event list pops in (time, insertion sequence) order whatever the mix
// of pushes and pops: checked against a plain sorted reference, with many
// ties (events due now, which take the list's FIFO path, and events due at
// a later time already in a heap), arrivals (which have a heap of their
// own) mixed with other events at the same times, and pushes due before
// now (the SIP server's clock may schedule a little in the past).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <tuple>

#include "sim/event_list.hpp"

namespace {

using switchboard::sim::Event;
using switchboard::sim::EventKind;
using switchboard::sim::EventList;

struct Ref {
  double time;
  std::uint32_t id;
  bool operator<(const Ref& o) const { return std::tie(time, id) < std::tie(o.time, o.id); }
};

void check_against_reference(std::uint64_t seed, double tie_probability, double past_probability) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  EventList list;
  std::set<Ref> ref;  // id is the insertion order: (time, id) is the order due
  std::uint32_t next_id = 0;
  double now = 0;
  auto push = [&](double at) {
    list.push(at, u(rng) < 0.3 ? EventKind::arrival : EventKind::timer, next_id, 0, 0);
    ref.insert({at, next_id++});
  };
  for (int i = 0; i < 50; ++i) push(std::floor(u(rng) * 20));
  for (int step = 0; step < 200000; ++step) {
    if (!ref.empty() && (u(rng) < 0.5 || ref.size() > 400)) {
      ASSERT_EQ(list.size(), ref.size());
      const Event top = list.top();
      const Event e = list.pop();
      const Ref want = *ref.begin();
      ref.erase(ref.begin());
      ASSERT_EQ(top.a, e.a) << "top() and pop() disagree at step " << step;
      ASSERT_EQ(e.a, want.id) << "step " << step;
      ASSERT_EQ(e.time, want.time) << "step " << step;
      now = e.time;
      continue;
    }
    const double r = u(rng);
    if (r < tie_probability) push(now);                                         // due now
    else if (r < tie_probability + past_probability) push(now - std::floor(u(rng) * 3));  // due already
    else push(now + std::floor(u(rng) * 30));                                   // later, often tied
  }
  while (!ref.empty()) {
    ASSERT_EQ(list.pop().a, ref.begin()->id);
    ref.erase(ref.begin());
  }
  EXPECT_TRUE(list.empty());
}

TEST(EventList, PopsInTimeThenInsertionOrder) { check_against_reference(1, 0.0, 0.0); }
TEST(EventList, EventsDueNowRunAfterThoseAlreadyDueNowAndInOrder) { check_against_reference(2, 0.4, 0.0); }
TEST(EventList, EventsDueBeforeNowRunFirst) { check_against_reference(3, 0.3, 0.1); }

TEST(EventList, NegativeAndZeroTimesOrderAsNumbers) {
  EventList list;
  list.push(-0.0, EventKind::timer, 0);
  list.push(-5.0, EventKind::timer, 1);
  list.push(0.0, EventKind::timer, 2);
  list.push(-5.0, EventKind::arrival, 3);
  list.push(-0.0, EventKind::arrival, 4);
  for (std::uint32_t want : {1u, 3u, 0u, 2u, 4u}) EXPECT_EQ(list.pop().a, want);
  EXPECT_TRUE(list.empty());
}

}  // namespace
