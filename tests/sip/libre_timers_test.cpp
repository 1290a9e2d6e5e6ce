// libre's timer API served by sip/libre_timers.cpp: libre's own timers land
// on the heap, and the semantics libre relies on hold.
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re/re.h>

#include "sip/libre_timers.hpp"

namespace {

class LibreTimers : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(libre_init(), 0); }
  void TearDown() override { libre_close(); }
};

struct Log {
  std::vector<std::string> fired;
};

struct Named {
  Log* log;
  std::string name;
  struct tmr* restart = nullptr;  // started again with no delay from the handler
  Named* restart_as = nullptr;
};

void record(void* arg) {
  auto* n = static_cast<Named*>(arg);
  n->log->fired.push_back(n->name);
  if (n->restart != nullptr) tmr_start(n->restart, 0, &record, n->restart_as);
}

void stop_loop(void*) { re_cancel(); }

TEST_F(LibreTimers, FireInDeadlineOrderFirstStartedFirstAmongEqualDeadlines) {
  Log log;
  struct tmr a, b, c, d, bound;
  for (struct tmr* t : {&a, &b, &c, &d, &bound}) tmr_init(t);
  Named na{&log, "a"}, nb{&log, "b"}, nc{&log, "c"}, nd{&log, "d"};
  tmr_start(&a, 30, &record, &na);
  tmr_start(&b, 10, &record, &nb);
  tmr_start(&c, 10, &record, &nc);
  tmr_start(&d, 20, &record, &nd);
  tmr_start(&bound, 60, &stop_loop, nullptr);
  EXPECT_EQ(switchboard::sip::libre_timers_running(), 5u);
  EXPECT_TRUE(tmr_isrunning(&a));
  ASSERT_EQ(re_main(nullptr), 0);
  EXPECT_EQ(log.fired, (std::vector<std::string>{"b", "c", "d", "a"}));
  EXPECT_FALSE(tmr_isrunning(&a));
  EXPECT_EQ(switchboard::sip::libre_timers_running(), 0u);
}

TEST_F(LibreTimers, CancelAndRestartReplaceTheDeadline) {
  Log log;
  struct tmr a, b, c, bound;
  for (struct tmr* t : {&a, &b, &c, &bound}) tmr_init(t);
  Named na{&log, "a"}, nb{&log, "b"}, nc{&log, "c"};
  tmr_start(&a, 10, &record, &na);
  tmr_start(&b, 20, &record, &nb);
  tmr_start(&c, 30, &record, &nc);
  tmr_cancel(&b);
  tmr_start(&a, 40, &record, &na);  // pushed after c
  EXPECT_FALSE(tmr_isrunning(&b));
  EXPECT_EQ(switchboard::sip::libre_timers_running(), 2u);
  EXPECT_GT(tmr_get_expire(&a), 30u);
  tmr_start(&bound, 80, &stop_loop, nullptr);
  ASSERT_EQ(re_main(nullptr), 0);
  EXPECT_EQ(log.fired, (std::vector<std::string>{"c", "a"}));
}

TEST_F(LibreTimers, ATimerStartedWithNoDelayFromAHandlerRunsInTheSamePoll) {
  Log log;
  struct tmr first, second, bound;
  for (struct tmr* t : {&first, &second, &bound}) tmr_init(t);
  Named n2{&log, "second"};
  Named n1{&log, "first", &second, &n2};
  tmr_start(&first, 5, &record, &n1);
  tmr_start(&bound, 50, &stop_loop, nullptr);
  ASSERT_EQ(re_main(nullptr), 0);
  EXPECT_EQ(log.fired, (std::vector<std::string>{"first", "second"}));
}

TEST_F(LibreTimers, ManyTimersCancelledInAnyOrderLeaveTheHeapConsistent) {
  std::vector<struct tmr> timers(1000);
  Log log;
  std::vector<Named> names(timers.size());
  for (std::size_t i = 0; i < timers.size(); ++i) {
    tmr_init(&timers[i]);
    names[i] = Named{&log, std::to_string(i)};
    tmr_start(&timers[i], 1000 + (i * 7919) % 1000, &record, &names[i]);  // scattered deadlines
  }
  for (std::size_t i = 0; i < timers.size(); i += 3) tmr_cancel(&timers[i]);
  EXPECT_EQ(switchboard::sip::libre_timers_running(), timers.size() - (timers.size() + 2) / 3);
  for (std::size_t i = 0; i < timers.size(); ++i) tmr_cancel(&timers[i]);
  EXPECT_EQ(switchboard::sip::libre_timers_running(), 0u);
  EXPECT_TRUE(log.fired.empty());
}

// libre's own code (a SIP client transaction's retransmission and timeout
// timers) reaches the heap: the interposition is in effect.
TEST_F(LibreTimers, LibresOwnTimersRunOnTheHeap) {
  struct sip* sip = nullptr;
  ASSERT_EQ(sip_alloc(&sip, nullptr, 16, 16, 16, "test", nullptr, nullptr), 0);
  struct sa local;
  sa_set_str(&local, "127.0.0.1", 0);
  ASSERT_EQ(sip_transp_add(sip, SIP_TRANSP_UDP, &local), 0);
  const std::size_t before = switchboard::sip::libre_timers_running();
  struct sip_request* req = nullptr;
  // An OPTIONS to a closed local port: the transaction starts its timers.
  const int err = sip_requestf(&req, sip, true, "OPTIONS", "sip:nobody@127.0.0.1:9", nullptr, nullptr, nullptr,
                               [](int, const struct sip_msg*, void*) {}, nullptr,
                               "Call-ID: t1\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\n"
                               "Max-Forwards: 1\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(err, 0);
  struct tmr bound;
  tmr_init(&bound);
  tmr_start(&bound, 50, &stop_loop, nullptr);
  ASSERT_EQ(re_main(nullptr), 0);  // lets the transaction send and arm
  EXPECT_GE(switchboard::sip::libre_timers_running(), before + 2);  // Timer F and E
  mem_deref(req);
  sip_close(sip, true);
  mem_deref(sip);
}

}  // namespace
