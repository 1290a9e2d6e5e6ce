#include "sip/auth_throttle.hpp"

#include <algorithm>

namespace switchboard::sip {

bool AuthThrottle::locked(std::string_view key, std::uint64_t now_ms) const {
  const auto it = entries_.find(std::string(key));
  return it != entries_.end() && now_ms < it->second.locked_until_ms;
}

void AuthThrottle::failed(std::string_view key, std::uint64_t now_ms) {
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_) forget_lapsed(now_ms);
    if (entries_.size() >= capacity_) return;
    it = entries_.emplace(std::string(key), Entry{}).first;
  } else if (now_ms - it->second.last_ms >= kForgetMs && now_ms >= it->second.locked_until_ms) {
    it->second = Entry{};
  }
  Entry& e = it->second;
  ++e.failures;
  e.last_ms = now_ms;
  const int over = e.failures - free_failures_;
  if (over > 0) {
    const std::uint64_t lock = over >= 20 ? kMaxLockMs : std::min<std::uint64_t>(kMaxLockMs, 1000ull << (over - 1));
    e.locked_until_ms = now_ms + lock;
  }
}

void AuthThrottle::forget_lapsed(std::uint64_t now_ms) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (now_ms >= it->second.locked_until_ms && now_ms - it->second.last_ms >= kForgetMs) it = entries_.erase(it);
    else ++it;
  }
}

}  // namespace switchboard::sip
