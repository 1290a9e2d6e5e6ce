#include "sip/sdp_text.hpp"

#include <array>

namespace switchboard::sip {

namespace {

constexpr std::array<std::string_view, 4> kDirections = {"sendrecv", "sendonly", "recvonly", "inactive"};

// Calls `line(text)` for each line of `sdp` (CRLF or LF), without its end.
template <class Line>
void each_line(std::string_view sdp, Line line) {
  for (std::size_t from = 0; from < sdp.size();) {
    std::size_t end = sdp.find('\n', from);
    if (end == std::string_view::npos) end = sdp.size();
    std::string_view l = sdp.substr(from, end - from);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    line(l);
    from = end + 1;
  }
}

bool is_direction(std::string_view l) {
  for (std::string_view d : kDirections)
    if (l.size() == d.size() + 2 && l.substr(0, 2) == "a=" && l.substr(2) == d) return true;
  return false;
}

}  // namespace

std::string with_origin(std::string_view sdp, int version) {
  std::string out;
  out.reserve(sdp.size() + 32);
  each_line(sdp, [&](std::string_view l) {
    if (l.substr(0, 2) == "o=") {
      // o=<user> <sess-id> <version> <nettype> <addrtype> <address>: keep the last three.
      std::size_t at = 0;
      for (int field = 0; field < 3 && at != std::string_view::npos; ++field) at = l.find(' ', at + 1);
      out += "o=switchboard 1 " + std::to_string(version);
      out += at == std::string_view::npos ? std::string_view(" IN IP4 0.0.0.0") : l.substr(at);
    } else {
      out += l;
    }
    out += "\r\n";
  });
  return out;
}

std::string with_direction(std::string_view sdp, std::string_view direction) {
  std::string out;
  out.reserve(sdp.size() + 16);
  each_line(sdp, [&](std::string_view l) {
    if (is_direction(l) || l.empty()) return;
    out += l;
    out += "\r\n";
  });
  out += "a=";
  out += direction;
  out += "\r\n";
  return out;
}

const char* answer_direction(std::string_view offer) {
  const char* answer = "sendrecv";
  each_line(offer, [&](std::string_view l) {
    if (l == "a=sendonly") answer = "recvonly";
    else if (l == "a=recvonly") answer = "sendonly";
    else if (l == "a=inactive") answer = "inactive";
  });
  return answer;
}

}  // namespace switchboard::sip
