// Reading what SIPp wrote: its statistics file, response times, error log.
#include <gtest/gtest.h>

#include "loadgen/sipp_results.hpp"
#include "support/test_support.hpp"

namespace switchboard::loadgen {
namespace {

TEST(SippResults, StatisticsTakeTheLastLineAndNameTheFailures) {
  test::TempDir dir;
  test::write_file(dir / "stat.csv",
                   "StartTime;TotalCallCreated;CurrentCall;SuccessfulCall(P);SuccessfulCall(C);FailedCall(P);FailedCall(C);"
                   "FailedUnexpectedMessage(P);FailedUnexpectedMessage(C);FailedTimeoutOnRecv(C);Retransmissions(C);\n"
                   "x;10;10;0;0;0;0;0;0;0;0;\n"
                   "x;300;2;5;290;1;8;1;6;2;4;\n");
  const SippCounts c = read_sipp_stats((dir / "stat.csv").string());
  EXPECT_EQ(c.created, 300);
  EXPECT_EQ(c.current, 2);
  EXPECT_EQ(c.successful, 290);
  EXPECT_EQ(c.failed, 8);
  EXPECT_EQ(c.retransmissions, 4);
  EXPECT_EQ(c.failed_by_reason, (std::map<std::string, double>{{"unexpected_message", 6}, {"timeout_on_recv", 2}}));
  EXPECT_EQ(read_sipp_stats((dir / "missing.csv").string()).created, 0);
}

TEST(SippResults, ResponseTimesAndTheirQuantiles) {
  test::TempDir dir;
  test::write_file(dir / "rtt.csv", "Date_ms;response_time_ms;rtd_no\n916.001;0;invite\n1008;3;invite\n1108;1;invite\n1208;40;invite\n");
  const auto t = read_sipp_response_times((dir / "rtt.csv").string());
  EXPECT_EQ(t, (std::vector<double>{0, 3, 1, 40}));
  EXPECT_EQ(quantile(t, 0.5), 1);
  EXPECT_EQ(quantile(t, 0.99), 40);
  EXPECT_EQ(quantile(t, 0), 0);
  EXPECT_EQ(quantile({}, 0.5), 0);
}

TEST(SippResults, UnexpectedMessagesByWhereAndWhat) {
  test::TempDir dir;
  test::write_file(dir / "errors.log",
                   "2026-12-01\t08:00:05.95\t1796112005.95: Aborting call on unexpected message for Call-Id '1-2@127.0.0.1': while in "
                   "message type 5 (index 20), received 'INVITE sip:caller@127.0.0.1:25070;transport=UDP SIP/2.0\n"
                   "Via: SIP/2.0/UDP 127.0.0.1:25060\n"
                   "2026-12-01\t08:00:06.00\t1796112006.00: Call-Id: 3-2@127.0.0.1, receive timeout on message x:32, jumping to label 29\n"
                   "2026-12-01\t08:00:07.95\t1796112007.95: Aborting call on unexpected message for Call-Id '4-2@127.0.0.1': while in "
                   "message type 1 (index 39), received 'SIP/2.0 200 OK\n"
                   "2026-12-01\t08:00:08.95\t1796112008.95: Aborting call on unexpected message for Call-Id '5-2@127.0.0.1': while in "
                   "message type 5 (index 20), received 'INVITE sip:caller@127.0.0.1:25070 SIP/2.0\n");
  EXPECT_EQ(read_sipp_unexpected((dir / "errors.log").string()),
            (std::map<std::string, double>{{"index 20: INVITE", 2}, {"index 39: SIP/2.0 200", 1}}));
}

}  // namespace
}  // namespace switchboard::loadgen
