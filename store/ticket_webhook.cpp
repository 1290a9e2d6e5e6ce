#include "store/ticket_webhook.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <stdexcept>

#include "store/background_thread.hpp"

namespace switchboard::store {

std::optional<WebhookUrl> parse_webhook_url(const std::string& url) {
  static const std::regex kUrl(R"(http://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:([0-9]{1,5}))?(/[^\s]*)?)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) return std::nullopt;
  if (m[3].matched && (std::stoi(m[3].str()) < 1 || std::stoi(m[3].str()) > 65535)) return std::nullopt;
  return WebhookUrl{"http://" + m[1].str() + (m[2].matched ? m[2].str() : ""), m[4].matched ? m[4].str() : "/"};
}

TicketWebhook::TicketWebhook(const std::string& url, WebhookOptions options) : options_(options) {
  const auto parsed = parse_webhook_url(url);
  if (!parsed) throw std::invalid_argument("not a webhook URL (http://HOST[:PORT][/PATH]): " + url);
  url_ = *parsed;
  thread_ = start_background_thread([this] { run(); });
}

TicketWebhook::~TicketWebhook() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool TicketWebhook::post(std::string body) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= options_.capacity) {
      ++counts_.dropped;
      return false;
    }
    queue_.push_back(std::move(body));
  }
  changed_.notify_one();
  return true;
}

WebhookCounts TicketWebhook::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::size_t TicketWebhook::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void TicketWebhook::run() {
  httplib::Client client(url_.origin);
  const auto timeout = std::chrono::duration<double>(options_.timeout);
  client.set_connection_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
  client.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
  client.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
  client.set_keep_alive(true);
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::string body = queue_.front();  // stays queued (counted in queued()) until done
    double backoff = options_.first_backoff;
    bool delivered = false;
    for (int attempt = 0; attempt < options_.attempts && !stopping_; ++attempt) {
      if (attempt > 0) {
        ++counts_.retries;
        // Wait out the back-off, or stop at once.
        if (changed_.wait_for(lock, std::chrono::duration<double>(backoff), [this] { return stopping_; })) break;
        backoff = std::min(backoff * 2, options_.max_backoff);
      }
      lock.unlock();
      const auto result = client.Post(url_.path, body, "application/json");
      lock.lock();
      if (result && result->status >= 200 && result->status < 300) {
        delivered = true;
        break;
      }
    }
    if (stopping_) return;
    queue_.pop_front();
    ++(delivered ? counts_.delivered : counts_.failed);
  }
}

}  // namespace switchboard::store
