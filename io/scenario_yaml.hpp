// Reading typed values out of YAML nodes with problems collected, not thrown:
// each reader records a Problem (file:line:column, field path, what was
// expected) and returns a harmless default, so one pass reports every
// mistake in a file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/scenario.hpp"

namespace switchboard::yaml {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void problem(const YAML::Node& at, const std::string& field, const std::string& message);
  void problem(const YAML::Mark& at, const std::string& field, const std::string& message);
  const std::vector<Problem>& problems() const { return problems_; }
  const std::string& file() const { return file_; }

  // Unknown keys in a mapping are mistakes (typos); lists the allowed ones.
  bool mapping(const YAML::Node& node, const std::string& field, std::initializer_list<const char*> allowed);
  bool sequence(const YAML::Node& node, const std::string& field);
  // For mappings whose keys are names (skill levels, tags, menu digits): reports repeated keys.
  void distinct_keys(const YAML::Node& node, const std::string& field);

  std::string text(const YAML::Node& node, const std::string& field);
  double number(const YAML::Node& node, const std::string& field, double min, double max);
  double probability(const YAML::Node& node, const std::string& field) { return number(node, field, 0, 1); }
  // A number strictly above 0 (weights, shapes, scales): a range from a tiny
  // epsilon would print as "from 0" and mislead.
  double positive(const YAML::Node& node, const std::string& field);
  int integer(const YAML::Node& node, const std::string& field, int min, int max);
  // A number of seconds, or "250ms", "20s", "5m"/"5min", "1.5h", "1d". `positive`: > 0, else >= 0.
  double duration(const YAML::Node& node, const std::string& field, bool positive);
  // "HH:MM" or "HH:MM:SS" -> seconds after midnight.
  double clock(const YAML::Node& node, const std::string& field);
  // {dist: ..., ...} or a plain number/duration (constant).
  Distribution distribution(const YAML::Node& node, const std::string& field);

 private:
  std::string file_;
  std::vector<Problem> problems_;
};

// The node a field path such as "queues[2].overflow[0].after" or
// "call_types[0].menus.main" names under `root`: the deepest part of the path
// that exists (so a missing key is located at the mapping that lacks it).
YAML::Node locate(const YAML::Node& root, const std::string& field);

// "name 'x' is unknown (known: a, b)" helper: index of `name` in `names` or kNone.
int index_of(const std::vector<std::string>& names, const std::string& name);
std::string known_list(const std::vector<std::string>& names);

}  // namespace switchboard::yaml
