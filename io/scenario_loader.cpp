// Scenario YAML -> Scenario. Two passes: first every section's names (so
// references may point forward), then each section's fields with names
// resolved to indices. Problems are collected and thrown together at the end.
#include "io/scenario_loader.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/scenario_validation.hpp"
#include "core/ticket_model.hpp"
#include "io/agent_logins.hpp"
#include "io/interval_series.hpp"
#include "io/scenario_yaml.hpp"
#include "io/text_line.hpp"

namespace switchboard {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kIntMax = std::numeric_limits<int>::max();

std::string at(const std::string& list, std::size_t i) { return list + "[" + std::to_string(i) + "]"; }

// A sum as the user would write it: std::to_string pads 0.95 to "0.950000"
// and hides how far off a sum like 0.9999999 is.
std::string sum_text(double v) {
  std::ostringstream out;
  out.precision(12);
  out << v;
  return out.str();
}

const char* kind_name(IvrKind k) {
  switch (k) {
    case IvrKind::prompt: return "prompt";
    case IvrKind::menu: return "menu";
    case IvrKind::self_service: return "self_service";
    case IvrKind::lookup: return "lookup";
    case IvrKind::queue: return "queue";
    case IvrKind::ticket: return "ticket";
    case IvrKind::hangup: return "hangup";
    case IvrKind::ticket_status: return "ticket_status";
  }
  return "?";
}

class Loader {
 public:
  Loader(const std::string& source, const std::string& base_dir) : r_(source), base_dir_(base_dir) {}

  Scenario load(const YAML::Node& root);
  yaml::Reader& reader() { return r_; }

 private:
  void names(const YAML::Node& root);
  std::vector<std::string> section_names(const YAML::Node& root, const char* section, const char* key);
  int ref(const YAML::Node& node, const std::string& field, const std::vector<std::string>& names, const char* what);
  void horizon(const YAML::Node& n);
  void targets(const YAML::Node& n);
  void priorities(const YAML::Node& n);
  void groups(const YAML::Node& n);
  void queues(const YAML::Node& n);
  void ivr(const YAML::Node& n);
  void tickets(const YAML::Node& n);
  void back_office(const YAML::Node& n);
  void ticket_rules(const YAML::Node& t, const std::string& field, TicketCategory& c);
  void agent_logins(const YAML::Node& n);
  void call_types(const YAML::Node& n);
  ArrivalSpec arrivals(const YAML::Node& n, const std::string& field);
  std::vector<double> per_interval(const YAML::Node& n, const std::string& field, double min);
  std::vector<int> head_counts(const YAML::Node& n, const std::string& field, const std::string& who);
  std::string resolve_path(const std::string& path) const;
  bool already_reported(const std::string& field) const;
  void load_replay(ArrivalSpec& spec, const YAML::Node& n, const std::string& field);

  yaml::Reader r_;
  std::string base_dir_;
  YAML::Mark root_mark_;  // where a missing top-level section is reported
  bool horizon_ok_ = false;  // per-interval lengths are only checked against a horizon that parsed
  ValidationDoubts doubts_;
  Scenario s_;
  std::vector<std::string> groups_, queues_, nodes_, categories_, priorities_;
  std::vector<Problem> problems_in_file_;  // located in a replayed file, not the scenario
};

std::vector<std::string> Loader::section_names(const YAML::Node& root, const char* section, const char* key) {
  std::vector<std::string> out;
  const YAML::Node list = root[section];
  if (!list || !list.IsSequence()) return out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string field = at(section, i) + "." + key;
    std::string name;
    if (!item.IsMap() || !item[key]) r_.problem(item, field, std::string("expected '") + key + "'");
    else name = r_.text(item[key], field);
    if (!name.empty() && yaml::index_of(out, name) != kNone) r_.problem(item[key], field, "duplicate name '" + name + "'");
    out.push_back(name);
  }
  return out;
}

void Loader::names(const YAML::Node& root) {
  auto name_list = [&](const char* section, std::vector<std::string>& out) {
    const YAML::Node list = root[section];
    if (!list) return;
    if (!r_.sequence(list, section)) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string name = r_.text(list[i], at(section, i));
      if (!name.empty() && yaml::index_of(out, name) != kNone) r_.problem(list[i], at(section, i), "duplicate name '" + name + "'");
      out.push_back(name);
    }
  };
  name_list("skills", s_.skills);
  name_list("tags", s_.tags);
  groups_ = section_names(root, "agent_groups", "name");
  queues_ = section_names(root, "queues", "name");
  nodes_ = section_names(root, "ivr", "id");
  categories_ = section_names(root, "tickets", "name");
  if (root["priorities"]) priorities_ = section_names(root, "priorities", "name");
  else priorities_ = {"normal"};
}

int Loader::ref(const YAML::Node& node, const std::string& field, const std::vector<std::string>& names,
                const char* what) {
  if (!node.IsScalar()) {
    r_.problem(node, field, std::string("expected the name of a ") + what);
    return kNone;
  }
  const int i = yaml::index_of(names, node.Scalar());
  if (i == kNone)
    r_.problem(node, field, std::string("unknown ") + what + " '" + node.Scalar() + "' (" + yaml::known_list(names) + ")");
  return i;
}

void Loader::horizon(const YAML::Node& n) {
  if (!n) {
    r_.problem(root_mark_, "horizon", "expected a horizon with at least a length, e.g. {length: 8h}");
    return;
  }
  if (!r_.mapping(n, "horizon", {"start", "length", "interval", "warmup"})) return;
  Horizon& h = s_.horizon;
  const std::size_t problems_before = r_.problems().size();
  if (n["start"]) h.start_clock = r_.clock(n["start"], "horizon.start");
  if (!n["length"]) r_.problem(n, "horizon.length", "expected the horizon's length, e.g. 8h");
  else h.length = r_.duration(n["length"], "horizon.length", true);
  if (n["interval"]) h.interval = r_.duration(n["interval"], "horizon.interval", true);
  if (n["warmup"]) h.warmup = r_.duration(n["warmup"], "horizon.warmup", false);
  // Too many intervals is validate()'s to report (with this line); nothing
  // is laid out per interval on such a horizon (shifts took 7.8 GB).
  horizon_ok_ = r_.problems().size() == problems_before && h.length / h.interval <= kMaxIntervals;
}

