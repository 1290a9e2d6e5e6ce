// `switchboard serve` and the behaviour models: callers' tags (from the
// X-Switchboard-Tags header, else drawn), --seed seeding the server's
// streams (self-service bot, tags), and the scenario clock following the
// time of day (--clock, else the local wall clock) for queue hours.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using namespace std::chrono_literals;
using switchboard::test::TempDir;

namespace {

// A SIPp caller that dials [service], optionally with an X-Switchboard-Tags
// header, and takes either ending: connected to an agent (the server's
// re-INVITE, then its BYE) or released at once (contained, closed: a BYE).
std::string caller_xml(const std::string& tags_header) {
  const std::string header = tags_header.empty() ? "" : "      X-Switchboard-Tags: " + tags_header + "\n";
  return R"(<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller with tags">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: caller <sip:caller@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:caller@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
)" + header + R"(      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: caller <sip:caller@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: <sip:caller@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv request="INVITE" optional="true" rrs="true" next="1"/>
  <recv request="BYE" next="2"/>
  <label id="1"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:caller@[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 53655765 2353687638 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <label id="2"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
</scenario>
)";
}

// A caller who hangs up (BYE) [pause] ms after it is connected to an agent.
std::string hanging_up_xml(const std::string& connected_caller) {
  std::string xml = connected_caller;
  const std::string wait_for_bye = "  <recv request=\"ACK\"/>\n  <recv request=\"BYE\"/>\n  <label id=\"2\"/>\n";
  const auto at = xml.find(wait_for_bye);
  const auto end = xml.find("</scenario>");
  return xml.substr(0, at) + R"(  <recv request="ACK"/>
  <pause/>
  <send retrans="500">
    <![CDATA[
      BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: caller <sip:caller@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 3 BYE
      Contact: <sip:caller@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>
  <label id="2"/>
</scenario>
)";
  (void)end;
}

// Writes the caller script into `dir`; SIPp is given its absolute path.
std::string write_caller(const TempDir& dir, const std::string& name, const std::string& tags_header) {
  const auto path = dir / name;
  std::ofstream(path) << caller_xml(tags_header);
  return path.string();
}

struct Outcome {
  double priority = 0, regular = 0, contained = 0;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

// The callers' endings by where they went, once `calls` are counted: the
// dialog gauge moves at once, the KPI series only with the next publish
// (every 200 ms, later on a loaded machine), so a read right after the
// last dialog ended can miss the last call. Reads for at most 5 s; returns the sum.
double counted_endings(const Server& server, int calls, Outcome& o) {
  for (int i = 0; i < 50; ++i) {
    o.priority = server.value("switchboard_calls_offered_total{queue=\"priority\"}");
    o.regular = server.value("switchboard_calls_offered_total{queue=\"regular\"}");
    o.contained = server.value("switchboard_calls_contained_total{queue=\"none\"}");
    // A series not yet published reads -1: count it as none.
    const double sum = std::max(0.0, o.priority) + std::max(0.0, o.regular) + std::max(0.0, o.contained);
    if (sum == calls) return sum;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::max(0.0, o.priority) + std::max(0.0, o.regular) + std::max(0.0, o.contained);
}

// `calls` callers without tags against tags-and-bot.yaml with `seed`:
// where the draws sent them (VIP tag drawn: priority queue; else the bot
// contains them or passes them on to the regular queue).
Outcome drawn_outcome(const std::string& seed, int calls) {
  TempDir dir;
  const std::string caller = write_caller(dir, "caller.xml", "");
  Server server("tags-and-bot.yaml", "--time-scale 10 --seed " + seed);
  EXPECT_EQ(server.sipp(caller, "-s customers -m " + std::to_string(calls) + " -r 20 -l " + std::to_string(calls), 0), 0);
  Outcome o;
  const double ended = wait_for(server, "switchboard_sip_dialogs_active", 0);
  EXPECT_EQ(ended, 0);
  EXPECT_EQ(counted_endings(server, calls, o), calls);
  return o;
}

std::string hh_mm(int seconds) {
  char text[16];  // room for any int's hours, so the compiler sees no truncation
  std::snprintf(text, sizeof text, "%02d:%02d", seconds / 3600, seconds / 60 % 60);
  return text;
}

}  // namespace

TEST(ServeTags, TheHeaderNamesTheCallersTags) {
  TempDir dir;
  Server server("tags-and-bot.yaml", "--time-scale 10");
  // The scenario draws VIP for 40% of untagged callers; these say who they are.
  EXPECT_EQ(server.sipp(write_caller(dir, "vip.xml", "complaint, vip"), "-s customers -m 8 -r 20 -l 8", 0), 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_offered_total{queue=\"priority\"}", 8), 8);
  // An empty header: no tags, so none is drawn either; past the lookup, to the bot.
  EXPECT_EQ(server.sipp(write_caller(dir, "empty.xml", " "), "-s customers -m 8 -r 20 -l 8", 1), 0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 0), 0);
  Outcome o;
  EXPECT_EQ(counted_endings(server, 16, o), 16);
  EXPECT_EQ(o.priority, 8);
  EXPECT_EQ(std::max(0.0, o.regular) + std::max(0.0, o.contained), 8);
}

TEST(ServeTags, AnUnknownTagGets400NamingIt) {
  TempDir dir;
  Server server("tags-and-bot.yaml", "");
  const auto trace = dir / "messages.log";
  EXPECT_NE(server.sipp(write_caller(dir, "gold.xml", "vip,gold"),
                        "-s customers -m 1 -trace_msg -message_file " + trace.string(), 0),
            0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_responses_total{code=\"400\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_calls_offered_total{queue=\"priority\"}"), 0);
  const std::string messages = switchboard::test::read_file(trace);
  EXPECT_NE(messages.find("SIP/2.0 400 Unknown Tag"), std::string::npos);
  EXPECT_NE(messages.find("X-Switchboard-Tags: no tag 'gold' in the scenario"), std::string::npos);
}

// Without the header, tags are drawn from the call type's probabilities
// (vip: 0.4), and the bot's outcomes from its success probability, both
// from streams seeded by --seed: the same seed routes the same numbers of
// callers each way, another seed other numbers. (Deterministic: the counts
// depend only on how many draws were made, not on the order calls came in.)
TEST(ServeSeed, TheSeedDecidesTheDrawnTagsAndTheBotsOutcomes) {
  const Outcome first = drawn_outcome("1", 40);
  EXPECT_GT(first.priority, 0);  // some callers drawn VIP
  EXPECT_GT(first.regular + first.contained, 0);
  EXPECT_EQ(drawn_outcome("1", 40), first);
  const Outcome other = drawn_outcome("5", 40);
  EXPECT_NE(other, first) << "seed 1: " << first.priority << " " << first.regular << " " << first.contained
                          << "; seed 5: " << other.priority << " " << other.regular << " " << other.contained;
}

TEST(ServeClock, QueueHoursFollowTheGivenStartTimeOfDay) {
  TempDir dir;
  const std::string caller = write_caller(dir, "caller.xml", "");
  {
    Server open("queue-hours.yaml", "--time-scale 10 --clock 14:30");
    EXPECT_EQ(open.sipp(caller, "-s customers -m 4 -r 20 -l 4", 0), 0);
    EXPECT_EQ(wait_for(open, "switchboard_calls_handled_total{queue=\"desk\"}", 4), 4);
    EXPECT_EQ(open.value("switchboard_calls_blocked_total{queue=\"desk\"}"), 0);
  }
  {
    Server closed("queue-hours.yaml", "--time-scale 10 --clock 13:00");
    EXPECT_EQ(closed.sipp(caller, "-s customers -m 4 -r 20 -l 4", 0), 0);
    EXPECT_EQ(wait_for(closed, "switchboard_calls_blocked_total{queue=\"desk\"}", 4), 4);
    EXPECT_EQ(closed.value("switchboard_calls_handled_total{queue=\"desk\"}"), 0);
  }
}

// Started at 13:59 with --time-scale 6, the scenario clock reaches 14:00
// (the queue opens) 10 wall seconds later.
TEST(ServeClock, TheClockRunsTimeScaleTimesFasterFromTheStartTime) {
  TempDir dir;
  const std::string caller = write_caller(dir, "caller.xml", "");
  const auto before = std::chrono::steady_clock::now();
  Server server("queue-hours.yaml", "--time-scale 6 --clock 13:59");
  const auto ready = std::chrono::steady_clock::now();
  EXPECT_EQ(server.sipp(caller, "-s customers -m 3 -r 20 -l 3", 0), 0);
  const auto first_batch = std::chrono::steady_clock::now();
  ASSERT_LT(first_batch - before, 9s) << "the first callers came too late to find the queue closed";
  EXPECT_EQ(wait_for(server, "switchboard_calls_blocked_total{queue=\"desk\"}", 3), 3);
  std::this_thread::sleep_until(ready + 11s);
  EXPECT_EQ(server.sipp(caller, "-s customers -m 3 -r 20 -l 3", 1), 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"desk\"}", 3), 3);
  EXPECT_EQ(server.value("switchboard_calls_blocked_total{queue=\"desk\"}"), 3);
}

// Without --clock the server is at the local time of day: a queue open
// around now takes calls, one closed around now refuses them.
TEST(ServeClock, WithoutClockTheServerIsAtTheLocalTimeOfDay) {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  const int now = local.tm_hour * 3600 + local.tm_min * 60;
  const int open_from = std::max(0, now - 1800), open_to = std::min(86400 - 60, now + 1800);
  const std::string closed_hours = now >= 7200 ? "{open: \"00:00\", close: \"" + hh_mm(now - 3600) + "\"}"
                                               : "{open: \"" + hh_mm(now + 3600) + "\", close: \"24:00\"}";
  TempDir dir;
  const auto scenario = dir / "now.yaml";
  std::ofstream(scenario) << "name: now\nhorizon: {length: 1h}\nskills: [general]\n"
                             "agent_groups:\n  - {name: team, skills: [general], agents: 5}\n"
                             "queues:\n"
                             "  - {name: open_now, skill: general, hours: {open: \"" << hh_mm(open_from) << "\", close: \""
                          << hh_mm(open_to + 59) << "\"}}\n"
                             "  - {name: closed_now, skill: general, hours: " << closed_hours << "}\n"
                             "call_types:\n"
                             "  - {name: to_open, arrivals: {process: poisson, rate: 1}, handle_time: 2s, entry: {queue: open_now}}\n"
                             "  - {name: to_closed, arrivals: {process: poisson, rate: 1}, handle_time: 2s, entry: {queue: closed_now}}\n";
  const std::string caller = write_caller(dir, "caller.xml", "");
  Server server(scenario.string(), "--time-scale 10");
  EXPECT_EQ(server.sipp(caller, "-s to_open -m 2 -r 20 -l 2", 0), 0);
  EXPECT_EQ(server.sipp(caller, "-s to_closed -m 2 -r 20 -l 2", 1), 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"open_now\"}", 2), 2);
  EXPECT_EQ(wait_for(server, "switchboard_calls_blocked_total{queue=\"closed_now\"}", 2), 2);
  EXPECT_EQ(server.value("switchboard_calls_blocked_total{queue=\"open_now\"}"), 0);
  EXPECT_EQ(server.value("switchboard_calls_handled_total{queue=\"closed_now\"}"), 0);
}

