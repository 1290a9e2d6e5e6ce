// Ticket changes pushed to a webhook (`serve --ticket-webhook URL`): each is
// one HTTP POST of a JSON object, sent in order by a thread of its own with
// cpp-httplib's client. A failed POST (no connection, a timeout, a status
// other than 2xx) is retried with a doubling back-off; a change still not
// taken after the last attempt is counted as failed and dropped. The queue
// is bounded: post() never blocks, and a change that finds it full is
// counted as dropped (overflow) instead of holding up whoever posts.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace switchboard::store {

struct WebhookOptions {
  std::size_t capacity = 1000;   // changes waiting at most; beyond: dropped
  int attempts = 5;              // POSTs per change
  double first_backoff = 0.5;    // seconds before the second attempt, doubled each time
  double max_backoff = 8;
  double timeout = 5;            // seconds for connecting and for the answer
};

struct WebhookCounts {
  std::uint64_t delivered = 0;   // answered 2xx
  std::uint64_t failed = 0;      // every attempt failed
  std::uint64_t dropped = 0;     // found the queue full
  std::uint64_t retries = 0;     // attempts after a first one
};

struct WebhookUrl {
  std::string origin;            // http://host:port, what the client connects to
  std::string path;              // what it POSTs to ("/" if none)
};

// "http://HOST[:PORT][/PATH]" -> its parts; nothing when it is not one
// (https is not available: cpp-httplib is built here without TLS).
std::optional<WebhookUrl> parse_webhook_url(const std::string& url);

class TicketWebhook {
 public:
  // `url` must be one parse_webhook_url() takes (std::invalid_argument otherwise).
  explicit TicketWebhook(const std::string& url, WebhookOptions options = {});
  // Stops: a POST in flight finishes or times out; changes still queued are dropped.
  ~TicketWebhook();
  TicketWebhook(const TicketWebhook&) = delete;
  TicketWebhook& operator=(const TicketWebhook&) = delete;

  // Queues one change (a JSON text). Never blocks; false when the queue was full.
  bool post(std::string body);
  WebhookCounts counts() const;
  std::size_t queued() const;

 private:
  void run();
  WebhookUrl url_;
  WebhookOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  WebhookCounts counts_;
  std::thread thread_;
};

}  // namespace switchboard::store
