// Output targets are checked before any work starts, and output is whole or
// absent: a directory where a file should go is exit 2 with a message, with
// no hidden temporary file left; several files (simulate --out DIR) are
// replaced all together or not at all.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/atomic_file.hpp"
#include "core/input_error.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;
using switchboard::test::read_file;
using switchboard::test::run_cli;
using switchboard::test::source_dir;
using switchboard::test::TempDir;
using switchboard::test::write_file;

namespace {

std::string repo(const std::string& path) { return (source_dir() / path).string(); }

// Every entry of `dir`, hidden ones included.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST(OutputTargets, ADirectoryWhereTheFileGoesIsBadInputWithNoDebris) {
  TempDir dir;
  fs::create_directory(dir / "plans");
  write_file(dir / "plan.csv",
             "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon\n"
             "2024-01-01T08:00:00Z,10,1,1,1,0.9,1,0\n2024-01-01T09:00:00Z,10,1,2,2,0.9,1,0\n");
  write_file(dir / "p.yaml", "starts: [\"08:00\"]\nlengths: [2h]\n");
  const std::string plans = (dir / "plans").string();
  for (const std::string& args : {
           "staff " + repo("scenarios/erlang-c.yaml") + " --out " + plans,
           "forecast --history " + repo("data/bank_calls_train.csv") + " --start 2003-09-08 --days 1 --out " + plans,
           "schedule --requirements " + (dir / "plan.csv").string() + " --policy " + (dir / "p.yaml").string() + " --out " + plans,
           "schedule --requirements " + (dir / "plan.csv").string() + " --policy " + (dir / "p.yaml").string() + " --out " +
               (dir / "roster.csv").string() + " --coverage " + plans,
           "simulate " + repo("scenarios/erlang-c.yaml") + " --reps 2 --out " + (dir / "plan.csv").string(),
       }) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE(r.err.find(plans.substr(0, plans.size() - 5)), std::string::npos) << r.err;
    EXPECT_TRUE(r.err.find("is a directory") != std::string::npos || r.err.find("is a file") != std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
    EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"p.yaml", "plan.csv", "plans"})) << args;
    EXPECT_TRUE(fs::is_empty(dir / "plans")) << args;
  }
  const auto missing_dir = run_cli("staff " + repo("scenarios/erlang-c.yaml") + " --out " + (dir / "nope" / "plan.csv").string());
  EXPECT_EQ(missing_dir.exit_code, 2);
  EXPECT_NE(missing_dir.err.find("does not exist"), std::string::npos) << missing_dir.err;
}

TEST(OutputTargets, SimulateOutReplacesNothingWhenOneFileCannotBeWritten) {
  TempDir dir;
  const fs::path out = dir / "out";
  fs::create_directories(out / "queues.csv");  // a directory where a file goes
  write_file(out / "totals.csv", "old totals");
  write_file(out / "intervals.csv", "old intervals");
  const auto r = run_cli("simulate " + repo("scenarios/erlang-c.yaml") + " --reps 2 --out " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("queues.csv"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(read_file(out / "totals.csv"), "old totals");
  EXPECT_EQ(read_file(out / "intervals.csv"), "old intervals");
  EXPECT_EQ(entries(out), (std::vector<std::string>{"intervals.csv", "queues.csv", "totals.csv"}));
}

TEST(OutputTargets, WriteFilesAtomicallyIsAllOrNothing) {
  TempDir dir;
  write_file(dir / "a.csv", "old a");
  fs::create_directory(dir / "b.csv");
  EXPECT_THROW(switchboard::write_files_atomically(dir.path(), {{"a.csv", "new a"}, {"b.csv", "new b"}}),
               switchboard::InputError);
  EXPECT_EQ(read_file(dir / "a.csv"), "old a");
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"a.csv", "b.csv"}));
  // A name that cannot be created inside the staging directory fails at the
  // write, before any file is replaced.
  EXPECT_THROW(switchboard::write_files_atomically(dir.path(), {{"a.csv", "new a"}, {"sub/c.csv", "c"}}),
               switchboard::InputError);
  EXPECT_EQ(read_file(dir / "a.csv"), "old a");
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"a.csv", "b.csv"}));
  switchboard::write_files_atomically(dir.path(), {{"a.csv", "new a"}, {"c.csv", "c"}});
  EXPECT_EQ(read_file(dir / "a.csv"), "new a");
  EXPECT_EQ(read_file(dir / "c.csv"), "c");
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"a.csv", "b.csv", "c.csv"}));
}

TEST(OutputTargets, WriteFileAtomicallyRefusesADirectoryAndLeavesNoTemporary) {
  TempDir dir;
  fs::create_directory(dir / "plans");
  EXPECT_THROW(switchboard::write_file_atomically(dir / "plans", "text"), switchboard::InputError);
  EXPECT_EQ(entries(dir.path()), (std::vector<std::string>{"plans"}));
}

TEST(OutputTargets, FilesInSeveralDirectoriesAreReplacedTogether) {
  // schedule's roster and coverage may sit in different directories.
  TempDir dir;
  fs::create_directory(dir / "x");
  fs::create_directory(dir / "y");
  write_file(dir / "x" / "roster.csv", "old roster");
  EXPECT_THROW(switchboard::write_files_atomically(
                   {{dir / "x" / "roster.csv", "new roster"}, {dir / "nowhere" / "coverage.csv", "new coverage"}}, "--coverage"),
               switchboard::InputError);
  EXPECT_EQ(read_file(dir / "x" / "roster.csv"), "old roster");
  EXPECT_EQ(entries(dir / "x"), (std::vector<std::string>{"roster.csv"}));
  switchboard::write_files_atomically({{dir / "x" / "roster.csv", "new roster"}, {dir / "y" / "coverage.csv", "new coverage"}},
                                      "--out");
  EXPECT_EQ(read_file(dir / "x" / "roster.csv"), "new roster");
  EXPECT_EQ(read_file(dir / "y" / "coverage.csv"), "new coverage");
  EXPECT_EQ(entries(dir / "x"), (std::vector<std::string>{"roster.csv"}));
  EXPECT_EQ(entries(dir / "y"), (std::vector<std::string>{"coverage.csv"}));
}