void Loader::targets(const YAML::Node& n) {
  if (!n) return;
  if (!r_.mapping(n, "targets", {"answer_within", "short_abandon", "service_level"})) return;
  if (n["answer_within"]) s_.targets.answer_within = r_.duration(n["answer_within"], "targets.answer_within", false);
  if (n["short_abandon"]) s_.targets.short_abandon = r_.duration(n["short_abandon"], "targets.short_abandon", false);
  if (n["service_level"]) {
    s_.targets.target_sl = r_.number(n["service_level"], "targets.service_level", 0, 1);
    if (s_.targets.target_sl == 0) r_.problem(n["service_level"], "targets.service_level", "expected a fraction above 0 and at most 1");
  }
}

void Loader::priorities(const YAML::Node& n) {
  if (!n) {
    s_.priorities = {PriorityClass{"normal", 0, 1}};
    return;
  }
  if (!r_.sequence(n, "priorities")) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("priorities", i);
    PriorityClass p;
    p.name = priorities_[i];
    if (r_.mapping(n[i], f, {"name", "head_start", "weight"})) {
      if (n[i]["head_start"]) p.head_start = r_.duration(n[i]["head_start"], f + ".head_start", false);
      if (n[i]["weight"]) p.weight = r_.positive(n[i]["weight"], f + ".weight");
    }
    s_.priorities.push_back(p);
  }
  if (n.size() == 0) r_.problem(n, "priorities", "expected at least one priority class");
}

// People on duty, one number or one per interval (agents, back-office
// workers): whole, from 0 to kMaxAgentsInGroup.
std::vector<int> Loader::head_counts(const YAML::Node& n, const std::string& field, const std::string& who) {
  std::vector<int> out;
  for (double v : per_interval(n, field, 0)) {
    if (v != std::floor(v)) r_.problem(n, field, "expected whole numbers of " + who);
    if (v > kMaxAgentsInGroup) {
      r_.problem(n, field, "expected at most " + std::to_string(kMaxAgentsInGroup) + " " + who + " in a group");
      v = 0;  // reported; no int overflow behind it
    }
    out.push_back(static_cast<int>(v));
  }
  return out;
}

std::vector<double> Loader::per_interval(const YAML::Node& n, const std::string& field, double min) {
  std::vector<double> out;
  const int intervals = s_.horizon.intervals();
  if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) out.push_back(r_.number(n[i], at(field, i), min, kInf));
    if (horizon_ok_ && static_cast<int>(out.size()) != intervals)
      r_.problem(n, field, "expected one value per horizon interval: " + std::to_string(intervals) + ", got " + std::to_string(out.size()));
  } else {
    out.push_back(r_.number(n, field, min, kInf));
  }
  return out;
}

void Loader::groups(const YAML::Node& n) {
  if (!n) {
    r_.problem(root_mark_, "agent_groups", "expected at least one agent group");
    return;
  }
  if (!r_.sequence(n, "agent_groups")) return;
  if (n.size() == 0) r_.problem(n, "agent_groups", "expected at least one agent group");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("agent_groups", i);
    const YAML::Node g = n[i];
    AgentGroup group;
    group.name = groups_[i];
    if (r_.mapping(g, f, {"name", "skills", "agents", "answer_delay", "no_answer_probability", "ring_timeout",
                          "no_answer_pause", "wrap_up"})) {
      const YAML::Node skills = g["skills"];
      if (!skills || skills.size() == 0) {
        r_.problem(skills ? skills : g, f + ".skills", "expected at least one skill: an agent group with no skills takes no call");
      } else if (skills.IsSequence()) {
        for (std::size_t k = 0; k < skills.size(); ++k)
          group.skills.push_back({ref(skills[k], at(f + ".skills", k), s_.skills, "skill"), 1});
        for (const SkillLevel& sl : group.skills) doubts_.group_skills = doubts_.group_skills || sl.skill == kNone;
      } else if (skills.IsMap()) {
        r_.distinct_keys(skills, f + ".skills");
        for (const auto& kv : skills) {
          const std::string sf = f + ".skills." + kv.first.Scalar();
          group.skills.push_back({ref(kv.first, sf, s_.skills, "skill"), r_.integer(kv.second, sf, 1, 1000)});
        }
        for (const SkillLevel& sl : group.skills) doubts_.group_skills = doubts_.group_skills || sl.skill == kNone;
      } else {
        r_.problem(skills, f + ".skills", "expected a list of skills or a mapping of skill to level (1 is best)");
      }
      if (!g["agents"]) r_.problem(g, f + ".agents", "expected the number of agents (or one per interval)");
      else group.staffing = head_counts(g["agents"], f + ".agents", "agents");
      if (g["answer_delay"]) group.answer_delay = r_.distribution(g["answer_delay"], f + ".answer_delay");
      if (g["no_answer_probability"]) group.no_answer_probability = r_.probability(g["no_answer_probability"], f + ".no_answer_probability");
      if (g["ring_timeout"]) group.ring_timeout = r_.duration(g["ring_timeout"], f + ".ring_timeout", true);
      if (g["no_answer_pause"]) group.no_answer_pause = r_.duration(g["no_answer_pause"], f + ".no_answer_pause", false);
      if (g["wrap_up"]) group.wrap_up = r_.distribution(g["wrap_up"], f + ".wrap_up");
    }
    s_.groups.push_back(group);
  }
}