// The virtual agents' staffing follows the plan for the time of day too: a
// server started at 00:01 (the second minute of staffing-by-interval.yaml's
// day: 5 agents) starts with 5, not with the first minute's 2 (at
// --time-scale 2 a minute of scenario time lasts 30 wall seconds).
TEST(ServeClock, VirtualAgentsStaffAsThePlanSaysForTheStartTime) {
  Server server("staffing-by-interval.yaml", "--time-scale 2 --clock 00:01");
  EXPECT_EQ(wait_for(server, "switchboard_agents{group=\"desk\",state=\"available\"}", 5), 5);
}

// A caller hangs up mid-conversation: the agent's conversation ends then,
// and the virtual agent's scheduled end of it (12 s after the answer) is
// stale: it must not end the agent's next conversation, which lasts its
// own 12 s. Time-scale 2: conversations last 6 wall seconds.
TEST(ServeHangUp, ACallerHangingUpMidConversationLeavesTheNextCallWhole) {
  TempDir dir;
  const auto hanging_up = dir / "hang-up.xml";
  std::ofstream(hanging_up) << hanging_up_xml(caller_xml(""));
  const std::string caller = write_caller(dir, "caller.xml", "");
  Server server("one-agent.yaml", "--time-scale 2");
  // Connected at c, hangs up at c + 3 s: the stale end is due at c + 6 s.
  EXPECT_EQ(server.sipp(hanging_up.string(), "-s customers -m 1 -d 3000", 0), 0);
  const auto first_gone = std::chrono::steady_clock::now();
  EXPECT_EQ(wait_for(server, "switchboard_agents{group=\"solo\",state=\"available\"}", 1), 1);
  // The next caller gets the agent at once; its conversation ends about 6 s later.
  Server::Background next("timeout 60 sipp -sf " + caller + " 127.0.0.1:" + std::to_string(server.sip_port()) +
                          " -i 127.0.0.1 -p " + std::to_string(base_port() + 3) +
                          " -nostdin -timeout 40s -timeout_error -s customers -m 1 >/dev/null 2>&1");
  std::this_thread::sleep_until(first_gone + 4500ms);  // past the stale end, before the real one
  EXPECT_EQ(server.value("switchboard_agents{group=\"solo\",state=\"talking\"}"), 1);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_active"), 1);
  EXPECT_EQ(next.wait(), 0);
  EXPECT_EQ(server.value("switchboard_calls_handled_total{queue=\"line\"}"), 2);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 0), 0);
}

TEST(ServeClock, ABadClockExitsTwoNamingTheFlag) {
  const std::string fixture = (source_dir() / "tests/sip/fixtures/queue-hours.yaml").string();
  for (const std::string clock : {"25:00", "24:00", "14:60", "8:5", "noon", "-1:00", ""}) {
    const auto r = switchboard::test::run_cli("serve " + fixture + " --metrics none --duration 1 --clock '" + clock + "'");
    EXPECT_EQ(r.exit_code, 2) << clock;
    EXPECT_NE(r.err.find("--clock: expected a clock time HH:MM or HH:MM:SS"), std::string::npos) << clock << ": " << r.err;
  }
}
