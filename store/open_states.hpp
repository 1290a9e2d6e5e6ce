// The open states (core's ticketing::is_open: still work to do) as an SQL
// condition on the tickets' `state` column, spelled as a list rather than
// NOT IN the closed ones so that the state index serves it: the backlog is
// read without scanning the tickets that are done.
#pragma once

#include <string>

namespace switchboard::store {

const std::string& open_states_condition();  // "state IN ('new', ...)"

}  // namespace switchboard::store