void Loader::queues(const YAML::Node& n) {
  if (!n) {
    r_.problem(root_mark_, "queues", "expected at least one queue");
    return;
  }
  if (!r_.sequence(n, "queues")) return;
  if (n.size() == 0) r_.problem(n, "queues", "expected at least one queue");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("queues", i);
    const YAML::Node q = n[i];
    Queue queue;
    queue.name = queues_[i];
    if (r_.mapping(q, f, {"name", "skill", "routing", "max_length", "when_full", "overflow", "callback", "hours", "when_closed"})) {
      if (!q["skill"]) r_.problem(q, f + ".skill", "expected the skill that serves this queue");
      else queue.skill = ref(q["skill"], f + ".skill", s_.skills, "skill");
      if (q["routing"]) {
        const std::string policy = q["routing"].Scalar();
        if (policy == "longest_idle") queue.routing = RoutingPolicy::longest_idle;
        else if (policy == "best_skill") queue.routing = RoutingPolicy::best_skill;
        else if (policy == "least_occupied") queue.routing = RoutingPolicy::least_occupied;
        else if (policy == "round_robin") queue.routing = RoutingPolicy::round_robin;
        else r_.problem(q["routing"], f + ".routing", "expected longest_idle, best_skill, least_occupied or round_robin; got '" + policy + "'");
      }
      if (q["max_length"]) queue.max_length = r_.integer(q["max_length"], f + ".max_length", 0, kIntMax);
      auto route = [&](const char* key, const char* terminal, int& target) {
        if (!q[key]) return;
        if (q[key].IsScalar() && q[key].Scalar() == terminal) return;
        target = ref(q[key], f + "." + key, queues_, "queue");
        if (target == static_cast<int>(i)) r_.problem(q[key], f + "." + key, "expected another queue, not the queue itself");
      };
      route("when_full", "busy", queue.when_full_queue);
      route("when_closed", "hangup", queue.when_closed_queue);
      if (const YAML::Node o = q["overflow"]; o && r_.sequence(o, f + ".overflow")) {
        for (std::size_t k = 0; k < o.size(); ++k) {
          const std::string of = at(f + ".overflow", k);
          OverflowStep step;
          if (!r_.mapping(o[k], of, {"after", "add_skills", "add_groups", "move_to"})) continue;
          if (!o[k]["after"]) r_.problem(o[k], of + ".after", "expected how long a call waits before this step, e.g. 60s");
          else step.after = r_.duration(o[k]["after"], of + ".after", false);
          if (!queue.overflow.empty() && step.after <= queue.overflow.back().after)
            r_.problem(o[k]["after"] ? o[k]["after"] : o[k], of + ".after", "expected steps in increasing order of 'after'");
          auto names = [&](const char* key, const std::vector<std::string>& known, const char* what, std::vector<int>& out) {
            const YAML::Node list = o[k][key];
            if (!list) return;
            if (!r_.sequence(list, of + "." + key)) return;
            for (std::size_t j = 0; j < list.size(); ++j) out.push_back(ref(list[j], at(of + "." + key, j), known, what));
          };
          names("add_skills", s_.skills, "skill", step.add_skills);
          names("add_groups", groups_, "agent group", step.add_groups);
          if (o[k]["move_to"]) step.move_to_queue = ref(o[k]["move_to"], of + ".move_to", queues_, "queue");
          const bool widens = !step.add_skills.empty() || !step.add_groups.empty();
          if (widens == (step.move_to_queue != kNone) && (o[k]["move_to"] || !widens))
            r_.problem(o[k], of, "expected add_skills and/or add_groups, or move_to (one kind of step)");
          queue.overflow.push_back(step);
        }
      }
      if (const YAML::Node c = q["callback"]) {
        if (r_.mapping(c, f + ".callback", {"offer_above_wait"})) {
          queue.callback.enabled = true;
          if (c["offer_above_wait"]) queue.callback.offer_above_wait = r_.duration(c["offer_above_wait"], f + ".callback.offer_above_wait", false);
        }
      }
      if (const YAML::Node h = q["hours"]) {
        if (r_.mapping(h, f + ".hours", {"open", "close"})) {
          if (!h["open"] || !h["close"]) {
            r_.problem(h, f + ".hours", "expected both open and close, e.g. {open: \"08:00\", close: \"20:00\"}");
          } else {
            queue.hours = OpenHours{false, r_.clock(h["open"], f + ".hours.open"), r_.clock(h["close"], f + ".hours.close")};
            if (queue.hours.close <= queue.hours.open) r_.problem(h["close"], f + ".hours.close", "expected a closing time after the opening time");
          }
        }
      }
    }
    s_.queues.push_back(queue);
  }
}

