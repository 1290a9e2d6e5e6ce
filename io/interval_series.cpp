#include "io/interval_series.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/input_error.hpp"
#include "io/atomic_file.hpp"
#include "io/clock_text.hpp"
#include "io/csv_line.hpp"
#include "io/text_line.hpp"

namespace switchboard {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

bool valid_date(int y, unsigned m, unsigned d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

constexpr std::int64_t kDay = 86400;

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> contiguous_runs(const std::vector<std::int64_t>& start, std::int64_t step) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t first = 0; first < start.size();) {
    std::size_t last = first + 1;
    while (last < start.size() && start[last] - start[last - 1] == step) ++last;
    runs.emplace_back(first, last);
    first = last;
  }
  return runs;
}

bool parse_date(std::string_view text, std::int64_t& midnight) {
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, y) || !digits(text, 5, 2, m) ||
      !digits(text, 8, 2, d) || !valid_date(y, m, d))
    return false;
  midnight = days_from_civil(y, m, d) * kDay;
  return true;
}

bool parse_timestamp(std::string_view text, std::int64_t& out) {
  std::int64_t midnight;
  if (text.size() < 16 || !parse_date(text.substr(0, 10), midnight) || (text[10] != 'T' && text[10] != ' ')) return false;
  std::string_view time = text.substr(11);
  if (time.back() == 'Z') time.remove_suffix(1);
  // The clock's one parser; ISO 8601 writes the hour with two digits, and a day ends before 24:00.
  const std::optional<double> t = time.size() > 2 && time[2] == ':' ? parse_clock(time) : std::nullopt;
  if (!t || *t >= kDay) return false;
  out = midnight + static_cast<std::int64_t>(*t);
  return true;
}

std::string format_date(std::int64_t seconds) {
  int y;
  unsigned m, d;
  civil_from_days(seconds >= 0 ? seconds / kDay : (seconds - kDay + 1) / kDay, y, m, d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string format_timestamp(std::int64_t seconds) {
  const std::int64_t day = seconds >= 0 ? seconds / kDay : (seconds - kDay + 1) / kDay;
  const std::int64_t t = seconds - day * kDay;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", format_date(seconds).c_str(), static_cast<int>(t / 3600),
                static_cast<int>(t / 60 % 60), static_cast<int>(t % 60));
  return buf;
}

void civil_date(std::int64_t seconds, int& year, unsigned& month, unsigned& day) {
  civil_from_days(seconds >= 0 ? seconds / kDay : (seconds - kDay + 1) / kDay, year, month, day);
}

int weekday(std::int64_t seconds) {
  const std::int64_t day = seconds >= 0 ? seconds / kDay : (seconds - kDay + 1) / kDay;
  return static_cast<int>(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
}

IntervalSeries read_interval_series(const std::string& path) { return read_interval_column(path, "calls"); }

IntervalSeries read_interval_column(const std::string& path, const std::string& column) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(Problem{path, 0, 0, "", "cannot read the file"});
  IntervalSeries series;
  series.source = path;
  std::vector<Problem> problems;
  auto fail = [&](int line, int column, const std::string& field, const std::string& message) {
    problems.push_back(Problem{path, line, column, field, message});
  };
  std::string line;
  int number = 0;
  std::size_t value_column = 0, fields = 0;
  std::vector<int> lines;  // line of each row, for messages about order
  while (read_line(in, line)) {
    ++number;
    if (number == 1) {
      const auto names = split_csv_line(line);
      for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == column) value_column = i;
      fields = names.size();
      if (names.empty() || names[0] != "timestamp" || value_column == 0)
        fail(1, 1, "header", "expected the header 'timestamp," + column + "'" + (column == "calls" ? "" : " (other columns may follow)") +
                                 ", got '" + line + "'");
      continue;
    }
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    if (cells.size() != fields || value_column == 0) {
      if (value_column != 0)
        fail(number, 1, "", "expected " + std::to_string(fields) + " fields as in the header, got '" + line + "'");
      continue;
    }
    std::size_t comma = 0;  // column of the value, for messages
    for (std::size_t i = 0; i < value_column; ++i) comma += cells[i].size() + 1;
    --comma;
    const std::string_view ts = cells[0];
    const std::string_view calls = cells[value_column];
    std::int64_t t = 0;
    if (!parse_timestamp(ts, t)) {
      fail(number, 1, "timestamp", "expected an ISO timestamp such as 2003-03-03T07:05:00Z, got '" + std::string(ts) + "'");
      continue;
    }
    double c = 0;
    const auto r = std::from_chars(calls.data(), calls.data() + calls.size(), c);
    if (calls.empty() || r.ec != std::errc() || r.ptr != calls.data() + calls.size() || !std::isfinite(c) || c < 0) {
      fail(number, static_cast<int>(comma) + 2, column, "expected a number of " + column + " >= 0, got '" + std::string(calls) + "'");
      continue;
    }
    series.start.push_back(t);
    series.calls.push_back(c);
    lines.push_back(number);
  }
  if (number == 0) fail(0, 0, "", "the file is empty: expected 'timestamp,calls' and one row per interval");
  else if (series.start.empty() && problems.empty()) fail(number, 0, "", "expected at least one interval after the header");
  // The step: the first gap between two rows of the same day.
  for (std::size_t i = 1; i < series.start.size() && series.step == 0; ++i) {
    const auto gap = series.start[i] - series.start[i - 1];
    if (gap > 0 && series.start[i] / kDay == series.start[i - 1] / kDay) series.step = gap;
  }
  if (series.step == 0) series.step = series.start.size() == 1 ? kDay : 0;
  for (std::size_t i = 1; i < series.start.size() && problems.empty(); ++i) {
    const auto prev = series.start[i - 1], cur = series.start[i];
    if (cur == prev) {
      fail(lines[i], 1, "timestamp", "duplicate of line " + std::to_string(lines[i - 1]) + " (" + format_timestamp(cur) + ")");
    } else if (cur < prev) {
      fail(lines[i], 1, "timestamp", "out of order: before line " + std::to_string(lines[i - 1]) + " (" + format_timestamp(prev) + ")");
    } else if (series.step > 0 && (cur - series.start[0]) % series.step != 0 && cur / kDay == prev / kDay) {
      fail(lines[i], 1, "timestamp", "off the " + std::to_string(series.step) + " s grid of the rows above");
    } else if (series.step > 0 && cur / kDay == prev / kDay && cur - prev != series.step) {
      fail(lines[i], 1, "timestamp", "gap inside a day: expected " + format_timestamp(prev + series.step) + " after line " +
                                         std::to_string(lines[i - 1]));
    } else if (series.step > 0 && ((cur % kDay) - (series.start[0] % kDay)) % series.step != 0) {
      fail(lines[i], 1, "timestamp", "off the intraday grid of the first day (every " + std::to_string(series.step) + " s from " +
                                         format_timestamp(series.start[0]).substr(11, 8) + ")");
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return series;
}

void write_interval_series(const std::string& path, const IntervalSeries& series) {
  std::string text = "timestamp,calls\n";
  char buf[64];
  for (std::size_t i = 0; i < series.start.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.6f", series.calls[i]);
    std::string calls = buf;
    calls.erase(calls.find_last_not_of('0') + 1);
    if (calls.back() == '.') calls.pop_back();
    text += format_timestamp(series.start[i]) + "," + calls + "\n";
  }
  write_file_atomically(path, text);
}

}  // namespace switchboard
