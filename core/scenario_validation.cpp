#include "core/scenario_validation.hpp"

#include "core/scenario_field_checks.hpp"

#include <algorithm>
#include <functional>
#include <string>

namespace switchboard {

std::vector<int> ivr_successors(const IvrNode& n) {
  std::vector<int> out;
  switch (n.kind) {
    case IvrKind::prompt:
    case IvrKind::ticket: out = {n.next}; break;
    case IvrKind::menu:
      for (const auto& o : n.options) out.push_back(o.next);
      out.push_back(n.on_fail);
      break;
    case IvrKind::self_service: out = {n.on_fail, n.next}; break;
    case IvrKind::lookup: out = {n.next, n.tagged_next}; break;
    case IvrKind::ticket_status:
      out = {n.next};
      for (int s : n.state_next)
        if (s != kNone) out.push_back(s);
      break;
    case IvrKind::queue:
    case IvrKind::hangup: break;
  }
  return out;
}

namespace {

std::string at(const std::string& list, std::size_t i) { return list + "[" + std::to_string(i) + "]"; }

// Located by field path only: the loader maps the path to the file's line.
void problem(std::vector<Problem>& out, const std::string& field, const std::string& message) {
  out.push_back(Problem{"", 0, 0, field, message});
}

// Where a call can leave the IVR: a queue, a hang-up, or self-service success with nothing after it.
bool ends_here(const IvrNode& n) {
  return n.kind == IvrKind::queue || n.kind == IvrKind::hangup || (n.kind == IvrKind::self_service && n.next == kNone);
}

bool instant(const IvrNode& n) {
  return n.kind == IvrKind::lookup || n.kind == IvrKind::ticket || n.kind == IvrKind::ticket_status;
}

bool doubtful(const ValidationDoubts& d, std::size_t node) { return node < d.ivr_nodes.size() && d.ivr_nodes[node]; }

void validate_ivr(const Scenario& s, std::vector<Problem>& out, const ValidationDoubts& d) {
  const std::size_t count = s.ivr.size();
  if (count == 0) return;
  bool any_doubt = d.entries;
  for (std::size_t i = 0; i < count; ++i) any_doubt = any_doubt || doubtful(d, i);
  // Reachable from some call type's entry.
  std::vector<bool> reached(count, false);
  std::vector<int> stack;
  for (const auto& t : s.call_types)
    if (t.entry_node != kNone && !reached[t.entry_node]) {
      reached[t.entry_node] = true;
      stack.push_back(t.entry_node);
    }
  while (!stack.empty()) {
    const int n = stack.back();
    stack.pop_back();
    for (int next : ivr_successors(s.ivr[n]))
      if (next != kNone && !reached[next]) {
        reached[next] = true;
        stack.push_back(next);
      }
  }
  // A broken link could be what hides a node: only report when all links resolved.
  for (std::size_t i = 0; i < count && !any_doubt; ++i)
    if (!reached[i])
      problem(out, at("ivr", i), "IVR node '" + s.ivr[i].id + "' is unreachable: no call type's entry leads to it");

  // Can reach an ending: a fixed point from the endings backwards.
  std::vector<bool> exits(count, false);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < count; ++i) {
      if (exits[i]) continue;
      // A node with a problem of its own may have lost the link that leads out; give it the benefit of the doubt.
      bool ok = ends_here(s.ivr[i]) || doubtful(d, i);
      for (int next : ivr_successors(s.ivr[i])) ok = ok || (next != kNone && exits[next]);
      if (ok) {
        exits[i] = true;
        changed = true;
      }
    }
  }
  for (std::size_t i = 0; i < count; ++i)
    if (!exits[i])
      problem(out, at("ivr", i),
                "IVR node '" + s.ivr[i].id + "' is in a cycle with no exit: no queue, hang-up or self-service ending can be reached from it");

  // A loop made only of instant nodes would spin without time passing.
  std::vector<int> state(count, 0);  // 0 new, 1 on the path, 2 done
  std::function<bool(int)> loops = [&](int n) {
    state[n] = 1;
    for (int next : ivr_successors(s.ivr[n])) {
      if (next == kNone || !instant(s.ivr[next])) continue;
      if (state[next] == 1 || (state[next] == 0 && loops(next))) return true;
    }
    state[n] = 2;
    return false;
  };
  for (std::size_t i = 0; i < count; ++i)
    if (instant(s.ivr[i]) && state[i] == 0 && loops(static_cast<int>(i)))
      problem(out, at("ivr", i),
                "IVR node '" + s.ivr[i].id + "' loops back to itself through lookup/ticket/ticket_status nodes only: a caller would never move on");
}

void validate_queues(const Scenario& s, std::vector<Problem>& out, const ValidationDoubts& d) {
  if (d.group_skills) return;
  for (std::size_t q = 0; q < s.queues.size(); ++q) {
    const Queue& queue = s.queues[q];
    if (queue.skill == kNone) continue;
    auto has_skill = [&](int skill) {
      for (const auto& g : s.groups)
        for (const auto& sl : g.skills)
          if (sl.skill == skill) return true;
      return false;
    };
    bool served = has_skill(queue.skill);
    for (const auto& step : queue.overflow) {
      // A step with nothing resolved is a mistake already reported: not a second one here.
      const bool empty = step.move_to_queue == kNone && step.add_groups.empty() && step.add_skills.empty();
      served = served || empty || step.move_to_queue != kNone || !step.add_groups.empty();
      for (int skill : step.add_skills) served = served || skill == kNone || has_skill(skill);
    }
    if (!served)
      problem(out, at("queues", q) + ".skill",
                "no agent group has skill '" + s.skills[queue.skill] + "' and no overflow step adds a skill some group has, adds groups or moves calls: calls would wait forever");
  }
}

void validate_call_types(const Scenario& s, std::vector<Problem>& out) {
  for (std::size_t i = 0; i < s.call_types.size(); ++i) {
    const CallType& t = s.call_types[i];
    if (t.callback_accept > 0) {
      bool offered = false;
      for (const auto& q : s.queues) offered = offered || q.callback.enabled;
      if (!offered)
        problem(out, at("call_types", i) + ".callback_accept",
                  "no queue offers callbacks (queues[].callback): this probability would never be used");
    }
  }
}

}  // namespace

std::vector<Problem> validate(const Scenario& scenario, const ValidationDoubts& doubts) {
  std::vector<Problem> out;
  if (!check_fields(scenario, doubts, out)) return out;
  std::vector<Problem> across;
  validate_queues(scenario, across, doubts);
  validate_ivr(scenario, across, doubts);
  validate_call_types(scenario, across);
  // A field already wrong on its own is not reported again for what it implies.
  for (Problem& p : across)
    if (std::none_of(out.begin(), out.end(), [&](const Problem& q) { return q.field == p.field; })) out.push_back(std::move(p));
  return out;
}

}  // namespace switchboard