void Loader::ivr(const YAML::Node& n) {
  if (!n) return;
  if (!r_.sequence(n, "ivr")) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("ivr", i);
    const YAML::Node y = n[i];
    IvrNode node;
    node.id = nodes_[i];
    s_.ivr.push_back(node);
    const std::size_t problems_before = r_.problems().size();
    doubts_.ivr_nodes.push_back(!y.IsMap());
    if (!y.IsMap()) continue;
    IvrNode& x = s_.ivr.back();
    const std::string type = y["type"] ? y["type"].Scalar() : "";
    auto next = [&](const char* key, int& out, bool required) {
      if (y[key]) out = ref(y[key], f + "." + key, nodes_, "IVR node");
      else if (required) r_.problem(y, f + "." + key, std::string("expected '") + key + "': the id of the node that follows");
    };
    if (type == "prompt") {
      x.kind = IvrKind::prompt;
      r_.mapping(y, f, {"id", "type", "duration", "next"});
      if (y["duration"]) x.duration = r_.duration(y["duration"], f + ".duration", false);
      next("next", x.next, true);
    } else if (type == "menu") {
      x.kind = IvrKind::menu;
      r_.mapping(y, f, {"id", "type", "duration", "options", "timeout", "retries", "on_fail"});
      if (y["duration"]) x.duration = r_.duration(y["duration"], f + ".duration", false);
      if (y["timeout"]) x.timeout = r_.duration(y["timeout"], f + ".timeout", true);
      if (y["retries"]) x.retries = r_.integer(y["retries"], f + ".retries", 0, kIntMax);
      next("on_fail", x.on_fail, true);
      const YAML::Node options = y["options"];
      if (!options || !options.IsMap() || options.size() == 0) {
        r_.problem(options ? options : y, f + ".options", "expected a mapping of digits to node ids, e.g. {\"1\": sales}");
      } else {
        r_.distinct_keys(options, f + ".options");
        for (const auto& kv : options) {
          const std::string key = kv.first.Scalar();
          const std::string of = f + ".options." + key;
          if (key.size() != 1 || std::string("0123456789*#").find(key[0]) == std::string::npos)
            r_.problem(kv.first, of, "expected a single key 0-9, * or #");
          x.options.push_back(MenuOption{key.empty() ? '?' : key[0], ref(kv.second, of, nodes_, "IVR node")});
        }
      }
    } else if (type == "self_service") {
      x.kind = IvrKind::self_service;
      r_.mapping(y, f, {"id", "type", "service_time", "success_probability", "on_fail", "next"});
      if (!y["service_time"]) r_.problem(y, f + ".service_time", "expected how long self-service takes (a distribution)");
      else x.service_time = r_.distribution(y["service_time"], f + ".service_time");
      if (!y["success_probability"]) r_.problem(y, f + ".success_probability", "expected the probability the caller is served");
      else x.success_probability = r_.probability(y["success_probability"], f + ".success_probability");
      next("on_fail", x.on_fail, true);
      next("next", x.next, false);
    } else if (type == "lookup") {
      x.kind = IvrKind::lookup;
      r_.mapping(y, f, {"id", "type", "tag", "priority", "tagged_next", "next"});
      if (!y["tag"]) r_.problem(y, f + ".tag", "expected the tag to look up");
      else x.tag = ref(y["tag"], f + ".tag", s_.tags, "tag");
      if (y["priority"]) x.tagged_priority = ref(y["priority"], f + ".priority", priorities_, "priority class");
      next("tagged_next", x.tagged_next, false);
      next("next", x.next, true);
    } else if (type == "queue") {
      x.kind = IvrKind::queue;
      r_.mapping(y, f, {"id", "type", "queue", "priority"});
      if (!y["queue"]) r_.problem(y, f + ".queue", "expected the queue to send the caller to");
      else x.queue = ref(y["queue"], f + ".queue", queues_, "queue");
      if (y["priority"]) x.priority = ref(y["priority"], f + ".priority", priorities_, "priority class");
    } else if (type == "ticket") {
      x.kind = IvrKind::ticket;
      r_.mapping(y, f, {"id", "type", "category", "next"});
      if (!y["category"]) r_.problem(y, f + ".category", "expected the ticket category");
      else x.category = ref(y["category"], f + ".category", categories_, "ticket category");
      next("next", x.next, true);
    } else if (type == "ticket_status") {
      // The caller's open ticket, looked up by the calling number: a node per
      // open state tells it; no open ticket goes on at no_ticket.
      x.kind = IvrKind::ticket_status;
      r_.mapping(y, f, {"id", "type", "states", "no_ticket"});
      next("no_ticket", x.next, true);
      x.state_next.assign(ticketing::kStatusCount, kNone);
      std::string open_states;
      for (int s = 0; s < ticketing::kStatusCount; ++s)
        if (ticketing::is_open(static_cast<ticketing::Status>(s)))
          open_states += (open_states.empty() ? "" : ", ") + std::string(ticketing::status_name(static_cast<ticketing::Status>(s)));
      const YAML::Node states = y["states"];
      if (!states || !states.IsMap()) {
        r_.problem(states ? states : y, f + ".states", "expected a mapping of each open ticket state (" + open_states + ") to the node that tells it");
      } else {
        r_.distinct_keys(states, f + ".states");
        for (const auto& kv : states) {
          const std::string key = kv.first.Scalar();
          const auto s = ticketing::parse_status(key);
          if (!s || !ticketing::is_open(*s)) {
            r_.problem(kv.first, f + ".states." + key, "expected an open ticket state (" + open_states + "); got '" + key + "'");
            continue;
          }
          x.state_next[static_cast<std::size_t>(*s)] = ref(kv.second, f + ".states." + key, nodes_, "IVR node");
        }
        for (int s = 0; s < ticketing::kStatusCount; ++s) {
          const auto status = static_cast<ticketing::Status>(s);
          if (ticketing::is_open(status) && !states[std::string(ticketing::status_name(status))])
            r_.problem(states, f + ".states." + std::string(ticketing::status_name(status)),
                       "expected the node that tells a caller whose ticket is " + std::string(ticketing::status_name(status)));
        }
      }
    } else if (type == "hangup") {
      x.kind = IvrKind::hangup;
      r_.mapping(y, f, {"id", "type"});
    } else {
      r_.problem(y["type"] ? y["type"] : y, f + ".type",
                 "expected one of prompt, menu, self_service, lookup, queue, ticket, ticket_status, hangup; got '" + type + "'");
    }
    if (r_.problems().size() != problems_before) doubts_.ivr_nodes.back() = true;
  }
}

void Loader::tickets(const YAML::Node& n) {
  if (!n) return;
  if (!r_.sequence(n, "tickets")) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("tickets", i);
    const YAML::Node t = n[i];
    TicketCategory c;
    c.name = categories_[i];
    if (r_.mapping(t, f, {"name", "group", "sla", "work_time", "first_response", "priority", "skill", "senior_group",
                          "routes", "escalate_tags"})) {
      if (!t["group"]) r_.problem(t, f + ".group", "expected the agent group that owns these tickets");
      else c.owner_group = ref(t["group"], f + ".group", groups_, "agent group");
      if (t["sla"]) c.sla = r_.duration(t["sla"], f + ".sla", true);
      if (!t["work_time"]) r_.problem(t, f + ".work_time", "expected the back office's time to resolve (a distribution)");
      else c.work_time = r_.distribution(t["work_time"], f + ".work_time");
      ticket_rules(t, f, c);
    }
    s_.ticket_categories.push_back(c);
  }
}

