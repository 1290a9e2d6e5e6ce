// The timestamp,calls reader: dates, and every malformed file with its line.
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "io/interval_series.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {
Problem first_problem(const std::string& text) {
  test::TempDir dir;
  test::write_file(dir / "s.csv", text);
  try {
    read_interval_series((dir / "s.csv").string());
  } catch (const InputError& e) {
    return e.problems().at(0);
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}
}  // namespace

TEST(IntervalSeries, ReadsTheBankData) {
  const auto s = read_interval_series((test::data_dir() / "bank_calls_train.csv").string());
  EXPECT_EQ(s.step, 300);
  EXPECT_EQ(s.start.size(), 21970u);
  EXPECT_EQ(format_timestamp(s.start.front()), "2003-03-03T07:00:00Z");
  EXPECT_EQ(s.calls.front(), 111);
  EXPECT_EQ(weekday(s.start.front()), 0);  // a Monday
}

TEST(IntervalSeries, DatesRoundTrip) {
  std::int64_t t;
  ASSERT_TRUE(parse_timestamp("2024-02-29T23:59:59Z", t));
  EXPECT_EQ(format_timestamp(t), "2024-02-29T23:59:59Z");
  ASSERT_TRUE(parse_timestamp("2003-03-03 07:05", t));
  EXPECT_EQ(format_timestamp(t), "2003-03-03T07:05:00Z");
  EXPECT_FALSE(parse_timestamp("2023-02-29T00:00:00Z", t));
  EXPECT_FALSE(parse_timestamp("2003-03-03T25:00:00Z", t));
  ASSERT_TRUE(parse_timestamp("2003-03-03T07:05Z", t));
  EXPECT_EQ(format_timestamp(t), "2003-03-03T07:05:00Z");
  // The clock part follows parse_clock, with ISO 8601's two-digit hour and a day that ends before 24:00.
  for (const char* bad : {"2003-03-03T7:05:00Z", "2003-03-03T07:5:00", "2003-03-03T24:00:00Z", "2003-03-03T07:05:00ZZ",
                          "2003-03-03T07:05:60", "2003-03-03T07:05:00+01", "2003-03-03T07:05 "})
    EXPECT_FALSE(parse_timestamp(bad, t)) << bad;
  EXPECT_FALSE(parse_date("03/03/2003", t));
}

TEST(IntervalSeries, EveryMalformedFileNamesItsLine) {
  struct Case {
    std::string text;
    int line;
    std::string field, message;
  };
  for (const Case& c : {
           Case{"time,calls\n2003-03-03T07:00:00Z,1\n", 1, "header", "expected the header 'timestamp,calls'"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,1,2\n", 2, "", "expected 2 fields as in the header"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,1\nyesterday,4\n", 3, "timestamp", "expected an ISO timestamp"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,-3\n", 2, "calls", "expected a number of calls >= 0"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,many\n", 2, "calls", "expected a number of calls >= 0"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,1\n2003-03-03T07:05:00Z,1\n2003-03-03T07:05:00Z,1\n", 4, "timestamp", "duplicate of line 3"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,1\n2003-03-03T07:05:00Z,1\n2003-03-03T07:02:00Z,1\n", 4, "timestamp", "out of order"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,1\n2003-03-03T07:05:00Z,1\n2003-03-03T07:15:00Z,1\n", 4, "timestamp", "gap inside a day"},
           Case{"timestamp,calls\n2003-03-03T07:00:00Z,1\n2003-03-03T07:05:00Z,1\n2003-03-04T07:02:00Z,1\n", 4, "timestamp", "off the intraday grid"},
           Case{"", 0, "", "the file is empty"},
       }) {
    const Problem p = first_problem(c.text);
    EXPECT_EQ(p.line, c.line) << c.text;
    EXPECT_EQ(p.field, c.field) << c.text;
    EXPECT_NE(p.message.find(c.message), std::string::npos) << c.text << " -> " << p.message;
  }
}

TEST(IntervalSeries, WriteIsAtomicAndRoundTrips) {
  test::TempDir dir;
  IntervalSeries s;
  s.step = 900;
  std::int64_t t;
  parse_timestamp("2003-03-03T07:00:00Z", t);
  s.start = {t, t + 900};
  s.calls = {12, 12.5};
  write_interval_series((dir / "o.csv").string(), s);
  EXPECT_EQ(test::read_file(dir / "o.csv"), "timestamp,calls\n2003-03-03T07:00:00Z,12\n2003-03-03T07:15:00Z,12.5\n");
  const auto back = read_interval_series((dir / "o.csv").string());
  EXPECT_EQ(back.calls, s.calls);
}
