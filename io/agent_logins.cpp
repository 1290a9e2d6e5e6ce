#include "io/agent_logins.hpp"

#include <algorithm>
#include <fstream>
#include <set>

#include "io/csv_line.hpp"
#include "io/text_line.hpp"

namespace switchboard {

std::optional<std::string> bad_sip_user(const std::string& user) {
  static const std::string kAllowed = "-_.!~*'()&=+$,;?/";
  if (user.empty()) return "expected a SIP user name, got nothing";
  for (char c : user) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    kAllowed.find(c) != std::string::npos;
    if (!ok) return "expected a SIP user name (letters, digits, " + kAllowed + "), got '" + user + "'";
  }
  return std::nullopt;
}

namespace {

std::string known_groups(const std::vector<AgentGroup>& groups) {
  std::string out;
  for (const auto& g : groups) out += (out.empty() ? "" : ", ") + g.name;
  return out;
}

}  // namespace

std::vector<AgentLogin> read_agent_logins(const std::string& path, const std::vector<AgentGroup>& groups) {
  std::ifstream in(path);
  if (!in) throw InputError(Problem{path, 0, 0, "", "cannot read the agent logins file"});
  std::vector<AgentLogin> logins;
  std::vector<Problem> problems;
  std::set<std::string> users;
  std::string line;
  int number = 0;
  auto problem = [&](const std::string& field, const std::string& message) {
    problems.push_back(Problem{path, number, 0, field, message});
  };
  while (read_line(in, line)) {
    ++number;
    if (number == 1) {
      if (line != "user,password,group") problem("header", "expected 'user,password,group', got '" + line + "'");
      continue;
    }
    if (line.empty()) continue;
    const std::vector<std::string_view> f = split_csv_line(line);
    if (f.size() != 3) {
      problem("", "expected 3 fields (user,password,group), got " + std::to_string(f.size()));
      continue;
    }
    AgentLogin login{std::string(f[0]), std::string(f[1]), kNone};
    if (auto bad = bad_sip_user(login.user)) problem("user", *bad);
    else if (!users.insert(login.user).second) problem("user", "duplicate user '" + login.user + "'");
    if (login.password.empty()) problem("password", "expected a password, got nothing");
    const auto g = std::find_if(groups.begin(), groups.end(), [&](const AgentGroup& x) { return x.name == f[2]; });
    if (g == groups.end()) problem("group", "unknown group '" + std::string(f[2]) + "' (known: " + known_groups(groups) + ")");
    else login.group = static_cast<int>(g - groups.begin());
    logins.push_back(login);
  }
  if (number == 0) problem("header", "expected 'user,password,group', got an empty file");
  if (!problems.empty()) throw InputError(problems);
  return logins;
}

}  // namespace switchboard