// The optional work-order fields of a ticket category (docs/tickets.md).
void Loader::ticket_rules(const YAML::Node& t, const std::string& f, TicketCategory& c) {
  auto text_list = [&](const YAML::Node& n, const std::string& field) {
    std::vector<std::string> out;
    if (!r_.sequence(n, field)) return out;
    for (std::size_t k = 0; k < n.size(); ++k) {
      const std::string v = r_.text(n[k], at(field, k));
      if (v.empty()) r_.problem(n[k], at(field, k), "expected a tag (non-empty text)");
      else out.push_back(v);
    }
    return out;
  };
  if (t["first_response"]) {
    c.first_response = r_.duration(t["first_response"], f + ".first_response", true);
    if (c.first_response > c.sla)
      r_.problem(t["first_response"], f + ".first_response", "expected at most the category's sla (a first response comes before the resolution)");
  }
  if (t["priority"]) c.priority = r_.integer(t["priority"], f + ".priority", 1, 5);
  if (t["skill"]) c.skill = ref(t["skill"], f + ".skill", s_.skills, "skill");
  if (t["senior_group"]) c.senior_group = ref(t["senior_group"], f + ".senior_group", groups_, "agent group");
  if (t["escalate_tags"]) c.escalate_tags = text_list(t["escalate_tags"], f + ".escalate_tags");
  const YAML::Node routes = t["routes"];
  if (!routes || !r_.sequence(routes, f + ".routes")) return;
  for (std::size_t k = 0; k < routes.size(); ++k) {
    const std::string rf = at(f + ".routes", k);
    const YAML::Node r = routes[k];
    if (!r_.mapping(r, rf, {"tags", "group", "raise_priority"})) continue;
    TicketRoute route;
    if (!r["tags"]) r_.problem(r, rf + ".tags", "expected the tags a ticket needs to take this route");
    else route.tags = text_list(r["tags"], rf + ".tags");
    if (r["tags"] && r["tags"].IsSequence() && r["tags"].size() == 0)
      r_.problem(r["tags"], rf + ".tags", "expected at least one tag");
    if (r["group"]) route.group = ref(r["group"], rf + ".group", groups_, "agent group");
    if (r["raise_priority"]) route.raise_priority = r_.integer(r["raise_priority"], rf + ".raise_priority", 0, 4);
    if (!r["group"] && !r["raise_priority"])
      r_.problem(r, rf, "expected a group or raise_priority (a route that changes nothing is a mistake)");
    c.routes.push_back(route);
  }
}

// Back-office workers per agent group (docs/scenario.md, back_office): a
// number, one per interval, or shifts summed at each interval's start.
void Loader::back_office(const YAML::Node& n) {
  if (!n) return;
  if (!r_.sequence(n, "back_office")) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("back_office", i);
    const YAML::Node b = n[i];
    BackOfficeGroup bo;
    if (r_.mapping(b, f, {"group", "workers", "shifts"})) {
      if (!b["group"]) r_.problem(b, f + ".group", "expected the agent group whose tickets these workers work");
      else bo.group = ref(b["group"], f + ".group", groups_, "agent group");
      for (const BackOfficeGroup& other : s_.back_office)
        if (bo.group != kNone && other.group == bo.group)
          r_.problem(b["group"], f + ".group", "group '" + groups_[bo.group] + "' already has a back office");
      if (b["workers"].IsDefined() == b["shifts"].IsDefined())
        r_.problem(b, f, "expected either workers (a number, or one per interval) or shifts");
      else if (b["workers"])
        bo.staffing = head_counts(b["workers"], f + ".workers", "workers");
      else if (horizon_ok_ && r_.sequence(b["shifts"], f + ".shifts")) {
        bo.staffing.assign(static_cast<std::size_t>(std::max(1, s_.horizon.intervals())), 0);
        for (std::size_t k = 0; k < b["shifts"].size(); ++k) {
          const std::string sf = at(f + ".shifts", k);
          const YAML::Node sh = b["shifts"][k];
          if (!r_.mapping(sh, sf, {"start", "end", "workers"})) continue;
          if (!sh["start"] || !sh["end"] || !sh["workers"]) {
            r_.problem(sh, sf, "expected start, end (durations from the horizon's start) and workers");
            continue;
          }
          const double start = r_.duration(sh["start"], sf + ".start", false);
          const double end = r_.duration(sh["end"], sf + ".end", true);
          const int workers = r_.integer(sh["workers"], sf + ".workers", 0, 100000);
          if (end <= start) r_.problem(sh["end"], sf + ".end", "expected a time after the shift's start");
          for (std::size_t iv = 0; iv < bo.staffing.size(); ++iv) {
            const double t = static_cast<double>(iv) * s_.horizon.interval;
            if (t >= start && t < end) bo.staffing[iv] += workers;
          }
        }
      }
    }
    s_.back_office.push_back(bo);
  }
  // Every group a ticket can reach needs workers, or its tickets would wait forever unseen.
  for (const BackOfficeGroup& bo : s_.back_office)
    if (bo.group == kNone) return;  // already reported: the check below would only repeat it
  if (s_.back_office.empty()) return;
  auto staffed = [&](int g) {
    for (const BackOfficeGroup& bo : s_.back_office)
      if (bo.group == g) return true;
    return false;
  };
  for (std::size_t c = 0; c < s_.ticket_categories.size(); ++c) {
    const TicketCategory& cat = s_.ticket_categories[c];
    std::vector<int> reach = {cat.owner_group, cat.senior_group};
    for (const TicketRoute& route : cat.routes) reach.push_back(route.group);
    for (int g : reach)
      if (g != kNone && !staffed(g))
        r_.problem(n, "back_office", "expected a back office for agent group '" + groups_[g] + "' (tickets of category '" +
                                         cat.name + "' go to it)");
  }
}

