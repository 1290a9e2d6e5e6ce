// `switchboard simulate` end to end: formats, files, reproducibility, exit codes.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "support/test_support.hpp"

using switchboard::test::read_file;
using switchboard::test::run_cli;
using switchboard::test::source_dir;
using switchboard::test::TempDir;
using switchboard::test::write_file;

namespace {
std::string scenario(const std::string& name) { return (source_dir() / "scenarios" / name).string(); }
}  // namespace

TEST(SimulateCli, TableShowsTheKpis) {
  // The table of a run shows the numbers of the JSON of the same run,
  // rounded as printed: totals as "mean ± half-width", then one row per interval.
  const std::string run = "simulate " + scenario("erlang-c.yaml") + " --reps 3 --seed 7";
  const auto r = run_cli(run);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(run_cli(run + " --format json").out);
  const auto& totals = j["totals"];
  auto pm = [&](const nlohmann::json& e, const char* spec) {
    const double mean = e["mean"].get<double>(), half = mean - e["ci95"][0].get<double>();
    return fmt::format(fmt::runtime(spec), mean) + " ± " + fmt::format(fmt::runtime(spec), half);
  };
  struct Row {
    const char *label, *key, *spec;
  };
  for (const Row& row : {Row{"offered", "offered", "{:.1f}"}, Row{"handled", "handled", "{:.1f}"},
                         Row{"abandoned", "abandoned", "{:.1f}"}, Row{"service level", "service_level", "{:.3f}"},
                         Row{"ASA", "asa_seconds", "{:.1f}"}, Row{"p90 wait", "p90_wait_seconds", "{:.1f}"}, Row{"AHT", "aht_seconds", "{:.1f}"}}) {
    const std::regex line("\n  " + std::string(row.label) + " +" + std::regex_replace(pm(totals[row.key], row.spec), std::regex("[.]"), "[.]"));
    EXPECT_TRUE(std::regex_search(r.out, line)) << row.label << " " << pm(totals[row.key], row.spec) << "\n" << r.out;
  }
  // KPIs without a row of their own are listed by name (requeued, the longest wait).
  for (const char* key : {"requeued", "max_wait_seconds"}) {
    const std::regex line("\\n  " + std::string(key) + " +" + std::regex_replace(pm(totals[key], "{:.1f}"), std::regex("[.]"), "[.]"));
    EXPECT_TRUE(std::regex_search(r.out, line)) << key << "\n" << r.out;
  }
  const double occupancy = j["groups"][0]["occupancy"]["mean"].get<double>();
  EXPECT_NE(r.out.find("occupancy agents "), std::string::npos);
  EXPECT_NE(r.out.find(fmt::format("{:.3f} ±", occupancy)), std::string::npos) << r.out;
  ASSERT_EQ(j["intervals"].size(), 8u);
  for (const auto& i : j["intervals"]) {
    auto m = [&](const char* k) { return i[k]["mean"].get<double>(); };
    const std::string expected =
        fmt::format("  {:>8} {:>8.1f} {:>8.1f} {:>10.1f} {:>6.3f} {:>8.1f} {:>9.1f} {:>10.1f}  {:>12.3f}\n",
                    i["start"].get<std::string>(), m("offered"), m("handled"), m("abandoned"), m("service_level"), m("asa_seconds"),
                    m("p90_wait_seconds"), m("max_queue_length"), i["groups"]["agents"]["occupancy"]["mean"].get<double>());
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << r.out;
  }
}

TEST(SimulateCli, JsonHasTotalsIntervalsQueuesGroups) {
  const auto r = run_cli("simulate " + scenario("erlang-c.yaml") + " --reps 4 --seed 7 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["replications"], 4);
  EXPECT_EQ(j["seed"], 7);
  EXPECT_EQ(j["intervals"].size(), 8u);
  EXPECT_EQ(j["queues"][0]["queue"], "main");
  EXPECT_EQ(j["groups"][0]["group"], "agents");
  const auto& sl = j["totals"]["service_level"];
  EXPECT_GT(sl["mean"].get<double>(), 0.4);
  EXPECT_LT(sl["ci95"][0].get<double>(), sl["mean"].get<double>());
  EXPECT_GT(sl["ci95"][1].get<double>(), sl["mean"].get<double>());
}

TEST(SimulateCli, SameSeedSameBytesAnyJobs) {
  const std::string base = "simulate " + scenario("multiskill-vip.yaml") + " --reps 6 --seed 11 --format json";
  const auto a = run_cli(base + " --jobs 1");
  const auto b = run_cli(base + " --jobs 4");
  const auto c = run_cli(base + " --jobs 1");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(a.out, c.out);
  const auto other = run_cli("simulate " + scenario("multiskill-vip.yaml") + " --reps 6 --seed 12 --format json");
  EXPECT_NE(a.out, other.out);
}

TEST(SimulateCli, OutWritesCsvAndJsonAndKeepsOtherFiles) {
  TempDir dir;
  write_file(dir / "notes.txt", "mine");
  const auto r = run_cli("simulate " + scenario("erlang-c.yaml") + " --reps 2 --out " + dir.path().string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"totals.csv", "intervals.csv", "queues.csv", "groups.csv", "summary.json"})
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  EXPECT_EQ(read_file(dir / "notes.txt"), "mine");
  EXPECT_EQ(read_file(dir / "totals.csv").rfind("metric,mean,ci95_low,ci95_high\noffered,", 0), 0u);
  const std::string intervals = read_file(dir / "intervals.csv");
  EXPECT_EQ(intervals.rfind("interval,start,offered,offered_ci95_low,offered_ci95_high,handled", 0), 0u);
  EXPECT_NE(intervals.find("\n0,08:00,"), std::string::npos);
  EXPECT_NE(intervals.find("agents.occupancy"), std::string::npos);
}

TEST(SimulateCli, AssertedThresholdMissedExitsOne) {
  const auto missed = run_cli("simulate " + scenario("promo-peak.yaml") + " --reps 2 --assert-sl 0.8");
  EXPECT_EQ(missed.exit_code, 1);
  EXPECT_NE(missed.err.find("service level below --assert-sl"), std::string::npos);
  const auto met = run_cli("simulate " + scenario("erlang-c.yaml") + " --reps 2 --assert-abandon 0.0");
  EXPECT_EQ(met.exit_code, 0) << met.err;
}

TEST(SimulateCli, BadFlagsExitTwoNamingTheFlag) {
  const std::string s = scenario("erlang-c.yaml");
  struct Case {
    std::string args, flag;
  };
  for (const Case& c : {Case{"--reps 0", "--reps"}, Case{"--reps many", "reps"}, Case{"--jobs 0", "--jobs"},
                        Case{"--format xml", "--format"}, Case{"--engine warp", "--engine"},
                        Case{"--assert-sl 1.5", "--assert-sl"}, Case{"--bogus 1", "bogus"}}) {
    const auto r = run_cli("simulate " + s + " " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.flag), std::string::npos) << c.args << ": " << r.err;
  }
  const auto none = run_cli("simulate");
  EXPECT_EQ(none.exit_code, 2);
}

TEST(SimulateCli, BadScenarioExitsTwoAndWritesNothing) {
  TempDir dir;
  write_file(dir / "bad.yaml", "name: bad\nhorizon: {length: 0}\nskills: [a]\n");
  const auto out = dir / "out";
  const auto r = run_cli("simulate " + (dir / "bad.yaml").string() + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.yaml:"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  const auto missing = run_cli("simulate " + (dir / "nope.yaml").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.yaml"), std::string::npos);
}
