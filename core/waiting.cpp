#include "core/waiting.hpp"

#include <algorithm>

namespace switchboard {

namespace {
// Groups added explicitly by an overflow step rank after every skill match.
constexpr int kOverflowGroupLevel = 1000;

void add_group(std::vector<GroupLevel>& groups, int group, int level) {
  for (auto& g : groups) {
    if (g.group == group) {
      g.level = std::min(g.level, level);
      return;
    }
  }
  groups.push_back({group, level});
}

void add_skill(std::vector<GroupLevel>& groups, const Scenario& s, int skill) {
  for (int g = 0; g < static_cast<int>(s.groups.size()); ++g)
    for (const auto& sl : s.groups[g].skills)
      if (sl.skill == skill) add_group(groups, g, sl.level);
}
}  // namespace

WaitingLists::WaitingLists(const Scenario& s)
    : classes_(std::max<int>(1, s.priorities.size())),
      group_slots_(s.groups.size()),
      queue_count_(s.queues.size(), 0) {
  for (int q = 0; q < static_cast<int>(s.queues.size()); ++q) {
    const Queue& queue = s.queues[q];
    slot_base_.push_back(static_cast<int>(slot_groups_.size()));
    stage_count_.push_back(1 + static_cast<int>(queue.overflow.size()));
    std::vector<GroupLevel> groups;
    add_skill(groups, s, queue.skill);
    for (int stage = 0; stage < stage_count_.back(); ++stage) {
      if (stage > 0) {
        const OverflowStep& step = queue.overflow[stage - 1];
        for (int skill : step.add_skills) add_skill(groups, s, skill);
        for (int g : step.add_groups) add_group(groups, g, kOverflowGroupLevel);
      }
      auto sorted = groups;
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const GroupLevel& a, const GroupLevel& b) { return a.level < b.level; });
      const int slot = static_cast<int>(slot_groups_.size());
      for (const auto& g : sorted) group_slots_[g.group].push_back(slot);
      slot_groups_.push_back(std::move(sorted));
      for (int p = 0; p < classes_; ++p) {
        List list;
        if (p < static_cast<int>(s.priorities.size())) {
          list.weight = s.priorities[p].weight;
          list.head_start = s.priorities[p].head_start;
        }
        lists_.push_back(list);
        list_queue_.push_back(q);
      }
    }
  }
}

void WaitingLists::reserve(std::size_t calls) {
  if (links_.size() < calls) links_.resize(calls);
}

void WaitingLists::insert(std::uint32_t call, int slot, int priority, double key) {
  reserve(call + 1);
  const int index = slot * classes_ + priority;
  List& list = lists_[index];
  WaitLinks& link = links_[call];
  link.list = index;
  link.key = key;
  // Walk back from the tail: calls almost always arrive in key order.
  std::uint32_t after = list.tail;
  while (after != kNil && links_[after].key > key) after = links_[after].prev;
  link.prev = after;
  link.next = after == kNil ? list.head : links_[after].next;
  if (link.prev == kNil) list.head = call; else links_[link.prev].next = call;
  if (link.next == kNil) list.tail = call; else links_[link.next].prev = call;
  ++queue_count_[list_queue_[index]];
}

void WaitingLists::remove(std::uint32_t call) {
  WaitLinks& link = links_[call];
  List& list = lists_[link.list];
  if (link.prev == kNil) list.head = link.next; else links_[link.prev].next = link.next;
  if (link.next == kNil) list.tail = link.prev; else links_[link.next].prev = link.prev;
  --queue_count_[list_queue_[link.list]];
  link = WaitLinks{};
}

double WaitingLists::oldest_wait_start(int queue, double none) const {
  double oldest = none;
  bool any = false;
  for (int stage = 0; stage < stage_count_[queue]; ++stage)
    for (int p = 0; p < classes_; ++p) {
      const List& list = lists_[(slot_base_[queue] + stage) * classes_ + p];
      if (list.head == kNil) continue;
      const double start = links_[list.head].key;
      if (!any || start < oldest) oldest = start;
      any = true;
    }
  return oldest;
}

std::uint32_t WaitingLists::best_for_group(int group, double now) const {
  std::uint32_t best = kNil;
  double best_score = 0;
  for (int slot : group_slots_[group]) {
    for (int p = 0; p < classes_; ++p) {
      const List& list = lists_[slot * classes_ + p];
      if (list.head == kNil) continue;
      const double key = links_[list.head].key;
      const double score = list.weight * (now - key) + list.head_start;
      // Ties go to the call that has waited longer, then to the lower slot.
      if (best == kNil || score > best_score || (score == best_score && key < links_[best].key)) {
        best = list.head;
        best_score = score;
      }
    }
  }
  return best;
}

}  // namespace switchboard

