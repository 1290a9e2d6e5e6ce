// Reads a scenario YAML file into a Scenario, resolving names to indices,
// loading replayed arrival files, and checking the whole thing. Every problem
// found is reported at once (InputError), each with file:line:column and field.
#pragma once

#include <string>

#include "core/scenario.hpp"

namespace switchboard {

// Throws InputError listing every syntax, schema and semantic problem.
Scenario load_scenario(const std::string& path);

// Same, from text; `source` names it in messages, relative files resolve from `base_dir`.
Scenario parse_scenario(const std::string& yaml_text, const std::string& source,
                        const std::string& base_dir);

}  // namespace switchboard
