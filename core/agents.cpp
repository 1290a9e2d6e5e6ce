#include "core/agents.hpp"

#include <algorithm>

namespace switchboard {

AgentPool::AgentPool(const Scenario& scenario, KpiBook& kpis) : kpis_(kpis) {
  for (int g = 0; g < static_cast<int>(scenario.groups.size()); ++g) {
    const auto& staffing = scenario.groups[g].staffing;
    const int most = staffing.empty() ? 0 : *std::max_element(staffing.begin(), staffing.end());
    Group group;
    group.first = static_cast<std::uint32_t>(agents_.size());
    group.size = static_cast<std::uint32_t>(most);
    group.in[static_cast<int>(AgentState::offline)] = most;
    groups_.push_back(group);
    for (int i = 0; i < most; ++i) {
      Agent agent;
      agent.group = static_cast<std::uint16_t>(g);
      agents_.push_back(agent);
    }
  }
}

void AgentPool::staff(double now, int group, int target) {
  Group& g = groups_[group];
  target = std::clamp<int>(target, 0, static_cast<int>(g.size));
  int leaving = 0;
  for (std::uint32_t id = g.first; id < g.first + g.size; ++id) leaving += agents_[id].logout_pending;
  // Agents asked to leave but still on a call are the cheapest to keep.
  for (std::uint32_t id = g.first; id < g.first + g.size && g.logged_in - leaving < target; ++id) {
    Agent& a = agents_[id];
    if (a.logout_pending) { a.logout_pending = false; --leaving; }
  }
  for (std::uint32_t id = g.first; id < g.first + g.size && g.logged_in < target; ++id)
    if (agents_[id].state == AgentState::offline) set_state(now, id, AgentState::idle);
  // Log out the agents idle the shortest first, then ask busy ones to leave after their call.
  while (g.logged_in - leaving > target && g.idle_tail != kNil) set_state(now, g.idle_tail, AgentState::offline);
  for (std::uint32_t id = g.first + g.size; id-- > g.first && g.logged_in - leaving > target;) {
    Agent& a = agents_[id];
    if (a.state == AgentState::away) set_state(now, id, AgentState::offline);
    else if (a.state != AgentState::offline && !a.logout_pending) { a.logout_pending = true; ++leaving; }
  }
}

AgentId AgentPool::longest_idle(const std::vector<GroupLevel>& groups, std::size_t from,
                                std::size_t to) const {
  AgentId best = kNoAgent;
  for (std::size_t i = from; i < to; ++i) {
    const AgentId head = groups_[groups[i].group].idle_head;
    if (head == kNil) continue;
    // Equal idle times (agents logged in together) go to the lower agent id.
    if (best == kNoAgent || agents_[head].since < agents_[best].since ||
        (agents_[head].since == agents_[best].since && head < best))
      best = head;
  }
  return best;
}

AgentId AgentPool::pick(RoutingPolicy policy, const std::vector<GroupLevel>& groups, double now,
                        std::uint32_t& cursor) const {
  switch (policy) {
    case RoutingPolicy::longest_idle:
      return longest_idle(groups, 0, groups.size());
    case RoutingPolicy::best_skill: {
      // `groups` is sorted by level: the first level with an idle agent wins.
      for (std::size_t i = 0; i < groups.size();) {
        std::size_t j = i;
        while (j < groups.size() && groups[j].level == groups[i].level) ++j;
        const AgentId a = longest_idle(groups, i, j);
        if (a != kNoAgent) return a;
        i = j;
      }
      return kNoAgent;
    }
    case RoutingPolicy::least_occupied: {
      AgentId best = kNoAgent;
      double best_occupancy = 0;
      for (const auto& gl : groups) {
        for (std::uint32_t id = groups_[gl.group].idle_head; id != kNil; id = agents_[id].next) {
          const Agent& a = agents_[id];
          const double logged = now - a.login_at;
          const double occupancy = logged > 0 ? a.busy_seconds / logged : 0;
          if (best == kNoAgent || occupancy < best_occupancy ||
              (occupancy == best_occupancy && a.since < agents_[best].since)) {
            best = id;
            best_occupancy = occupancy;
          }
        }
      }
      return best;
    }
    case RoutingPolicy::round_robin: {
      // The first idle agent after the cursor in agent-id order, wrapping.
      AgentId first_any = kNoAgent, first_after = kNoAgent;
      for (const auto& gl : groups) {
        const Group& g = groups_[gl.group];
        for (std::uint32_t id = g.idle_head; id != kNil; id = agents_[id].next) {
          if (first_any == kNoAgent || id < first_any) first_any = id;
          if (id >= cursor && (first_after == kNoAgent || id < first_after)) first_after = id;
        }
      }
      const AgentId chosen = first_after != kNoAgent ? first_after : first_any;
      if (chosen != kNoAgent) cursor = chosen + 1;
      return chosen;
    }
  }
  return kNoAgent;
}

}  // namespace switchboard
