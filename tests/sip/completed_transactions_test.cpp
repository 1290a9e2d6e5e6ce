// sip/completed_transactions.hpp: libre's own replies (sip_treply) hand
// their lingering server transactions to the compact records, and the
// records answer as libre's transactions would (RFC 3261 17.2, RFC 6026):
// the same response to a retransmission, an INVITE's copies absorbed after
// its 2xx, 200 to a late CANCEL, 482 to a merged request, nothing after
// 64*T1 (shortened here), libre's own transactions when the table is full.
#include <sys/socket.h>

#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <re/re.h>

#include "sip/completed_transactions.hpp"
#include "tests/sip/loopback_udp.hpp"

namespace {

using switchboard::sip::CompletedTransactions;
using switchboard::test::LoopbackUdp;

// A SIP stack on 127.0.0.1 with a transaction user that answers every
// request through libre's own sip_treply (a server transaction), and counts
// the requests that reach it.
class CompletedTransactionsTest : public ::testing::Test {
 protected:
  void start(std::uint64_t lifetime_ms = CompletedTransactions::kLifetimeMs,
             std::size_t max_records = CompletedTransactions::kMaxRecords) {
    ASSERT_EQ(libre_init(), 0);
    ASSERT_EQ(sip_alloc(&sip_, nullptr, 32, 32, 32, "test", nullptr, nullptr), 0);
    struct sa laddr;
    sa_set_str(&laddr, "127.0.0.1", 0);
    ASSERT_EQ(sip_transp_add(sip_, SIP_TRANSP_UDP, &laddr), 0);
    ASSERT_EQ(sip_transp_laddr(sip_, &laddr, SIP_TRANSP_UDP, nullptr), 0);
    port_ = sa_port(&laddr);
    kept_ = std::make_unique<CompletedTransactions>(sip_, lifetime_ms, max_records);
    ASSERT_EQ(sip_listen(&tu_, sip_, true, &CompletedTransactionsTest::on_request, this), 0);
    started_ = true;
  }
  void TearDown() override {
    if (!started_) return;
    kept_.reset();
    mem_deref(tu_);
    sip_close(sip_, true);
    mem_deref(sip_);
    libre_close();
  }

  static bool on_request(const struct sip_msg* msg, void* arg) {
    auto* self = static_cast<CompletedTransactionsTest*>(arg);
    const std::string method(msg->met.p, msg->met.l);
    ++self->reached_[method];
    if (method != "ACK") sip_treply(nullptr, self->sip_, msg, method == "INVITE" ? self->invite_status_ : 200, "Answer");
    return true;
  }

  // libre's loop for `ms`: the datagrams sent meanwhile are handled.
  static void run_for(int ms) {
    struct tmr stop;
    tmr_init(&stop);
    tmr_start(&stop, static_cast<std::uint64_t>(ms), [](void*) { re_cancel(); }, nullptr);
    re_main(nullptr);
    tmr_cancel(&stop);
  }

  // Sends `datagram` from the caller and returns the server's answer (empty: none within 200 ms).
  std::string exchange(const std::string& datagram) {
    caller_.send_to(port_, datagram);
    run_for(50);
    return caller_.receive(150);
  }

