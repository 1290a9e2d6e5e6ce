#include "io/scenario_yaml.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "io/clock_text.hpp"

namespace switchboard::yaml {

namespace {

bool parse_double(const std::string& text, double& out) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  const auto r = std::from_chars(begin, end, out);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(out);
}

std::string format_bound(double v) {
  if (v == std::numeric_limits<double>::infinity()) return "";
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

int index_of(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return kNone;
}

std::string known_list(const std::vector<std::string>& names) {
  if (names.empty()) return "none are defined";
  std::string out = "known: ";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

YAML::Node locate(const YAML::Node& root, const std::string& field) {
  YAML::Node at;
  at.reset(root);  // reset, not =: assigning a Node writes through to the node it refers to
  std::size_t from = 0;
  while (from < field.size()) {
    const YAML::Node& here = at;  // const lookups: a missing key or index is not added
    YAML::Node next;
    if (field[from] == '[') {
      const std::size_t close = field.find(']', from);
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(field.data() + from + 1, field.data() + std::min(close, field.size()), index);
      if (close == std::string::npos || ec != std::errc() || end != field.data() + close || !here.IsSequence() ||
          index >= here.size())
        break;
      next.reset(here[index]);
      from = close + 1;
    } else {
      if (field[from] == '.') ++from;
      const std::size_t end = field.find_first_of(".[", from);
      const std::string key = field.substr(from, end == std::string::npos ? std::string::npos : end - from);
      if (!here.IsMap()) break;
      next.reset(here[key]);
      if (!next.IsDefined()) break;
      from = end == std::string::npos ? field.size() : end;
    }
    at.reset(next);
  }
  return at;
}

void Reader::problem(const YAML::Mark& at, const std::string& field, const std::string& message) {
  const bool known = at.line >= 0 && !at.is_null();
  problems_.push_back(Problem{file_, known ? at.line + 1 : 0, known ? at.column + 1 : 0, field, message});
}

void Reader::problem(const YAML::Node& at, const std::string& field, const std::string& message) {
  problem(at.Mark(), field, message);
}

void Reader::distinct_keys(const YAML::Node& node, const std::string& field) {
  if (!node.IsMap()) return;
  // yaml-cpp keeps both entries of a repeated key and lookups see the first:
  // a second `arrivals:` would be silently ignored.
  std::vector<std::string> seen;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (index_of(seen, key) != kNone)
      problem(kv.first, field.empty() ? key : field + "." + key, "duplicate key '" + key + "'");
    seen.push_back(key);
  }
}

bool Reader::mapping(const YAML::Node& node, const std::string& field, std::initializer_list<const char*> allowed) {
  if (!node.IsMap()) {
    problem(node, field, "expected a mapping of keys to values");
    return false;
  }
  distinct_keys(node, field);
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    bool ok = false;
    for (const char* a : allowed) ok = ok || key == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      problem(kv.first, field.empty() ? key : field + "." + key, "unknown key '" + key + "' (allowed: " + list + ")");
    }
  }
  return true;
}

bool Reader::sequence(const YAML::Node& node, const std::string& field) {
  if (!node.IsSequence()) {
    problem(node, field, "expected a list");
    return false;
  }
  return true;
}

std::string Reader::text(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    problem(node, field, "expected a non-empty name");
    return {};
  }
  return node.Scalar();
}

double Reader::number(const YAML::Node& node, const std::string& field, double min, double max) {
  double v = 0;
  const std::string range = "a number from " + format_bound(min) + (max == std::numeric_limits<double>::infinity() ? " up" : " to " + format_bound(max));
  if (!node.IsScalar() || !parse_double(node.Scalar(), v)) {
    problem(node, field, "expected " + range);
    return min;
  }
  if (v < min || v > max) {
    problem(node, field, "expected " + range + ", got " + node.Scalar());
    return min;
  }
  return v;
}

int Reader::integer(const YAML::Node& node, const std::string& field, int min, int max) {
  int v = 0;
  const std::string& s = node.IsScalar() ? node.Scalar() : std::string();
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  const std::string range = "a whole number from " + std::to_string(min) + (max == std::numeric_limits<int>::max() ? " up" : " to " + std::to_string(max));
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    problem(node, field, "expected " + range);
    return min;
  }
  if (v < min || v > max) {
    problem(node, field, "expected " + range + ", got " + s);
    return min;
  }
  return v;
}

