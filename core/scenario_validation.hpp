// Checks across sections, run once every name is resolved: queues nobody can
// serve, IVR nodes no caller reaches, IVR loops with no way out.
#pragma once

#include <yaml-cpp/yaml.h>

#include "core/scenario.hpp"
#include "core/scenario_yaml.hpp"

namespace switchboard {

// Adds a problem to `reader` for each mistake; `root` locates them.
void validate(const Scenario& scenario, const YAML::Node& root, yaml::Reader& reader);

}  // namespace switchboard
