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
#include <utility>
#include <vector>
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

// cancel_probability: the share of pushes that may be taken back, and of
// steps that take one back (maybe one that already ran or was taken back:
// its handle must then match nothing).
void check_against_reference(std::uint64_t seed, double tie_probability, double past_probability,
                             double cancel_probability = 0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  EventList list;
  std::set<Ref> ref;  // id is the insertion order: (time, id) is the order due
  std::vector<std::pair<std::uint64_t, Ref>> handles;
  std::uint32_t next_id = 0;
  double now = 0;
  auto push = [&](double at) {
    if (u(rng) < cancel_probability) {
      handles.push_back({list.push_cancellable(at, EventKind::hangup, next_id, 0, 0), Ref{at, next_id}});
    } else {
      list.push(at, u(rng) < 0.3 ? EventKind::arrival : EventKind::timer, next_id, 0, 0);
    }
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
    if (!handles.empty() && u(rng) < cancel_probability) {
      const std::size_t pick = static_cast<std::size_t>(u(rng) * static_cast<double>(handles.size()));
      const auto [handle, which] = handles[pick];
      const bool due_now = handle == EventList::kNoHandle;  // went the FIFO's way: runs as any other
      list.cancel(handle);
      if (!due_now) ref.erase(which);  // a no-op when it already ran or was taken back
      ASSERT_EQ(list.size(), ref.size()) << "step " << step;
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
TEST(EventList, CancelledEventsNeverRunAndStaleHandlesMatchNothing) { check_against_reference(4, 0.2, 0.05, 0.3); }

TEST(EventList, ACancelledEventLeavesTheOthersInOrder) {
  EventList list;
  list.push(3.0, EventKind::timer, 0);
  const std::uint64_t one = list.push_cancellable(1.0, EventKind::hangup, 1);
  const std::uint64_t two = list.push_cancellable(2.0, EventKind::hangup, 2);
  list.push_cancellable(2.0, EventKind::hangup, 3);
  list.cancel(two);
  list.cancel(two);  // twice: still one event gone
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list.pop().a, 1u);
  list.cancel(one);  // already ran: nothing else goes
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.pop().a, 3u);
  EXPECT_EQ(list.pop().a, 0u);
  EXPECT_TRUE(list.empty());
  // Due now: no handle, it runs.
  EXPECT_EQ(list.push_cancellable(3.0, EventKind::hangup, 4), EventList::kNoHandle);
  EXPECT_EQ(list.pop().a, 4u);
}

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