  std::string request(const std::string& method, const std::string& branch, bool to_tag, int cseq = 1,
                      const std::string& call_id = "ct-1") const {
    const std::string port = std::to_string(caller_.port());
    return method + " sip:svc@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-" + branch +
           "\r\nFrom: <sip:a@127.0.0.1>;tag=f1\r\nTo: <sip:svc@127.0.0.1>" + (to_tag ? ";tag=t1" : "") +
           "\r\nCall-ID: " + call_id + "\r\nCSeq: " + std::to_string(cseq) + " " + method +
           "\r\nContact: <sip:a@127.0.0.1:" + port + ">\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  }

  struct sip* sip_ = nullptr;
  struct sip_lsnr* tu_ = nullptr;
  std::unique_ptr<CompletedTransactions> kept_;
  int port_ = 0;
  bool started_ = false;
  std::uint16_t invite_status_ = 200;
  std::map<std::string, int> reached_;
  LoopbackUdp caller_;
};

TEST_F(CompletedTransactionsTest, ARetransmittedByeGetsTheSameResponseAndNeverReachesTheUser) {
  start();
  const std::string bye = request("BYE", "bye1", true, 2);
  const std::string first = exchange(bye);
  ASSERT_EQ(first.rfind("SIP/2.0 200 Answer\r\n", 0), 0u) << first;
  EXPECT_EQ(kept_->taken(), 1u);  // libre's sip_treply reached the records
  EXPECT_EQ(kept_->size(), 1u);
  EXPECT_EQ(exchange(bye), first);  // byte for byte, the To tag included
  EXPECT_EQ(exchange(bye), first);
  EXPECT_EQ(reached_["BYE"], 1);
}

TEST_F(CompletedTransactionsTest, AfterTheLifetimeARequestIsNewAgain) {
  start(200);
  const std::string bye = request("BYE", "bye2", true, 2);
  ASSERT_FALSE(exchange(bye).empty());
  run_for(400);  // past the (shortened) 64*T1
  EXPECT_EQ(kept_->size(), 0u);
  EXPECT_FALSE(exchange(bye).empty());
  EXPECT_EQ(reached_["BYE"], 2);
}

TEST_F(CompletedTransactionsTest, AnInviteAfterIts2xxIsAbsorbedAndItsAckGoesOn) {
  start();
  const std::string invite = request("INVITE", "inv1", false);
  ASSERT_EQ(exchange(invite).rfind("SIP/2.0 200 Answer\r\n", 0), 0u);
  EXPECT_EQ(kept_->taken(), 1u);
  // Accepted (RFC 6026): a copy of the INVITE gets nothing from the
  // transaction layer (the transaction user repeats its 2xx itself) and
  // never reaches the user as a new call.
  EXPECT_EQ(exchange(invite), "");
  EXPECT_EQ(reached_["INVITE"], 1);
  EXPECT_EQ(exchange(request("ACK", "ack1", true)), "");
  EXPECT_EQ(reached_["ACK"], 1);
}

TEST_F(CompletedTransactionsTest, ACancelAfterTheFinalResponseGets200AndCancelsNothing) {
  start();
  ASSERT_FALSE(exchange(request("INVITE", "inv2", false)).empty());
  const std::string answer = exchange(request("CANCEL", "inv2", false));
  EXPECT_EQ(answer.rfind("SIP/2.0 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("CSeq: 1 CANCEL"), std::string::npos);
  EXPECT_NE(answer.find(";tag="), std::string::npos);
  EXPECT_EQ(reached_.count("CANCEL"), 0u);
}

TEST_F(CompletedTransactionsTest, AMergedRequestWithoutToTagGets482) {
  start();
  ASSERT_FALSE(exchange(request("OPTIONS", "opt1", false, 7)).empty());
  // The same request (Call-ID, From tag, CSeq, Request-URI) by another path: another branch.
  const std::string answer = exchange(request("OPTIONS", "opt1-forked", false, 7));
  EXPECT_EQ(answer.rfind("SIP/2.0 482 Loop Detected\r\n", 0), 0u) << answer;
  EXPECT_EQ(reached_["OPTIONS"], 1);
  // A new CSeq is a new request.
  EXPECT_EQ(exchange(request("OPTIONS", "opt2", false, 8)).rfind("SIP/2.0 200 Answer\r\n", 0), 0u);
  EXPECT_EQ(reached_["OPTIONS"], 2);
}

TEST_F(CompletedTransactionsTest, WhenTheTableIsFullLibreKeepsTheTransactionAndAnswersAsBefore) {
  start(CompletedTransactions::kLifetimeMs, 16);
  std::map<int, std::string> answers;
  for (int i = 0; i < 20; ++i) {
    answers[i] = exchange(request("BYE", "full" + std::to_string(i), true, 2, "full-" + std::to_string(i)));
    ASSERT_FALSE(answers[i].empty()) << i;
  }
  EXPECT_EQ(kept_->taken(), 16u);
  EXPECT_EQ(kept_->left_to_libre(), 4u);
  for (int i = 0; i < 20; ++i)  // the records' and libre's own transactions alike
    EXPECT_EQ(exchange(request("BYE", "full" + std::to_string(i), true, 2, "full-" + std::to_string(i))), answers[i]) << i;
  EXPECT_EQ(reached_["BYE"], 20);
}

TEST_F(CompletedTransactionsTest, AnInviteRefusedStaysLibresAndIsRepeatedUntilItsAck) {
  start();
  invite_status_ = 486;
  const std::string first = exchange(request("INVITE", "inv3", false));
  ASSERT_EQ(first.rfind("SIP/2.0 486 Answer\r\n", 0), 0u) << first;
  EXPECT_EQ(kept_->taken(), 0u);  // Completed with Timer G: libre's
  run_for(700);                   // past T1: libre sends it again
  EXPECT_EQ(caller_.receive(200), first);
}

}  // namespace
