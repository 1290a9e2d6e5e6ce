// kill -9 of `serve --api` while four API clients create and move tickets
// as fast as they can, with callbacks promised before: after a restart on
// the same database every ticket whose request got a 2xx is there in its
// acknowledged state, PRAGMA integrity_check is ok, and every promised
// callback is still pending and waits in its queue again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"
#include "store/callback_store.hpp"
#include "store/ticket_store.hpp"
#include "support/api_load.hpp"
#include "support/test_support.hpp"

namespace switchboard::test {
namespace {

using namespace std::chrono_literals;
using serve::Server;

TEST(ServeApiKill, KilledMidLoadLosesNoAcknowledgedTicketAndNoPromisedCallback) {
  TempDir dir;
  const std::string db = (dir / "t.db").string();
  write_file(dir / "tokens", "app 0123456789abcdef0123\n");
  const int api_port = serve::base_port() + 8;
  // 00:00:05: nobody works, so callbacks stay promised (and tickets stay new or assigned to a login).
  const std::string flags = "--connect-signal none --clock 00:00:05 --tickets-db " + db + " --api 127.0.0.1:" + std::to_string(api_port) +
                            " --api-tokens " + (dir / "tokens").string();
  const std::vector<std::string> calls = {"kill-cb-1@test", "kill-cb-2@test"};
  std::map<std::int64_t, std::string> acked;
  {
    Server server("serve-tickets.yaml", flags + " --log-dir " + (dir / "before").string());
    ASSERT_TRUE(server.running());
    for (std::size_t i = 0; i < calls.size(); ++i) {
      RawCaller caller(server.sip_port(), calls[i], "customers", "+493044" + std::to_string(i));
      ASSERT_EQ(caller.call().rfind("SIP/2.0 200", 0), 0u);
      std::this_thread::sleep_for(300ms);
      caller.send(caller.request("INFO", 2, "", "Signal=1\r\nDuration=160\r\n", "application/dtmf-relay"));
      const std::string bye = caller.next_request(3000);
      ASSERT_EQ(bye.rfind("BYE ", 0), 0u) << "callback not accepted: " << bye;
      caller.reply(bye, 200);
    }
    ApiLoad load(api_port, "0123456789abcdef0123");
    EXPECT_TRUE(load.wait_for(200)) << "the clients stalled";
    server.kill9();
    load.stop();
    acked = load.acknowledged();
    ASSERT_GE(acked.size(), 200u);
    std::map<std::int64_t, std::string> stored;
    store::TicketQuery q;
    q.limit = 100000;
    for (const auto& t : store::TicketStore::open(db)->list(q)) stored[t.id] = ticketing::status_name(t.status);
    load.expect_kept(stored);
  }
  EXPECT_EQ(store::connect_sqlite(db)->run("PRAGMA integrity_check").rows.at(0).at(0), "ok");
  const auto pending = store::CallbackStore(store::connect(db)).pending();
  ASSERT_EQ(pending.size(), calls.size()) << "a promised callback was lost";
  for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(pending[i].call_id, calls[i]);

  // The restart serves the same tickets and takes the promises up again.
  Server server("serve-tickets.yaml", flags + " --log-dir " + (dir / "after").string());
  ASSERT_TRUE(server.running());
  httplib::Client api("127.0.0.1", api_port);
  const auto res = api.Get("/tickets/" + std::to_string(acked.rbegin()->first), {{"Authorization", "Bearer 0123456789abcdef0123"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  for (const std::string& call : calls) {
    bool restored = false;
    for (const std::string& line : read_lines(dir / "after" / "events.jsonl")) {
      const auto e = nlohmann::json::parse(line);
      restored = restored || (e["call"] == call && e["event"] == "callback-restored");
    }
    EXPECT_TRUE(restored) << call;
  }
  EXPECT_EQ(store::CallbackStore(store::connect(db)).pending().size(), calls.size());  // nobody works yet: still promised
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace switchboard::test
