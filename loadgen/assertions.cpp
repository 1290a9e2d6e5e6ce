#include "loadgen/assertions.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace switchboard::loadgen {

namespace {

[[noreturn]] void bad(const std::string& text, const std::string& expected) {
  throw InputError(Problem{"", 0, 0, "--assert", "'" + text + "': expected " + expected});
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const char* symbol(Comparison op) {
  switch (op) {
    case Comparison::less: return "<";
    case Comparison::less_equal: return "<=";
    case Comparison::greater: return ">";
    case Comparison::greater_equal: return ">=";
    case Comparison::equal: return "==";
    case Comparison::not_equal: return "!=";
  }
  return "?";
}

}  // namespace

const std::vector<std::string>& assertable_metrics() {
  static const std::vector<std::string> names = {
      "failed_calls", "placed_calls",  "invite_p50_ms", "invite_p90_ms", "invite_p95_ms", "invite_p99_ms", "invite_max_ms",
      "offered",      "handled",       "abandoned",     "contained",     "sl",            "asa",           "abandon_rate"};
  return names;
}

bool per_queue(const std::string& metric) {
  return metric == "offered" || metric == "handled" || metric == "abandoned" || metric == "sl" || metric == "asa" ||
         metric == "abandon_rate";
}

Assertion parse_assertion(const std::string& text, const Scenario& scenario) {
  Assertion a;
  a.text = text;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  skip_space();
  const std::size_t name_start = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  a.metric = text.substr(name_start, i - name_start);
  const auto& known = assertable_metrics();
  if (std::find(known.begin(), known.end(), a.metric) == known.end())
    bad(text, "a metric (" + join(known) + ") then an operator and a number, e.g. sl>=0.8");
  skip_space();
  if (i < text.size() && text[i] == '{') {
    const auto close = text.find('}', i);
    if (close == std::string::npos) bad(text, "'}' closing the labels");
    const std::string label = text.substr(i + 1, close - i - 1);
    const auto eq = label.find('=');
    if (eq == std::string::npos || label.substr(0, eq) != "queue") bad(text, "the label queue=NAME, e.g. sl{queue=billing}>=0.9");
    a.queue = label.substr(eq + 1);
    if (!a.queue.empty() && a.queue.front() == '"' && a.queue.back() == '"' && a.queue.size() >= 2)
      a.queue = a.queue.substr(1, a.queue.size() - 2);
    std::vector<std::string> queues;
    for (const auto& q : scenario.queues) queues.push_back(q.name);
    if (std::find(queues.begin(), queues.end(), a.queue) == queues.end()) bad(text, "a queue of the scenario (" + join(queues) + ")");
    if (!per_queue(a.metric)) bad(text, "no {queue=...} on " + a.metric + " (per queue: offered, handled, abandoned, sl, asa, abandon_rate)");
    i = close + 1;
    skip_space();
  }
  static const std::pair<const char*, Comparison> kOps[] = {{"<=", Comparison::less_equal}, {">=", Comparison::greater_equal},
                                                             {"==", Comparison::equal},      {"!=", Comparison::not_equal},
                                                             {"<", Comparison::less},        {">", Comparison::greater}};
  bool found = false;
  for (const auto& [sym, op] : kOps) {
    if (text.compare(i, std::char_traits<char>::length(sym), sym) == 0) {
      a.op = op;
      i += std::char_traits<char>::length(sym);
      found = true;
      break;
    }
  }
  if (!found) bad(text, "an operator (<, <=, >, >=, ==, !=) after " + a.metric);
  skip_space();
  const std::string number = text.substr(i);
  char* end = nullptr;
  a.threshold = std::strtod(number.c_str(), &end);
  while (end != nullptr && *end != 0 && std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (number.empty() || end == number.c_str() || *end != 0 || !std::isfinite(a.threshold))
    bad(text, "a number after the operator, got '" + number + "'");
  return a;
}

Verdict check(const Assertion& a, const std::function<std::optional<double>(const std::string&, const std::string&)>& measure) {
  Verdict v;
  v.measured = measure(a.metric, a.queue);
  if (!v.measured) {
    v.message = a.text + ": not measured by this run";
    return v;
  }
  const double x = *v.measured, t = a.threshold;
  switch (a.op) {
    case Comparison::less: v.passed = x < t; break;
    case Comparison::less_equal: v.passed = x <= t; break;
    case Comparison::greater: v.passed = x > t; break;
    case Comparison::greater_equal: v.passed = x >= t; break;
    case Comparison::equal: v.passed = x == t; break;
    case Comparison::not_equal: v.passed = x != t; break;
  }
  if (v.passed) {
    v.message = fmt::format("{}: holds ({:g})", a.text, x);
  } else {
    const bool above = x > t;
    v.message = a.op == Comparison::not_equal
                    ? fmt::format("{}: missed: measured {:g}, equal to the threshold", a.text, x)
                    : fmt::format("{}: missed: measured {:g}, {:g} {} the threshold {} {:g}", a.text, x, std::fabs(x - t),
                                  above ? "above" : "below", symbol(a.op), t);
  }
  return v;
}

}  // namespace switchboard::loadgen
