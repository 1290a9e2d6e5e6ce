#include "loadgen/served_scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace switchboard::loadgen {

bool staffing_varies(const Scenario& s) {
  return std::any_of(s.groups.begin(), s.groups.end(), [](const AgentGroup& g) { return g.staffing.size() > 1; });
}

std::string served_scenario_yaml(const std::string& path, int first, int server_interval) {
  YAML::Node root = YAML::LoadFile(path);  // already loaded once: it parses
  for (YAML::Node group : root["agent_groups"]) {
    YAML::Node agents = group["agents"];
    if (!agents.IsSequence() || agents.size() < 2) continue;
    const int n = static_cast<int>(agents.size());
    YAML::Node rotated(YAML::NodeType::Sequence);
    for (int j = 0; j < n; ++j) rotated.push_back(agents[(((j - server_interval + first) % n) + n) % n]);
    group["agents"] = rotated;
  }
  for (YAML::Node type : root["call_types"]) {
    YAML::Node arrivals(YAML::NodeType::Map);
    arrivals["process"] = "poisson";
    arrivals["rate"] = 1;
    type["arrivals"] = arrivals;
  }
  root.remove("platform");
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace switchboard::loadgen