void Loader::agent_logins(const YAML::Node& n) {
  if (!n) return;
  if (!r_.sequence(n, "agent_logins")) return;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("agent_logins", i);
    const YAML::Node a = n[i];
    AgentLogin login;
    if (!r_.mapping(a, f, {"user", "password", "group"})) continue;
    if (!a["user"]) {
      r_.problem(a, f + ".user", "expected the agent's SIP user name");
    } else {
      login.user = r_.text(a["user"], f + ".user");
      if (auto bad = bad_sip_user(login.user)) r_.problem(a["user"], f + ".user", *bad);
      for (const AgentLogin& earlier : s_.agent_logins)
        if (earlier.user == login.user && !login.user.empty()) r_.problem(a["user"], f + ".user", "duplicate user '" + login.user + "'");
    }
    if (!a["password"]) r_.problem(a, f + ".password", "expected the agent's password (digest authentication)");
    else login.password = r_.text(a["password"], f + ".password");
    if (!a["group"]) r_.problem(a, f + ".group", "expected the agent group the agent works in");
    else login.group = ref(a["group"], f + ".group", groups_, "agent group");
    s_.agent_logins.push_back(login);
  }
}

// A validation problem on a field the reading already found wrong (the
// field itself, a part of it, or what it is part of) is a consequence of
// that mistake, not a second one: the value read was a stand-in.
bool Loader::already_reported(const std::string& field) const {
  auto within = [](const std::string& part, const std::string& whole) {
    return whole.compare(0, part.size(), part) == 0 &&
           (whole.size() == part.size() || whole[part.size()] == '.' || whole[part.size()] == '[');
  };
  for (const Problem& p : r_.problems())
    if (!p.field.empty() && (within(p.field, field) || within(field, p.field))) return true;
  return false;
}

std::string Loader::resolve_path(const std::string& path) const {
  const std::filesystem::path p(path);
  return p.is_absolute() ? path : (std::filesystem::path(base_dir_) / p).lexically_normal().string();
}

void Loader::load_replay(ArrivalSpec& spec, const YAML::Node& n, const std::string& field) {
  if (!n["file"]) {
    r_.problem(n, field + ".file", "expected the recorded file to replay");
    return;
  }
  const std::string file = r_.text(n["file"], field + ".file");
  if (file.empty()) return;
  spec.file = resolve_path(file);
  if (spec.kind == ArrivalKind::replay_counts) {
    std::int64_t midnight = 0;
    if (!n["day"] || !parse_date(n["day"].Scalar(), midnight)) {
      r_.problem(n["day"] ? n["day"] : n, field + ".day", "expected the day to replay as YYYY-MM-DD");
      return;
    }
    spec.day = n["day"].Scalar();
    IntervalSeries series;
    try {
      series = read_interval_series(spec.file);
    } catch (const InputError& e) {
      for (const auto& p : e.problems()) r_.problem(n["file"], field + ".file", "in the replayed file: " + p.format());
      return;
    }
    const double origin = static_cast<double>(midnight) + s_.horizon.start_clock;
    bool day_found = false;
    for (std::size_t i = 0; i < series.start.size(); ++i) {
      if (series.start[i] < midnight || series.start[i] >= midnight + 86400) continue;
      day_found = true;
      const double start = static_cast<double>(series.start[i]) - origin;
      if (start < 0 || start >= s_.horizon.length) continue;
      spec.bins.push_back(CountBin{start, static_cast<double>(series.step), std::round(series.calls[i])});
    }
    if (!day_found) {
      const std::string range = series.start.empty() ? "it has no rows"
                                : "it covers " + format_date(series.start.front()) + " to " + format_date(series.start.back());
      r_.problem(n["day"], field + ".day", "the file has no interval of " + spec.day + " (" + range + ")");
    } else if (spec.bins.empty()) {
      r_.problem(n["day"], field + ".day", "none of " + spec.day + "'s intervals falls inside the horizon (" +
                 "from horizon.start for horizon.length)");
    }
  } else {
    std::ifstream in(spec.file);
    if (!in) {
      r_.problem(n["file"], field + ".file", "cannot read '" + spec.file + "'");
      return;
    }
    std::string line;
    int number = 0;
    double last = 0;
    const std::size_t bad_before = problems_in_file_.size();
    while (read_line(in, line)) {
      ++number;
      if (line.empty() || line[0] == '#') continue;
      double t = 0;
      std::istringstream s(line);
      std::string rest;
      if (!(s >> t) || (s >> rest) || t < 0 || t < last || !std::isfinite(t)) {
        problems_in_file_.push_back(Problem{spec.file, number, 1, "timestamp",
                                            "expected seconds since the horizon start, >= 0 and not before the line above; got '" + line + "'"});
        continue;
      }
      last = t;
      if (t < s_.horizon.length) spec.timestamps.push_back(t);
    }
    if (spec.timestamps.empty() && problems_in_file_.size() == bad_before)
      r_.problem(n["file"], field + ".file", "no arrival inside the horizon: expected seconds from 0 to below horizon.length");
  }
}

