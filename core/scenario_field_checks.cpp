// The field-by-field checks of validate(): every reference points at
// something that exists, every probability is one, every required part is
// there. A scenario read from a file has passed the loader's own checks of
// each value as it was read, so these only ever speak for scenarios built
// in code (or changed after loading); the loader drops any that repeats a
// field it already reported. Field names follow the scenario file's keys.
#include "core/scenario_field_checks.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace switchboard {

namespace {

std::string at(const std::string& list, std::size_t i) { return list + "[" + std::to_string(i) + "]"; }

class Checks {
 public:
  Checks(const Scenario& s, const ValidationDoubts& d, std::vector<Problem>& out) : s_(s), d_(d), out_(out) {}

  // False when a reference points outside its list: the graph walks of the
  // cross-section checks must not follow it.
  bool run() {
    horizon();
    targets();
    priorities();
    groups();
    queues();
    ivr();
    tickets();
    call_types();
    agent_logins();
    return references_in_range_;
  }

 private:
  void problem(const std::string& field, const std::string& message) { out_.push_back(Problem{"", 0, 0, field, message}); }

  // `index` names one of `count` things (kNone allowed when `optional`).
  void ref(int index, std::size_t count, const std::string& field, const char* what, bool optional) {
    if (index == kNone) {
      if (!optional) problem(field, std::string("expected a ") + what);
    } else if (index < 0 || static_cast<std::size_t>(index) >= count) {
      references_in_range_ = false;
      problem(field, std::string("expected a ") + what + " of the scenario: index " + std::to_string(index) +
                         ", but it has " + std::to_string(count));
    }
  }
  void probability(double p, const std::string& field) {
    if (!(p >= 0 && p <= 1)) problem(field, "expected a probability from 0 to 1, got " + std::to_string(p));
  }
  void at_least(double v, double min, const std::string& field) {
    if (!(v >= min)) problem(field, "expected a number from " + std::to_string(min) + " up, got " + std::to_string(v));
  }
  void above_zero(double v, const std::string& field) {
    if (!(v > 0) || !std::isfinite(v)) problem(field, "expected a number > 0, got " + std::to_string(v));
  }
  // A list of `count` things that the core holds at most `limit` of.
  void at_most(std::size_t count, std::size_t limit, const std::string& field, const char* what) {
    if (count > limit)
      problem(field, "expected at most " + std::to_string(limit) + " " + what + ", got " + std::to_string(count));
  }
  // The parameters each kind needs, as the scenario file's keys name them.
  void distribution(const Distribution& d, const std::string& field) {
    switch (d.kind) {
      case DistKind::none: return;
      case DistKind::constant: return at_least_finite(d.value, field + ".value");
      case DistKind::exponential: return above_zero(d.mean, field + ".mean");
      case DistKind::lognormal:
      case DistKind::gamma:
        above_zero(d.mean, field + ".mean");
        return above_zero(d.sd, field + ".sd");
      case DistKind::weibull:
        above_zero(d.shape, field + ".shape");
        return above_zero(d.scale, field + ".scale");
      case DistKind::empirical:
        if (d.samples.empty()) return problem(field + ".values", "expected a non-empty list of observed durations");
        for (double v : d.samples)
          if (!(v >= 0) || !std::isfinite(v)) return problem(field + ".values", "expected durations >= 0, got " + std::to_string(v));
        return;
    }
  }
  void at_least_finite(double v, const std::string& field) {
    if (!(v >= 0) || !std::isfinite(v)) problem(field, "expected a number >= 0, got " + std::to_string(v));
  }
  void arrivals(const ArrivalSpec& a, const std::string& field) {
    above_zero(a.scale, field + ".scale");
    if (a.kind == ArrivalKind::poisson_gamma) above_zero(a.busyness_shape, field + ".shape");
    for (double r : a.rate_per_hour)
      if (!(r >= 0) || !std::isfinite(r)) return problem(field + ".rates", "expected calls per hour >= 0, got " + std::to_string(r));
  }
  void one_per_interval(std::size_t size, const std::string& field) {
    const auto intervals = static_cast<std::size_t>(s_.horizon.intervals());
    if (size == 0 || (size != 1 && size != intervals))
      problem(field, "expected one value, or one per horizon interval: " + std::to_string(intervals) + ", got " +
                         std::to_string(size));
  }

