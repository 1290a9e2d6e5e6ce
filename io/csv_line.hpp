// One line of the project's CSV inputs (interval series, agent logins):
// plain comma-separated cells, no quoting.
#pragma once

#include <string_view>
#include <vector>

namespace switchboard {

// The cells of `line`; "a,,b" has three, "a," two (the last empty).
inline std::vector<std::string_view> split_csv_line(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t from = 0;
  for (std::size_t at; (at = line.find(',', from)) != std::string_view::npos; from = at + 1) out.push_back(line.substr(from, at - from));
  out.push_back(line.substr(from));
  return out;
}

}  // namespace switchboard