ArrivalSpec Loader::arrivals(const YAML::Node& n, const std::string& field) {
  ArrivalSpec spec;
  if (!r_.mapping(n, field, {"process", "rate", "rates", "shape", "scale", "file", "day"})) return spec;
  const std::string process = n["process"] ? n["process"].Scalar() : "";
  if (process == "poisson") spec.kind = ArrivalKind::poisson;
  else if (process == "poisson_gamma") spec.kind = ArrivalKind::poisson_gamma;
  else if (process == "deterministic") spec.kind = ArrivalKind::deterministic;
  else if (process == "replay_counts") spec.kind = ArrivalKind::replay_counts;
  else if (process == "replay_timestamps") spec.kind = ArrivalKind::replay_timestamps;
  else {
    r_.problem(n["process"] ? n["process"] : n, field + ".process",
               "expected poisson, poisson_gamma, deterministic, replay_counts or replay_timestamps; got '" + process + "'");
    return spec;
  }
  if (n["scale"]) spec.scale = r_.positive(n["scale"], field + ".scale");
  const bool rated = spec.kind == ArrivalKind::poisson || spec.kind == ArrivalKind::poisson_gamma ||
                     spec.kind == ArrivalKind::deterministic;
  if (rated) {
    if (n["rate"] && n["rates"]) r_.problem(n, field, "expected rate (constant) or rates (one per interval), not both");
    const std::size_t before = r_.problems().size();
    if (n["rate"]) spec.rate_per_hour = per_interval(n["rate"], field + ".rate", 0);
    else if (n["rates"]) spec.rate_per_hour = per_interval(n["rates"], field + ".rates", 0);
    else r_.problem(n, field + ".rate", "expected the arrival rate in calls per hour (rate, or rates per interval)");
    bool any = false;
    for (double v : spec.rate_per_hour) any = any || v > 0;
    if (!spec.rate_per_hour.empty() && !any && r_.problems().size() == before)
      r_.problem(n["rate"] ? n["rate"] : n["rates"], field + (n["rate"] ? ".rate" : ".rates"), "expected a rate above 0 in at least one interval");
  } else if (n["rate"] || n["rates"]) {
    r_.problem(n, field, "a replayed process takes its volumes from the file: no rate");
  }
  if (spec.kind == ArrivalKind::poisson_gamma) {
    if (!n["shape"]) r_.problem(n, field + ".shape", "expected the busyness factor's gamma shape (> 0)");
    else spec.busyness_shape = r_.positive(n["shape"], field + ".shape");
  } else if (n["shape"]) {
    r_.problem(n["shape"], field + ".shape", "only poisson_gamma takes a shape");
  }
  if (spec.kind == ArrivalKind::replay_counts || spec.kind == ArrivalKind::replay_timestamps) load_replay(spec, n, field);
  else if (n["file"] || n["day"]) r_.problem(n, field, "only replay processes take a file or a day");
  return spec;
}

void Loader::call_types(const YAML::Node& n) {
  if (!n || !n.IsSequence() || n.size() == 0) {
    if (n) r_.problem(n, "call_types", "expected a list of at least one call type");
    else r_.problem(root_mark_, "call_types", "expected a list of at least one call type");
    return;
  }
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string f = at("call_types", i);
    const YAML::Node y = n[i];
    CallType t;
    if (!r_.mapping(y, f, {"name", "arrivals", "patience", "handle_time", "entry", "priority", "tags", "redial",
                           "menus", "menu_response", "callback_accept", "dispositions"})) {
      doubts_.entries = true;
      s_.call_types.push_back(t);
      continue;
    }
    if (!y["name"]) r_.problem(y, f + ".name", "expected 'name'");
    else t.name = r_.text(y["name"], f + ".name");
    if (!t.name.empty() && yaml::index_of(seen, t.name) != kNone) r_.problem(y["name"], f + ".name", "duplicate name '" + t.name + "'");
    seen.push_back(t.name);
    if (!y["arrivals"]) r_.problem(y, f + ".arrivals", "expected how calls arrive, e.g. {process: poisson, rate: 120}");
    else t.arrivals = arrivals(y["arrivals"], f + ".arrivals");
    if (y["patience"]) t.patience = r_.distribution(y["patience"], f + ".patience");
    if (!y["handle_time"]) r_.problem(y, f + ".handle_time", "expected the talk time (a distribution)");
    else t.handle_time = r_.distribution(y["handle_time"], f + ".handle_time");
    if (y["handle_time"] && t.handle_time.kind == DistKind::none) r_.problem(y["handle_time"], f + ".handle_time", "expected a talk time, not none");
    const YAML::Node entry = y["entry"];
    if (!entry || !entry.IsMap() || entry.size() != 1 || !(entry["queue"] || entry["ivr"])) {
      r_.problem(entry ? entry : y, f + ".entry", "expected exactly one of {queue: NAME} or {ivr: NODE}");
      doubts_.entries = true;
    } else if (entry["queue"]) {
      t.entry_queue = ref(entry["queue"], f + ".entry.queue", queues_, "queue");
    } else {
      t.entry_node = ref(entry["ivr"], f + ".entry.ivr", nodes_, "IVR node");
      doubts_.entries = doubts_.entries || t.entry_node == kNone;
    }
    if (y["priority"]) t.priority = std::max(0, ref(y["priority"], f + ".priority", priorities_, "priority class"));
    if (const YAML::Node tags = y["tags"]) {
      if (!tags.IsMap()) r_.problem(tags, f + ".tags", "expected a mapping of tag to probability, e.g. {vip: 0.1}");
      else r_.distinct_keys(tags, f + ".tags");
      if (tags.IsMap()) for (const auto& kv : tags) {
        const std::string tf = f + ".tags." + kv.first.Scalar();
        t.tags.push_back(TagProbability{ref(kv.first, tf, s_.tags, "tag"), r_.probability(kv.second, tf)});
      }
    }
    if (const YAML::Node redial = y["redial"]) {
      if (r_.mapping(redial, f + ".redial", {"probability", "delay"})) {
        if (redial["probability"]) t.redial.probability = r_.probability(redial["probability"], f + ".redial.probability");
        if (redial["delay"]) t.redial.delay = r_.distribution(redial["delay"], f + ".redial.delay");
      }
    }
    if (y["menu_response"]) t.menu_response = r_.distribution(y["menu_response"], f + ".menu_response");
    else t.menu_response = Distribution::constant_of(2);
    if (y["callback_accept"]) t.callback_accept = r_.probability(y["callback_accept"], f + ".callback_accept");
    if (const YAML::Node menus = y["menus"]) {
      if (!menus.IsMap()) r_.problem(menus, f + ".menus", "expected a mapping of menu node id to digit probabilities");
      else r_.distinct_keys(menus, f + ".menus");
      if (menus.IsMap()) for (const auto& kv : menus) {
        const std::string mf = f + ".menus." + kv.first.Scalar();
        MenuBehaviour b;
        b.node = ref(kv.first, mf, nodes_, "IVR node");
        const bool is_menu = b.node != kNone && y["menus"] && s_.ivr.size() > static_cast<std::size_t>(b.node) &&
                             s_.ivr[b.node].kind == IvrKind::menu;
        if (b.node != kNone && !is_menu)
          r_.problem(kv.first, mf, "expected the id of a menu node; '" + kv.first.Scalar() + "' is a " + kind_name(s_.ivr[b.node].kind) + " node");
        if (!kv.second.IsMap()) {
          r_.problem(kv.second, mf, "expected digit probabilities, e.g. {\"1\": 0.7, \"2\": 0.25, timeout: 0.05}");
          continue;
        }
        r_.distinct_keys(kv.second, mf);
        double sum = 0;
        for (const auto& choice : kv.second) {
          const std::string key = choice.first.Scalar();
          const std::string cf = mf + "." + key;
          DigitChoice c;
          c.probability = r_.probability(choice.second, cf);
          if (key == "timeout") c.digit = 0;
          else if (key == "invalid") c.digit = '?';
          else if (key.size() == 1) {
            c.digit = key[0];
            bool known = false;
            if (is_menu) for (const auto& o : s_.ivr[b.node].options) known = known || o.digit == c.digit;
            if (is_menu && !known) {
              std::string options;
              for (const auto& o : s_.ivr[b.node].options) options += (options.empty() ? "" : ", ") + std::string(1, o.digit);
              r_.problem(choice.first, cf, "'" + key + "' is not an option of menu '" + kv.first.Scalar() + "' (options: " + options +
                                           "; or timeout, invalid)");
            }
          } else {
            r_.problem(choice.first, cf, "expected a digit, timeout or invalid");
          }
          sum += c.probability;
          b.choices.push_back(c);
        }
        if (std::abs(sum - 1) > 1e-9)
          r_.problem(kv.second, mf, "expected probabilities that sum to 1, got " + sum_text(sum));
        t.menus.push_back(b);
      }
    }
    if (const YAML::Node d = y["dispositions"]) {
      if (r_.sequence(d, f + ".dispositions")) {
        double sum = 0;
        for (std::size_t k = 0; k < d.size(); ++k) {
          const std::string df = at(f + ".dispositions", k);
          Disposition disp;
          if (!r_.mapping(d[k], df, {"ticket", "probability"})) continue;
          if (!d[k]["ticket"]) r_.problem(d[k], df + ".ticket", "expected the ticket category");
          else disp.category = ref(d[k]["ticket"], df + ".ticket", categories_, "ticket category");
          if (!d[k]["probability"]) r_.problem(d[k], df + ".probability", "expected a probability");
          else disp.probability = r_.probability(d[k]["probability"], df + ".probability");
          sum += disp.probability;
          t.dispositions.push_back(disp);
        }
        if (sum > 1 + 1e-9) r_.problem(d, f + ".dispositions", "expected probabilities that sum to at most 1, got " + sum_text(sum));
      }
    }
    s_.call_types.push_back(t);
  }
}

