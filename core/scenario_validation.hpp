// Checks a Scenario, however it was made (read from a file or built in
// code): each field on its own (references that point at nothing,
// probabilities outside 0..1, missing parts; core/scenario_field_checks.cpp)
// and across sections (queues nobody can serve, IVR nodes no caller
// reaches, IVR loops with no way out). Each problem names the field path
// (e.g. "queues[2].skill") and what was expected; the file, line and column
// are left for whoever knows them (the YAML loader fills them in).
#pragma once

#include <vector>

#include "core/input_error.hpp"
#include "core/scenario.hpp"

namespace switchboard {

// Parts the loader already found wrong. A reference that did not resolve is
// kNone in the Scenario and would look like a missing link, so checks that
// follow links skip what is doubtful rather than report a consequence of a
// mistake already reported. A scenario built in code has no doubts.
struct ValidationDoubts {
  std::vector<bool> ivr_nodes;   // per IVR node: a problem was reported inside it
  bool entries = false;          // some call type's entry did not resolve
  bool group_skills = false;     // some agent group's skill did not resolve
  bool horizon = false;          // the horizon did not parse: per-interval lists are not measured against it
};

// The nodes a caller may go to from `n` (kNone entries included): the one
// walk of the IVR graph, shared with staffing (wfm/scenario_demand.cpp).
std::vector<int> ivr_successors(const IvrNode& n);

// Every mistake found, each with its field path and message; empty when the
// scenario is sound.
std::vector<Problem> validate(const Scenario& scenario, const ValidationDoubts& doubts = {});

}  // namespace switchboard
