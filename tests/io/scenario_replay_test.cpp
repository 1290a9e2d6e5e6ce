// Replayed arrivals: a day of a `timestamp,calls` CSV placed on the horizon,
// and a list of arrival instants, both read relative to the scenario file.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using test::TempDir;
using test::write_file;

namespace {

// Line 9 holds the arrivals; problems there are at known columns.
std::string scenario(const std::string& horizon, const std::string& arrivals) {
  return "name: replay\n"
         "horizon: " + horizon + "\n"
         "skills: [general]\n"
         "agent_groups:\n"
         "  - {name: agents, skills: [general], agents: 5}\n"
         "queues:\n"
         "  - {name: main, skill: general}\n"
         "call_types:\n"
         "  - {name: calls, arrivals: " + arrivals + ", handle_time: 4m, entry: {queue: main}}\n";
}

std::vector<Problem> problems_of(const std::string& path) {
  try {
    load_scenario(path);
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

const char* kCounts =
    "timestamp,calls\n"
    "2003-03-04T07:00:00Z,10\n"
    "2003-03-04T07:05:00Z,20\n"
    "2003-03-04T07:10:00Z,2.6\n"
    "2003-03-04T07:15:00Z,40\n"
    "2003-03-05T07:05:00Z,99\n";

}  // namespace

TEST(ScenarioReplay, CountsOfTheDayInsideTheHorizonOnly) {
  TempDir dir;
  std::filesystem::create_directories(dir / "data");
  write_file(dir / "data" / "counts.csv", kCounts);
  write_file(dir / "s.yaml", scenario(R"({length: 10m, interval: 5m, start: "07:05"})",
                                      "{process: replay_counts, file: data/counts.csv, day: 2003-03-04, scale: 2}"));
  const Scenario s = load_scenario((dir / "s.yaml").string());
  const ArrivalSpec& a = s.call_types[0].arrivals;
  EXPECT_EQ(a.kind, ArrivalKind::replay_counts);
  EXPECT_EQ(a.file, (dir / "data" / "counts.csv").lexically_normal().string());
  EXPECT_EQ(a.day, "2003-03-04");
  EXPECT_EQ(a.scale, 2);  // applied by the traffic model, not to the bins
  // 07:00 is before the horizon, 07:15 is at its end, the 5th is another day.
  ASSERT_EQ(a.bins.size(), 2u);
  EXPECT_EQ(a.bins[0].start, 0);
  EXPECT_EQ(a.bins[0].length, 300);
  EXPECT_EQ(a.bins[0].calls, 20);
  EXPECT_EQ(a.bins[1].start, 300);
  EXPECT_EQ(a.bins[1].calls, 3);  // whole calls
  EXPECT_TRUE(a.rate_per_hour.empty());
}

TEST(ScenarioReplay, DayMissingFromTheFileOrOutsideTheHorizon) {
  TempDir dir;
  write_file(dir / "counts.csv", kCounts);
  write_file(dir / "missing.yaml", scenario("{length: 1h}", "{process: replay_counts, file: counts.csv, day: 2003-03-09}"));
  auto ps = problems_of((dir / "missing.yaml").string());
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].line, 9);
  EXPECT_EQ(ps[0].column, 77);
  EXPECT_EQ(ps[0].field, "call_types[0].arrivals.day");
  EXPECT_EQ(ps[0].message, "the file has no interval of 2003-03-09 (it covers 2003-03-04 to 2003-03-05)");

  // The horizon starts at midnight by default: the day's 07:00 is past a one-hour horizon.
  write_file(dir / "outside.yaml", scenario("{length: 1h}", "{process: replay_counts, file: counts.csv, day: 2003-03-04}"));
  ps = problems_of((dir / "outside.yaml").string());
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].field, "call_types[0].arrivals.day");
  EXPECT_NE(ps[0].message.find("none of 2003-03-04's intervals falls inside the horizon"), std::string::npos) << ps[0].message;

  write_file(dir / "bad_day.yaml", scenario("{length: 1h}", "{process: replay_counts, file: counts.csv, day: 4/3/2003}"));
  ps = problems_of((dir / "bad_day.yaml").string());
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].column, 77);
  EXPECT_EQ(ps[0].message, "expected the day to replay as YYYY-MM-DD");
}