Scenario Loader::load(const YAML::Node& root) {
  if (!root.IsMap()) {
    r_.problem(root, "", "expected a scenario: a mapping with name, horizon, skills, agent_groups, queues, call_types");
    throw InputError(r_.problems());
  }
  r_.mapping(root, "", {"name", "description", "horizon", "targets", "skills", "tags", "priorities", "agent_groups",
                        "queues", "ivr", "tickets", "back_office", "call_types", "platform", "agent_logins"});
  s_.source = r_.file();
  root_mark_ = root.Mark();
  if (!root["name"]) r_.problem(root, "name", "expected the scenario's name");
  else s_.name = r_.text(root["name"], "name");
  if (const YAML::Node d = root["description"]) {
    if (d.IsScalar()) s_.description = d.Scalar();
    else r_.problem(d, "description", "expected text");
  }
  // A present but malformed list is reported by names(); here only its absence or emptiness.
  if (!root["skills"]) r_.problem(root, "skills", "expected a list of at least one skill name");
  else if (root["skills"].IsSequence() && root["skills"].size() == 0)
    r_.problem(root["skills"], "skills", "expected a list of at least one skill name");
  names(root);
  horizon(root["horizon"]);
  targets(root["targets"]);
  priorities(root["priorities"]);
  groups(root["agent_groups"]);
  queues(root["queues"]);
  ivr(root["ivr"]);
  tickets(root["tickets"]);
  back_office(root["back_office"]);
  call_types(root["call_types"]);
  agent_logins(root["agent_logins"]);
  if (root["platform"]) {
    const std::string platform = r_.text(root["platform"], "platform");
    if (!platform.empty()) s_.platform = resolve_path(platform);
  }
  doubts_.horizon = !horizon_ok_;
  for (const Problem& p : validate(s_, doubts_))
    if (!already_reported(p.field)) r_.problem(yaml::locate(root, p.field), p.field, p.message);
  std::vector<Problem> all = r_.problems();
  all.insert(all.end(), problems_in_file_.begin(), problems_in_file_.end());
  if (!all.empty()) throw InputError(all);
  return s_;
}

}  // namespace

Scenario parse_scenario(const std::string& yaml_text, const std::string& source, const std::string& base_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw InputError(Problem{source, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax: " + e.msg});
  }
  Loader loader(source, base_dir);
  try {
    return loader.load(root);
  } catch (const YAML::Exception& e) {
    // A node shape the loader did not foresee: still the user's file at fault, so
    // report it where it is rather than crash, with what was found so far.
    std::vector<Problem> problems = loader.reader().problems();
    const bool known = !e.mark.is_null();
    problems.push_back(Problem{source, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0, "",
                               "unexpected YAML structure: " + e.msg});
    throw InputError(problems);
  }
}

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Problem{path, 0, 0, "", "cannot read the scenario file"});
  std::ostringstream text;
  text << in.rdbuf();
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_scenario(text.str(), path, dir.empty() ? "." : dir);
}

}  // namespace switchboard