double Reader::duration(const YAML::Node& node, const std::string& field, bool positive) {
  const std::string expected = std::string("expected a duration") + (positive ? " > 0" : " >= 0") +
                               ", a number of seconds or a string such as 250ms, 20s, 5m, 1.5h, 1d";
  if (!node.IsScalar()) {
    problem(node, field, expected);
    return positive ? 1 : 0;
  }
  std::string s = node.Scalar();
  double factor = 1;
  struct Unit {
    const char* suffix;
    double seconds;
  };
  for (const Unit& u : {Unit{"ms", 0.001}, Unit{"min", 60}, Unit{"s", 1}, Unit{"m", 60}, Unit{"h", 3600}, Unit{"d", 86400}}) {
    const std::string suffix = u.suffix;
    if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
      s.resize(s.size() - suffix.size());
      factor = u.seconds;
      break;
    }
  }
  double v = 0;
  if (!parse_double(s, v) || v < 0 || (positive && v == 0)) {
    problem(node, field, expected + ", got " + node.Scalar());
    return positive ? 1 : 0;
  }
  return v * factor;
}

double Reader::positive(const YAML::Node& node, const std::string& field) {
  double v = 0;
  if (!node.IsScalar() || !parse_double(node.Scalar(), v) || v <= 0) {
    problem(node, field, "expected a number > 0" + (node.IsScalar() ? ", got " + node.Scalar() : std::string()));
    return 1;
  }
  return v;
}

double Reader::clock(const YAML::Node& node, const std::string& field) {
  const std::string s = node.IsScalar() ? node.Scalar() : std::string();
  const std::optional<double> t = parse_clock(s);
  // 24:00 is allowed as the end of a day (a closing time).
  if (!t || *t > 86400) {
    problem(node, field, "expected a clock time HH:MM or HH:MM:SS, got '" + s + "'");
    return 0;
  }
  return *t;
}

Distribution Reader::distribution(const YAML::Node& node, const std::string& field) {
  Distribution d;
  if (node.IsScalar()) {
    if (node.Scalar() == "none") return d;
    d.kind = DistKind::constant;
    d.value = duration(node, field, false);
    return d;
  }
  if (!node.IsMap() || !node["dist"]) {
    problem(node, field, "expected a distribution such as {dist: exponential, mean: 30s}, a duration, or none");
    return Distribution::constant_of(0);
  }
  const std::string kind = node["dist"].Scalar();
  auto positive = [&](const char* key) {
    if (!node[key]) {
      problem(node, field + "." + key, std::string("expected '") + key + "' for the " + kind + " distribution");
      return 1.0;
    }
    return duration(node[key], field + "." + key, true);
  };
  if (kind == "none") {
    mapping(node, field, {"dist"});
  } else if (kind == "constant") {
    mapping(node, field, {"dist", "value"});
    d.kind = DistKind::constant;
    if (!node["value"]) problem(node, field + ".value", "expected 'value' for a constant distribution");
    else d.value = duration(node["value"], field + ".value", false);
  } else if (kind == "exponential") {
    mapping(node, field, {"dist", "mean"});
    d.kind = DistKind::exponential;
    d.mean = positive("mean");
  } else if (kind == "lognormal" || kind == "gamma") {
    mapping(node, field, {"dist", "mean", "sd"});
    d.kind = kind == "gamma" ? DistKind::gamma : DistKind::lognormal;
    d.mean = positive("mean");
    d.sd = positive("sd");
  } else if (kind == "weibull") {
    mapping(node, field, {"dist", "shape", "scale"});
    d.kind = DistKind::weibull;
    d.shape = node["shape"] ? this->positive(node["shape"], field + ".shape")
                            : (problem(node, field + ".shape", "expected 'shape' for the weibull distribution"), 1.0);
    d.scale = positive("scale");
  } else if (kind == "empirical") {
    mapping(node, field, {"dist", "values"});
    d.kind = DistKind::empirical;
    const YAML::Node values = node["values"];
    if (!values || !values.IsSequence() || values.size() == 0) {
      problem(values ? values : node, field + ".values", "expected a non-empty list of observed durations");
      d.samples = {0};
    } else {
      for (std::size_t i = 0; i < values.size(); ++i)
        d.samples.push_back(duration(values[i], field + ".values[" + std::to_string(i) + "]", false));
    }
  } else {
    problem(node["dist"], field + ".dist",
            "expected one of none, constant, exponential, lognormal, gamma, weibull, empirical; got '" + kind + "'");
    return Distribution::constant_of(0);
  }
  return d;
}

}  // namespace switchboard::yaml
