// validate()'s field-by-field checks (core/scenario_field_checks.cpp); the
// cross-section ones are in core/scenario_validation.cpp.
#pragma once

#include <vector>

#include "core/input_error.hpp"
#include "core/scenario.hpp"
#include "core/scenario_validation.hpp"

namespace switchboard {

// Adds a problem to `out` for each mistake; false when some reference points
// outside its list (kNone is not outside: it means "none").
bool check_fields(const Scenario& scenario, const ValidationDoubts& doubts, std::vector<Problem>& out);

}  // namespace switchboard
