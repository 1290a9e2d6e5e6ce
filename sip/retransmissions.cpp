#include "sip/retransmissions.hpp"

#include <cstring>
#include <string_view>

namespace switchboard::sip {

namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::uint64_t mix(std::uint64_t h, std::string_view part) {
  for (char c : part) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return (h ^ 0xff) * kFnvPrime;  // a separator: ("ab","c") and ("a","bc") differ
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

RetransmissionDetector::RetransmissionDetector(std::uint64_t window_ms, std::size_t initial_slots)
    : window_(static_cast<std::uint32_t>((window_ms + (1u << kTick) - 1) >> kTick)), table_(initial_slots) {}

std::uint64_t RetransmissionDetector::identity(const char* message, std::size_t length) {
  const std::string_view m(message, length);
  const std::string_view start = line_at(m, 0);
  std::string_view via = header(m, "Via:");
  if (via.empty()) via = header(m, "v:");  // compact form
  const std::string_view cseq = header(m, "CSeq:");
  if (start.empty() || via.empty() || cseq.empty()) return 0;
  std::uint64_t h = mix(mix(mix(kFnvOffset, start), branch(via)), cseq);
  return h == 0 ? 1 : h;
}

bool RetransmissionDetector::repeat(const char* message, std::size_t length, std::uint64_t now_ms) {
  const std::uint64_t id = identity(message, length);
  if (id == 0) return false;
  const std::uint32_t key = static_cast<std::uint32_t>(id >> 32) | 1u;  // never 0
  const auto now = static_cast<std::uint32_t>(now_ms >> kTick);
  for (;;) {
    const std::size_t mask = table_.size() - 1;
    Slot* free_slot = nullptr;
    for (std::size_t i = 0; i < kProbe; ++i) {
      Slot& s = table_[(key + i) & mask];
      if (s.key == key && fresh(s, now)) return true;
      if (free_slot == nullptr && !fresh(s, now)) free_slot = &s;
    }
    if (free_slot != nullptr) {
      *free_slot = Slot{key, now};
      return false;
    }
    grow(now);  // every slot of the probe still inside the window
  }
}

void RetransmissionDetector::grow(std::uint32_t now) {
  std::vector<Slot> old(table_.size() * 2);
  old.swap(table_);
  const std::size_t mask = table_.size() - 1;
  for (const Slot& s : old) {
    if (!fresh(s, now)) continue;
    for (std::size_t i = 0; i < kProbe; ++i) {
      Slot& t = table_[(s.key + i) & mask];
      if (t.key == 0) {
        t = s;
        break;
      }
    }
  }
}

}  // namespace switchboard::sip
