#include "io/clock_text.hpp"

namespace switchboard {

std::optional<double> parse_clock(std::string_view s) {
  // Parsed by hand: sscanf would accept signs, spaces and trailing text ("8:00pm").
  auto digits = [&](std::size_t from, std::size_t count, int& out) {
    if (from + count > s.size()) return false;
    out = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int h = 0, m = 0, sec = 0;
  const std::size_t hour_digits = s.size() > 1 && s[1] == ':' ? 1 : 2;
  const std::size_t rest = hour_digits + 3;  // ":MM"
  bool ok = digits(0, hour_digits, h) && s.size() > hour_digits && s[hour_digits] == ':' && digits(hour_digits + 1, 2, m);
  if (ok && s.size() == rest + 3) ok = s[rest] == ':' && digits(rest + 1, 2, sec);
  else if (ok) ok = s.size() == rest;
  if (!ok || m >= 60 || sec >= 60) return std::nullopt;
  return h * 3600.0 + m * 60.0 + sec;
}

}  // namespace switchboard