  void horizon() {
    above_zero(s_.horizon.length, "horizon.length");
    above_zero(s_.horizon.interval, "horizon.interval");
    at_least(s_.horizon.warmup, 0, "horizon.warmup");
    // 100000000h in 1h intervals took 7 GB of KPI tables within seconds
    // before anything was simulated.
    const double intervals = s_.horizon.length / s_.horizon.interval;
    if (s_.horizon.length > 0 && s_.horizon.interval > 0 && !(intervals <= kMaxIntervals))
      problem("horizon.interval", "expected at most " + std::to_string(kMaxIntervals) + " reporting intervals over horizon.length " +
                                  "(each keeps its own KPI tables), got " + std::to_string(std::llround(std::min(intervals, 1e18))) +
                                  ": a longer interval or a shorter length");
    if (!(s_.horizon.start_clock >= 0 && s_.horizon.start_clock <= 86400))
      problem("horizon.start", "expected a clock time from 00:00 to 24:00 (seconds after midnight)");
  }

  void targets() {
    at_least(s_.targets.answer_within, 0, "targets.answer_within");
    at_least(s_.targets.short_abandon, 0, "targets.short_abandon");
    if (!(s_.targets.target_sl > 0 && s_.targets.target_sl <= 1))
      problem("targets.service_level", "expected a fraction above 0 and at most 1");
  }

  void priorities() {
    if (s_.priorities.empty()) problem("priorities", "expected at least one priority class");
    at_most(s_.priorities.size(), kMaxPriorityClasses, "priorities", "priority classes");
    for (std::size_t i = 0; i < s_.priorities.size(); ++i) {
      at_least(s_.priorities[i].head_start, 0, at("priorities", i) + ".head_start");
      above_zero(s_.priorities[i].weight, at("priorities", i) + ".weight");
    }
  }

  void groups() {
    if (s_.skills.empty()) problem("skills", "expected a list of at least one skill name");
    if (s_.groups.empty()) problem("agent_groups", "expected at least one agent group");
    at_most(s_.groups.size(), kMaxAgentGroups, "agent_groups", "agent groups");
    for (std::size_t i = 0; i < s_.groups.size(); ++i) {
      const AgentGroup& g = s_.groups[i];
      const std::string f = at("agent_groups", i);
      if (g.skills.empty()) problem(f + ".skills", "expected at least one skill: an agent group with no skills takes no call");
      for (std::size_t k = 0; k < g.skills.size() && !d_.group_skills; ++k) {
        ref(g.skills[k].skill, s_.skills.size(), at(f + ".skills", k), "skill", false);
        if (g.skills[k].level < 1) problem(at(f + ".skills", k), "expected a skill level from 1 (best) up");
      }
      if (!d_.horizon) one_per_interval(g.staffing.size(), f + ".agents");
      for (int n : g.staffing)
        if (n < 0 || n > kMaxAgentsInGroup)
          problem(f + ".agents", "expected numbers of agents from 0 to " + std::to_string(kMaxAgentsInGroup));
      probability(g.no_answer_probability, f + ".no_answer_probability");
      above_zero(g.ring_timeout, f + ".ring_timeout");
      at_least(g.no_answer_pause, 0, f + ".no_answer_pause");
      distribution(g.answer_delay, f + ".answer_delay");
      distribution(g.wrap_up, f + ".wrap_up");
    }
  }

