// SIP agents' logins, from the scenario's `agent_logins` section or a CSV
// file (`user,password,group`), checked the same way: a user name a SIP URI
// can carry, once only; a password; a group of the scenario.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/input_error.hpp"
#include "core/scenario.hpp"

namespace switchboard {

// What is wrong with a login's user name, or nothing: letters, digits and
// "-_.!~*'()&=+$,;?/" (RFC 3261's unreserved and user-unreserved), not empty.
std::optional<std::string> bad_sip_user(const std::string& user);

// Reads FILE: a header `user,password,group`, then one agent per line.
// Every problem (file, line, field, what was expected) at once, as InputError.
std::vector<AgentLogin> read_agent_logins(const std::string& path, const std::vector<AgentGroup>& groups);

}  // namespace switchboard
