// A recorded or forecast volume series: `timestamp,calls` CSV, one row per
// interval, ISO-8601 timestamps of the interval start on a fixed step.
// Days may be missing (weekends, closed days); inside a day the intervals are
// contiguous. Read by forecasting, staffing and the simulator's replay.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard {

struct IntervalSeries {
  std::string source;                 // file it was read from
  std::int64_t step = 0;              // seconds between consecutive intervals of a day
  std::vector<std::int64_t> start;    // interval starts, seconds since 1970-01-01 (UTC, as written)
  std::vector<double> calls;          // non-negative; may be fractional
};

// Reads and validates a series. Throws InputError naming the file, line and
// field for: a missing or wrong header, a wrong number of fields, a timestamp
// that does not parse, a count that is not a non-negative number, timestamps
// out of order or duplicated, a gap inside a day, an interval off the grid.
IntervalSeries read_interval_series(const std::string& path);

// The same checks on a CSV whose first column is `timestamp` and which has a
// column named `column` among others (e.g. the staffing plan's agents_scheduled).
IntervalSeries read_interval_column(const std::string& path, const std::string& column);

// Writes `timestamp,calls` atomically (temporary file then rename), so a
// failed run never leaves a half-written file behind.
void write_interval_series(const std::string& path, const IntervalSeries& series);

// "2003-03-03T07:05:00Z", "2003-03-03T07:05:00", "2003-03-03 07:05" -> seconds
// since epoch; false when the text is not such a timestamp.
// [first, last) index ranges of `start` where consecutive intervals are
// `step` apart: the days (or other stretches) a series is made of.
std::vector<std::pair<std::size_t, std::size_t>> contiguous_runs(const std::vector<std::int64_t>& start, std::int64_t step);

bool parse_timestamp(std::string_view text, std::int64_t& out);
std::string format_timestamp(std::int64_t seconds);   // "2003-03-03T07:05:00Z"
bool parse_date(std::string_view text, std::int64_t& midnight);  // "YYYY-MM-DD"
std::string format_date(std::int64_t seconds);                   // "YYYY-MM-DD"
int weekday(std::int64_t seconds);                                // 0 = Monday
void civil_date(std::int64_t seconds, int& year, unsigned& month, unsigned& day);  // of the day `seconds` falls in

}  // namespace switchboard
