// The webhook's queue and retries, against loopback receivers of the test's
// own: what cannot be delivered is counted (failed after the last attempt,
// dropped when the bounded queue is full), never waited for by post().
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/ticket_webhook.hpp"

namespace switchboard::store {
namespace {

using namespace std::chrono_literals;

template <typename Done>
bool eventually(Done done) {
  const auto until = std::chrono::steady_clock::now() + 15s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// A receiver that answers `status`, holding each request until released
// when `hold` is set.
class Receiver {
 public:
  explicit Receiver(int status, bool hold = false) : status_(status), hold_(hold) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::unique_lock lock(mutex_);
      ++requests_;
      bodies_.push_back(req.body);
      changed_.notify_all();
      changed_.wait(lock, [this] { return !hold_; });
      res.status = status_;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    release();
    server_.stop();
    thread_.join();
  }
  void release() {
    std::lock_guard lock(mutex_);
    hold_ = false;
    changed_.notify_all();
  }
  int requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

 private:
  httplib::Server server_;
  int status_;
  bool hold_;
  int port_ = 0;
  int requests_ = 0;
  std::vector<std::string> bodies_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

TEST(TicketWebhook, UrlsAreCheckedAndSplit) {
  const auto u = parse_webhook_url("http://127.0.0.1:8080/hooks/tickets?x=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->origin, "http://127.0.0.1:8080");
  EXPECT_EQ(u->path, "/hooks/tickets?x=1");
  EXPECT_EQ(parse_webhook_url("http://sms.example")->path, "/");
  EXPECT_EQ(parse_webhook_url("http://[::1]:9/h")->origin, "http://[::1]:9");
  for (const char* bad : {"", "https://example/h", "ftp://example/h", "http://", "http://host:0/h", "http://host:70000/",
                          "http://ho st/", "example.com/hook"})
    EXPECT_FALSE(parse_webhook_url(bad)) << bad;
  EXPECT_THROW(TicketWebhook("nonsense"), std::invalid_argument);
}

TEST(TicketWebhook, DeliversInOrder) {
  Receiver receiver(204);
  TicketWebhook hook(receiver.url());
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(hook.post("{\"n\": " + std::to_string(i) + "}"));
  ASSERT_TRUE(eventually([&] { return hook.counts().delivered == 20; }));
  const auto bodies = receiver.bodies();
  ASSERT_EQ(bodies.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(bodies[i], "{\"n\": " + std::to_string(i) + "}");
  EXPECT_EQ(hook.counts().retries, 0u);
  EXPECT_EQ(hook.counts().failed, 0u);
}

TEST(TicketWebhook, AChangeNobodyTakesIsRetriedThenCountedFailed) {
  Receiver receiver(503);
  WebhookOptions o;
  o.attempts = 3;
  o.first_backoff = 0.01;
  TicketWebhook hook(receiver.url(), o);
  hook.post("{}");
  ASSERT_TRUE(eventually([&] { return hook.counts().failed == 1; }));
  EXPECT_EQ(receiver.requests(), 3);
  EXPECT_EQ(hook.counts().retries, 2u);
  EXPECT_EQ(hook.counts().delivered, 0u);
}

TEST(TicketWebhook, AnUnreachableReceiverCountsAsFailed) {
  // A port nothing listens on: bound, then closed (connecting is refused at once).
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof a;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), size), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &size), 0);
  const int port = ntohs(a.sin_port);
  close(fd);
  WebhookOptions o;
  o.attempts = 2;
  o.first_backoff = 0.01;
  TicketWebhook hook("http://127.0.0.1:" + std::to_string(port) + "/hook", o);
  hook.post("{}");
  ASSERT_TRUE(eventually([&] { return hook.counts().failed == 1; }));
  EXPECT_EQ(hook.counts().retries, 1u);
}

// While the receiver holds the first POST, the queue fills: post() returns
// at once and the overflow is counted; what was queued is delivered later.
TEST(TicketWebhook, ABoundedQueueDropsAndCountsTheOverflowWithoutBlocking) {
  Receiver receiver(200, true);
  WebhookOptions o;
  o.capacity = 3;  // the change in flight counts: it leaves the queue when done
  TicketWebhook hook(receiver.url(), o);
  EXPECT_TRUE(hook.post("{\"n\": 0}"));
  ASSERT_TRUE(eventually([&] { return receiver.requests() == 1; }));
  EXPECT_TRUE(hook.post("{\"n\": 1}"));
  EXPECT_TRUE(hook.post("{\"n\": 2}"));
  for (int i = 3; i < 10; ++i) EXPECT_FALSE(hook.post("{\"n\": " + std::to_string(i) + "}"));
  EXPECT_EQ(hook.counts().dropped, 7u);
  EXPECT_EQ(hook.queued(), 3u);
  receiver.release();
  ASSERT_TRUE(eventually([&] { return hook.counts().delivered == 3; }));
  EXPECT_EQ(receiver.bodies(), (std::vector<std::string>{"{\"n\": 0}", "{\"n\": 1}", "{\"n\": 2}"}));
}

}  // namespace
}  // namespace switchboard::store