  void queues() {
    if (s_.queues.empty()) problem("queues", "expected at least one queue");
    at_most(s_.queues.size(), kMaxQueues, "queues", "queues");
    const std::size_t n = s_.queues.size();
    for (std::size_t i = 0; i < n; ++i) {
      const Queue& q = s_.queues[i];
      const std::string f = at("queues", i);
      ref(q.skill, s_.skills.size(), f + ".skill", "skill", false);
      if (q.max_length < -1) problem(f + ".max_length", "expected a whole number from 0 up (or -1: unlimited)");
      ref(q.when_full_queue, n, f + ".when_full", "queue", true);
      ref(q.when_closed_queue, n, f + ".when_closed", "queue", true);
      if (q.when_full_queue == static_cast<int>(i)) problem(f + ".when_full", "expected another queue, not the queue itself");
      if (q.when_closed_queue == static_cast<int>(i)) problem(f + ".when_closed", "expected another queue, not the queue itself");
      at_most(q.overflow.size(), kMaxOverflowSteps, f + ".overflow", "steps");
      for (std::size_t k = 0; k < q.overflow.size(); ++k) {
        const OverflowStep& step = q.overflow[k];
        const std::string of = at(f + ".overflow", k);
        at_least(step.after, 0, of + ".after");
        if (k > 0 && step.after <= q.overflow[k - 1].after) problem(of + ".after", "expected steps in increasing order of 'after'");
        for (std::size_t j = 0; j < step.add_skills.size(); ++j)
          ref(step.add_skills[j], s_.skills.size(), at(of + ".add_skills", j), "skill", false);
        for (std::size_t j = 0; j < step.add_groups.size(); ++j)
          ref(step.add_groups[j], s_.groups.size(), at(of + ".add_groups", j), "agent group", false);
        ref(step.move_to_queue, n, of + ".move_to", "queue", true);
        const bool widens = !step.add_skills.empty() || !step.add_groups.empty();
        if (widens == (step.move_to_queue != kNone)) problem(of, "expected add_skills and/or add_groups, or move_to (one kind of step)");
      }
      if (!q.hours.always && !(q.hours.open >= 0 && q.hours.open < q.hours.close && q.hours.close <= 86400))
        problem(f + ".hours", "expected opening and closing times from 00:00 to 24:00, the closing one after the opening one");
    }
  }

