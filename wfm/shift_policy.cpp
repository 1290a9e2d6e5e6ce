#include "wfm/shift_policy.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "io/scenario_yaml.hpp"

namespace switchboard::wfm {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const char* kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

}  // namespace

ShiftPolicy load_shift_policy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Problem{path, 0, 0, "", "cannot read the shift policy file"});
  std::ostringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    throw InputError(Problem{path, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax: " + e.msg});
  }
  yaml::Reader r(path);
  ShiftPolicy p;
  if (!r.mapping(root, "", {"name", "days", "starts", "lengths", "breaks", "cost_per_hour", "min_agents", "max_agents",
                            "max_per_shift", "short_penalty", "break_every"}))
    throw InputError(r.problems());
  p.name = root["name"] ? root["name"].Scalar() : "shifts";
  if (const YAML::Node days = root["days"]) {
    if (r.sequence(days, "days"))
      for (std::size_t i = 0; i < days.size(); ++i) {
        const std::string d = days[i].Scalar();
        const auto it = std::find(std::begin(kDayNames), std::end(kDayNames), d);
        if (it == std::end(kDayNames)) r.problem(days[i], "days[" + std::to_string(i) + "]", "expected mon, tue, wed, thu, fri, sat or sun; got '" + d + "'");
        else p.days.push_back(static_cast<int>(it - std::begin(kDayNames)));
      }
  } else {
    p.days = {0, 1, 2, 3, 4, 5, 6};
  }
  const YAML::Node starts = root["starts"];
  if (!starts) {
    r.problem(root, "starts", "expected the allowed start times: a list of \"HH:MM\" or {from: \"07:00\", to: \"12:00\", every: 30m}");
  } else if (starts.IsSequence()) {
    for (std::size_t i = 0; i < starts.size(); ++i) p.starts.push_back(r.clock(starts[i], "starts[" + std::to_string(i) + "]"));
  } else if (r.mapping(starts, "starts", {"from", "to", "every"})) {
    if (!starts["from"] || !starts["to"] || !starts["every"]) {
      r.problem(starts, "starts", "expected from, to and every");
    } else {
      const double from = r.clock(starts["from"], "starts.from"), to = r.clock(starts["to"], "starts.to");
      const double every = r.duration(starts["every"], "starts.every", true);
      if (to < from) r.problem(starts["to"], "starts.to", "expected a time at or after starts.from");
      for (double t = from; t <= to + 1e-9 && every > 0; t += every) p.starts.push_back(t);
    }
  }
  const YAML::Node lengths = root["lengths"];
  if (!lengths || !lengths.IsSequence() || lengths.size() == 0) {
    r.problem(lengths ? lengths : root, "lengths", "expected a list of shift lengths, e.g. [8h, 6h]");
  } else {
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      const double l = r.duration(lengths[i], "lengths[" + std::to_string(i) + "]", true);
      if (l > 24 * 3600) r.problem(lengths[i], "lengths[" + std::to_string(i) + "]", "expected a shift of at most 24h");
      p.lengths.push_back(l);
    }
  }
  if (const YAML::Node breaks = root["breaks"]; breaks && r.sequence(breaks, "breaks")) {
    for (std::size_t i = 0; i < breaks.size(); ++i) {
      const std::string f = "breaks[" + std::to_string(i) + "]";
      const YAML::Node b = breaks[i];
      BreakRule rule;
      if (!r.mapping(b, f, {"length", "paid", "window", "min_shift"})) continue;
      if (!b["length"]) r.problem(b, f + ".length", "expected the break's length");
      else rule.length = r.duration(b["length"], f + ".length", true);
      if (b["paid"]) {
        const std::string v = b["paid"].Scalar();
        if (v != "true" && v != "false") r.problem(b["paid"], f + ".paid", "expected true or false");
        rule.paid = v == "true";
      }
      const YAML::Node w = b["window"];
      if (!w || !r.mapping(w, f + ".window", {"from", "to"}) || !w["from"] || !w["to"]) {
        r.problem(w ? w : b, f + ".window", "expected {from: DURATION, to: DURATION}: when the break may start, after the shift starts");
      } else {
        rule.earliest = r.duration(w["from"], f + ".window.from", false);
        rule.latest = r.duration(w["to"], f + ".window.to", false);
        if (rule.latest < rule.earliest) r.problem(w["to"], f + ".window.to", "expected a time at or after window.from");
      }
      if (b["min_shift"]) rule.min_shift = r.duration(b["min_shift"], f + ".min_shift", false);
      // Each break must fit in every shift it applies to.
      for (double l : p.lengths)
        if (l >= rule.min_shift && rule.latest + rule.length > l)
          r.problem(b, f, "the break can end after a " + std::to_string(static_cast<int>(l / 60)) +
                              "-minute shift: window.to + length must be at most the shift length (use min_shift)");
      p.breaks.push_back(rule);
    }
  }
  if (root["cost_per_hour"]) p.cost_per_hour = r.number(root["cost_per_hour"], "cost_per_hour", 0, kInf);
  if (root["min_agents"]) p.min_agents = r.integer(root["min_agents"], "min_agents", 0, 1000000);
  if (root["max_agents"]) p.max_agents = r.integer(root["max_agents"], "max_agents", 0, 1000000);
  if (root["max_per_shift"]) p.max_per_shift = r.integer(root["max_per_shift"], "max_per_shift", 0, 1000000);
  if (root["break_every"]) p.break_every = r.duration(root["break_every"], "break_every", true);
  if (root["short_penalty"]) p.short_penalty = r.number(root["short_penalty"], "short_penalty", 0, kInf);
  if (p.min_agents > p.max_agents) r.problem(root["min_agents"], "min_agents", "expected at most max_agents");
  const bool past_midnight = std::any_of(p.starts.begin(), p.starts.end(), [&](double s) {
    return std::any_of(p.lengths.begin(), p.lengths.end(), [&](double l) { return s + l > 86400; });
  });
  if (past_midnight) r.problem(root["starts"], "starts", "a shift may not run past midnight: a start plus a length ends after 24:00");
  if (!r.problems().empty()) throw InputError(r.problems());
  return p;
}

}  // namespace switchboard::wfm
