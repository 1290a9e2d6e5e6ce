// Checks across sections, run once every name is resolved: queues nobody can
// serve, IVR nodes no caller reaches, IVR loops with no way out.
#pragma once

#include <yaml-cpp/yaml.h>

#include <vector>

#include "core/scenario.hpp"
#include "core/scenario_yaml.hpp"

namespace switchboard {

// Parts the loader already found wrong. A reference that did not resolve is
// kNone in the Scenario and would look like a missing link, so checks that
// follow links skip what is doubtful rather than report a consequence of a
// mistake already reported.
struct ValidationDoubts {
  std::vector<bool> ivr_nodes;   // per IVR node: a problem was reported inside it
  bool entries = false;          // some call type's entry did not resolve
  bool group_skills = false;     // some agent group's skill did not resolve
};

// The nodes a caller may go to from `n` (kNone entries included): the one
// walk of the IVR graph, shared with staffing (wfm/scenario_demand.cpp).
std::vector<int> ivr_successors(const IvrNode& n);

// Adds a problem to `reader` for each mistake; `root` locates them.
void validate(const Scenario& scenario, const YAML::Node& root, yaml::Reader& reader, const ValidationDoubts& doubts);

}  // namespace switchboard