TEST(ScenarioReplay, ProblemsInsideTheCountFileAreNamed) {
  TempDir dir;
  write_file(dir / "counts.csv", "timestamp,calls\n2003-03-04T07:00:00Z,ten\n");
  write_file(dir / "s.yaml", scenario("{length: 1h}", "{process: replay_counts, file: counts.csv, day: 2003-03-04}"));
  const auto ps = problems_of((dir / "s.yaml").string());
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].file, (dir / "s.yaml").string());
  EXPECT_EQ(ps[0].line, 9);
  EXPECT_EQ(ps[0].column, 60);
  EXPECT_EQ(ps[0].field, "call_types[0].arrivals.file");
  EXPECT_NE(ps[0].message.find("counts.csv:2:"), std::string::npos) << ps[0].message;

  write_file(dir / "gone.yaml", scenario("{length: 1h}", "{process: replay_counts, file: gone.csv, day: 2003-03-04}"));
  EXPECT_EQ(problems_of((dir / "gone.yaml").string()).size(), 1u);
}

TEST(ScenarioReplay, Timestamps) {
  TempDir dir;
  write_file(dir / "t.txt", "# seconds since the horizon start\n0\n0.5\n\n10\n10\r\n3599.75\n3600\n99999\n");
  write_file(dir / "s.yaml", scenario("{length: 1h}", "{process: replay_timestamps, file: t.txt}"));
  const Scenario s = load_scenario((dir / "s.yaml").string());
  const ArrivalSpec& a = s.call_types[0].arrivals;
  EXPECT_EQ(a.kind, ArrivalKind::replay_timestamps);
  EXPECT_EQ(a.file, (dir / "t.txt").string());
  // Arrivals at or after the horizon's length are dropped, as replayed bins are.
  EXPECT_EQ(a.timestamps, (std::vector<double>{0, 0.5, 10, 10, 3599.75}));
}

TEST(ScenarioReplay, TimestampProblemsCarryTheirLine) {
  TempDir dir;
  write_file(dir / "s.yaml", scenario("{length: 1h}", "{process: replay_timestamps, file: t.txt}"));
  write_file(dir / "t.txt", "5\n4\n-1\nsoon\n7 8\n9\n");
  const auto ps = problems_of((dir / "s.yaml").string());
  ASSERT_EQ(ps.size(), 4u);
  const int lines[] = {2, 3, 4, 5};
  for (std::size_t i = 0; i < ps.size(); ++i) {
    EXPECT_EQ(ps[i].file, (dir / "t.txt").string());
    EXPECT_EQ(ps[i].line, lines[i]);
    EXPECT_EQ(ps[i].column, 1);
    EXPECT_EQ(ps[i].field, "timestamp");
  }
  EXPECT_NE(ps[0].message.find("not before the line above; got '4'"), std::string::npos) << ps[0].message;

  write_file(dir / "t.txt", "3600\n7200\n");
  const auto late = problems_of((dir / "s.yaml").string());
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].field, "call_types[0].arrivals.file");
  EXPECT_NE(late[0].message.find("no arrival inside the horizon"), std::string::npos) << late[0].message;

  write_file(dir / "s.yaml", scenario("{length: 1h}", "{process: replay_timestamps, file: absent.txt}"));
  const auto absent = problems_of((dir / "s.yaml").string());
  ASSERT_EQ(absent.size(), 1u);
  EXPECT_EQ(absent[0].line, 9);
  EXPECT_EQ(absent[0].column, 64);
  EXPECT_NE(absent[0].message.find("cannot read"), std::string::npos);
}

TEST(ScenarioReplay, ReplayTakesNoRateAndRatedProcessesNoFile) {
  TempDir dir;
  write_file(dir / "t.txt", "1\n");
  write_file(dir / "a.yaml", scenario("{length: 1h}", "{process: replay_timestamps, file: t.txt, rate: 5}"));
  auto ps = problems_of((dir / "a.yaml").string());
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].field, "call_types[0].arrivals");
  EXPECT_EQ(ps[0].message, "a replayed process takes its volumes from the file: no rate");
  write_file(dir / "b.yaml", scenario("{length: 1h}", "{process: poisson, rate: 5, file: t.txt}"));
  ps = problems_of((dir / "b.yaml").string());
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].message, "only replay processes take a file or a day");
}
