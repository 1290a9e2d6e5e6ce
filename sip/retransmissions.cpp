#include "sip/retransmissions.hpp"

#include <cstring>
#include <stdexcept>
#include <string_view>

#include <sodium.h>

namespace switchboard::sip {

namespace {

using Key = RetransmissionDetector::Key;

std::uint64_t siphash(std::string_view part, const Key& key) {
  std::uint64_t h = 0;
  static_assert(crypto_shorthash_BYTES == sizeof h && crypto_shorthash_KEYBYTES == sizeof(Key));
  crypto_shorthash(reinterpret_cast<unsigned char*>(&h), reinterpret_cast<const unsigned char*>(part.data()), part.size(),
                   key.data());
  return h;
}

Key random_key() {
  if (sodium_init() < 0) throw std::runtime_error("cannot initialise libsodium");
  Key k;
  randombytes_buf(k.data(), k.size());
  return k;
}

std::size_t power_of_two(std::size_t n) {
  std::size_t p = 16;
  while (p < n) p *= 2;
  return p;
}

std::string_view line_at(std::string_view m, std::size_t from) {
  const std::size_t end = m.find('\r', from);
  return m.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
}

// The value after `name` at the start of a header line, any letter case.
std::string_view header(std::string_view m, std::string_view name) {
  for (std::size_t at = m.find('\n'); at != std::string_view::npos && at + 1 < m.size(); at = m.find('\n', at + 1)) {
    const std::string_view rest = m.substr(at + 1);
    if (rest.size() < name.size() || rest.substr(0, 2) == "\r\n") break;  // end of the headers
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i)
      same = (rest[i] | 0x20) == (name[i] | 0x20);
    if (same) return line_at(m, at + 1 + name.size());
  }
  return {};
}

std::string_view branch(std::string_view via) {
  const std::size_t at = via.find("branch=");
  if (at == std::string_view::npos) return {};
  const std::size_t from = at + 7;
  const std::size_t end = via.find_first_of(";, \t", from);
  return via.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
}

}  // namespace

namespace {
constexpr unsigned kTick = 6;  // time in units of 2^6 ms
}

RetransmissionDetector::RetransmissionDetector(std::uint64_t window_ms, std::size_t capacity)
    : RetransmissionDetector(window_ms, capacity, random_key()) {}

RetransmissionDetector::RetransmissionDetector(std::uint64_t window_ms, std::size_t capacity, const Key& key)
    : window_(static_cast<std::uint32_t>((window_ms + (1u << kTick) - 1) >> kTick)), key_(key), table_(power_of_two(capacity)) {}

std::uint64_t RetransmissionDetector::identity(const char* message, std::size_t length) const {
  const std::string_view m(message, length);
  const std::string_view start = line_at(m, 0);
  std::string_view via = header(m, "Via:");
  if (via.empty()) via = header(m, "v:");  // compact form
  const std::string_view cseq = header(m, "CSeq:");
  if (start.empty() || via.empty() || cseq.empty()) return 0;
  // Each part hashed apart, then the three together: ("ab","c") and ("a","bc") differ.
  const std::uint64_t parts[3] = {siphash(start, key_), siphash(branch(via), key_), siphash(cseq, key_)};
  const std::uint64_t h = siphash(std::string_view(reinterpret_cast<const char*>(parts), sizeof parts), key_);
  return h == 0 ? 1 : h;
}

bool RetransmissionDetector::repeat(const char* message, std::size_t length, std::uint64_t now_ms) {
  const std::uint64_t id = identity(message, length);
  if (id == 0) return false;
  const std::uint32_t key = static_cast<std::uint32_t>(id >> 32) | 1u;  // never 0
  const std::size_t home = static_cast<std::size_t>(id);
  const auto now = static_cast<std::uint32_t>(now_ms >> kTick);
  const std::size_t mask = table_.size() - 1;
  Slot* free_slot = nullptr;
  Slot* oldest = nullptr;
  for (std::size_t i = 0; i < kProbe; ++i) {
    Slot& s = table_[(home + i) & mask];
    if (s.key == key && fresh(s, now)) return true;
    if (free_slot == nullptr && !fresh(s, now)) free_slot = &s;
    if (oldest == nullptr || static_cast<std::uint32_t>(now - s.seen) > static_cast<std::uint32_t>(now - oldest->seen)) oldest = &s;
  }
  if (free_slot == nullptr) {  // every slot of the probe inside the window: forget the oldest
    free_slot = oldest;
    ++evictions_;
  }
  *free_slot = Slot{key, now};
  return false;
}

}  // namespace switchboard::sip
