// The event log and the CDR (sip/call_log.hpp): whatever bytes a call's
// text holds, every record is one valid line, and a torn last line from a
// crash is dropped on the next start.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sip/call_log.hpp"
#include "sip/csv_row.hpp"
#include "support/test_support.hpp"

using switchboard::sip::CallLog;
using switchboard::test::read_file;
using switchboard::test::TempDir;

namespace {
std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}
}  // namespace

TEST(CallLog, BytesThatAreNotUtf8AreEscapedAndEveryLineIsJson) {
  TempDir dir;
  {
    CallLog log(dir.path().string());
    log.event(1.5, "\xff\xfe-x", "digit", "\xff");
    log.event(2, "ok-\xc3\xa9", "ended", "quote \" and \\ and \n newline");
    log.event(3, std::string("nul\0byte", 8), "arrived", "\xe0\x80\x80 overlong");
  }
  const auto got = lines(read_file(dir / "events.jsonl"));
  ASSERT_EQ(got.size(), 3u);
  const auto a = nlohmann::json::parse(got[0]);
  EXPECT_EQ(a["call"], "\\xff\\xfe-x");
  EXPECT_EQ(a["detail"], "\\xff");
  EXPECT_EQ(a["time"], 1.5);
  const auto b = nlohmann::json::parse(got[1]);
  EXPECT_EQ(b["call"], "ok-\xc3\xa9");  // valid UTF-8 stays as it is
  EXPECT_EQ(b["detail"], "quote \" and \\ and \\x0a newline");
  const auto c = nlohmann::json::parse(got[2]);
  EXPECT_EQ(c["call"], "nul\\x00byte");
  EXPECT_EQ(c["detail"], "\\xe0\\x80\\x80 overlong");
}

TEST(CallLog, CdrFieldsWithCommasAndQuotesStayOneField) {
  TempDir dir;
  {
    CallLog log(dir.path().string());
    log.cdr("a,b\"c", "customers", 1, 2, 4, 9, "handled", "alice");
    log.cdr("plain", "customers", 1, -1, -1, 3, "contained", "");
  }
  const auto got = lines(read_file(dir / "cdr.csv"));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], "call_id,call_type,arrived,answered,ended,wait_seconds,outcome,agent");
  const auto row = switchboard::test::csv_row(got[1]);
  ASSERT_EQ(row.size(), 8u) << got[1];
  EXPECT_EQ(row[0], "a,b\"c");
  EXPECT_EQ(row[5], "2.000");  // wait from queue entry (2) to answer (4)
  EXPECT_EQ(row[7], "alice");
  EXPECT_EQ(got[2], "plain,customers,1.000,-1.000,3.000,0.000,contained,");
}

TEST(CallLog, ATornLastLineIsDroppedOnStart) {
  TempDir dir;
  {
    std::ofstream(dir / "events.jsonl") << "{\"call\":\"a\",\"event\":\"arrived\",\"time\":1}\n{\"call\":\"b\",\"ev";
    std::ofstream(dir / "cdr.csv") << "call_id,call_type,arrived,answered,ended,wait_seconds,outcome,agent\nx,cu";
  }
  { CallLog log(dir.path().string()); log.event(2, "c", "arrived"); }
  const auto got = lines(read_file(dir / "events.jsonl"));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(got[0])["call"], "a");
  EXPECT_EQ(nlohmann::json::parse(got[1])["call"], "c");
  EXPECT_EQ(read_file(dir / "cdr.csv"), "call_id,call_type,arrived,answered,ended,wait_seconds,outcome,agent\n");
}

TEST(CallLog, AFileWithOnlyATornLineStartsEmpty) {
  TempDir dir;
  { std::ofstream(dir / "events.jsonl") << "{\"call\":\"b\",\"ev"; }
  { CallLog log(dir.path().string()); }
  EXPECT_EQ(read_file(dir / "events.jsonl"), "");
  EXPECT_EQ(lines(read_file(dir / "cdr.csv")).size(), 1u);  // the header, written once
  { CallLog log(dir.path().string()); }
  EXPECT_EQ(lines(read_file(dir / "cdr.csv")).size(), 1u);
}
