// Back-off for failed digest authentications (sip/registrar.hpp), by a key
// such as a source address or a user name: the first kFreeFailures failures
// cost nothing, each later one locks the key out for twice as long as the
// one before (1 s, 2 s, 4 s, ... at most kMaxLockMs), and an attempt while
// locked out is refused without looking at the password and counts as a
// failure too. A key with no failure for kForgetMs starts afresh; a success
// clears it. So a password guesser (svcrack) gets a handful of tries, then
// minutes per try, while an agent who mistypes once is not slowed down.
//
// The table holds at most `capacity` keys (a flood of spoofed sources cannot
// grow it): when full, keys whose lock and memory have lapsed are dropped,
// and if none has, the new key is not remembered (the other key of the same
// attempt, the user, still throttles).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace switchboard::sip {

class AuthThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr std::uint64_t kMaxLockMs = 300000;
  static constexpr std::uint64_t kForgetMs = 900000;

  explicit AuthThrottle(int free_failures = kFreeFailures, std::size_t capacity = 4096)
      : free_failures_(free_failures), capacity_(capacity) {}

  bool locked(std::string_view key, std::uint64_t now_ms) const;
  void failed(std::string_view key, std::uint64_t now_ms);
  void succeeded(std::string_view key) { entries_.erase(std::string(key)); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    int failures = 0;
    std::uint64_t last_ms = 0;
    std::uint64_t locked_until_ms = 0;
  };
  void forget_lapsed(std::uint64_t now_ms);

  int free_failures_;
  std::size_t capacity_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace switchboard::sip