  void ivr() {
    const std::size_t n = s_.ivr.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i < d_.ivr_nodes.size() && d_.ivr_nodes[i]) continue;
      const IvrNode& x = s_.ivr[i];
      const std::string f = at("ivr", i);
      auto node = [&](int index, const std::string& key, bool optional) { ref(index, n, f + "." + key, "IVR node", optional); };
      switch (x.kind) {
        case IvrKind::prompt: node(x.next, "next", false); break;
        case IvrKind::menu:
          if (x.options.empty()) problem(f + ".options", "expected a mapping of digits to node ids, e.g. {\"1\": sales}");
          for (const MenuOption& o : x.options) node(o.next, std::string("options.") + o.digit, false);
          node(x.on_fail, "on_fail", false);
          above_zero(x.timeout, f + ".timeout");
          at_least(x.retries, 0, f + ".retries");
          break;
        case IvrKind::self_service:
          probability(x.success_probability, f + ".success_probability");
          distribution(x.service_time, f + ".service_time");
          node(x.on_fail, "on_fail", false);
          node(x.next, "next", true);
          break;
        case IvrKind::lookup:
          ref(x.tag, s_.tags.size(), f + ".tag", "tag", false);
          ref(x.tagged_priority, s_.priorities.size(), f + ".priority", "priority class", true);
          node(x.tagged_next, "tagged_next", true);
          node(x.next, "next", false);
          break;
        case IvrKind::queue:
          ref(x.queue, s_.queues.size(), f + ".queue", "queue", false);
          ref(x.priority, s_.priorities.size(), f + ".priority", "priority class", true);
          break;
        case IvrKind::ticket:
          ref(x.category, s_.ticket_categories.size(), f + ".category", "ticket category", false);
          node(x.next, "next", false);
          break;
        case IvrKind::ticket_status:
          node(x.next, "no_ticket", false);
          for (std::size_t k = 0; k < x.state_next.size(); ++k) node(x.state_next[k], "states", true);
          break;
        case IvrKind::hangup: break;
      }
      at_least(x.duration, 0, f + ".duration");
    }
  }

  void tickets() {
    for (std::size_t i = 0; i < s_.ticket_categories.size(); ++i) {
      const TicketCategory& c = s_.ticket_categories[i];
      const std::string f = at("tickets", i);
      ref(c.owner_group, s_.groups.size(), f + ".group", "agent group", false);
      above_zero(c.sla, f + ".sla");
      distribution(c.work_time, f + ".work_time");
      if (c.priority < 1 || c.priority > 5) problem(f + ".priority", "expected a whole number from 1 to 5");
      ref(c.skill, s_.skills.size(), f + ".skill", "skill", true);
      ref(c.senior_group, s_.groups.size(), f + ".senior_group", "agent group", true);
      for (std::size_t k = 0; k < c.routes.size(); ++k)
        ref(c.routes[k].group, s_.groups.size(), at(f + ".routes", k) + ".group", "agent group", true);
    }
  }

  void call_types() {
    if (s_.call_types.empty()) problem("call_types", "expected a list of at least one call type");
    at_most(s_.call_types.size(), kMaxCallTypes, "call_types", "call types");
    for (std::size_t i = 0; i < s_.call_types.size(); ++i) {
      const CallType& t = s_.call_types[i];
      const std::string f = at("call_types", i);
      if (t.handle_time.kind == DistKind::none) problem(f + ".handle_time", "expected a talk time, not none");
      distribution(t.handle_time, f + ".handle_time");
      distribution(t.patience, f + ".patience");
      distribution(t.menu_response, f + ".menu_response");
      distribution(t.redial.delay, f + ".redial.delay");
      arrivals(t.arrivals, f + ".arrivals");
      if ((t.entry_queue == kNone) == (t.entry_node == kNone) && !d_.entries)
        problem(f + ".entry", "expected exactly one of {queue: NAME} or {ivr: NODE}");
      ref(t.entry_queue, s_.queues.size(), f + ".entry.queue", "queue", true);
      ref(t.entry_node, s_.ivr.size(), f + ".entry.ivr", "IVR node", true);
      if (!s_.priorities.empty()) ref(t.priority, s_.priorities.size(), f + ".priority", "priority class", false);
      for (const TagProbability& tag : t.tags) {
        const bool known = tag.tag >= 0 && static_cast<std::size_t>(tag.tag) < s_.tags.size();
        ref(tag.tag, s_.tags.size(), f + ".tags", "tag", false);
        if (known) probability(tag.probability, f + ".tags." + s_.tags[tag.tag]);
      }
      probability(t.redial.probability, f + ".redial.probability");
      probability(t.callback_accept, f + ".callback_accept");
      for (const MenuBehaviour& b : t.menus) {
        const bool known = b.node >= 0 && static_cast<std::size_t>(b.node) < s_.ivr.size();
        ref(b.node, s_.ivr.size(), f + ".menus", "IVR node", false);
        if (!known) continue;
        const std::string mf = f + ".menus." + s_.ivr[b.node].id;
        double sum = 0;
        for (const DigitChoice& c : b.choices) sum += c.probability;
        if (std::abs(sum - 1) > 1e-9) problem(mf, "expected probabilities that sum to 1, got " + std::to_string(sum));
      }
      double sum = 0;
      for (std::size_t k = 0; k < t.dispositions.size(); ++k) {
        ref(t.dispositions[k].category, s_.ticket_categories.size(), at(f + ".dispositions", k) + ".ticket", "ticket category", false);
        probability(t.dispositions[k].probability, at(f + ".dispositions", k) + ".probability");
        sum += t.dispositions[k].probability;
      }
      if (sum > 1 + 1e-9) problem(f + ".dispositions", "expected probabilities that sum to at most 1, got " + std::to_string(sum));
    }
  }

  void agent_logins() {
    for (std::size_t i = 0; i < s_.agent_logins.size(); ++i) {
      const AgentLogin& a = s_.agent_logins[i];
      const std::string f = at("agent_logins", i);
      if (a.user.empty()) problem(f + ".user", "expected the agent's SIP user name");
      ref(a.group, s_.groups.size(), f + ".group", "agent group", false);
    }
  }

  const Scenario& s_;
  const ValidationDoubts& d_;
  std::vector<Problem>& out_;
  bool references_in_range_ = true;
};

}  // namespace

bool check_fields(const Scenario& scenario, const ValidationDoubts& doubts, std::vector<Problem>& out) {
  return Checks(scenario, doubts, out).run();
}

}  // namespace switchboard
