// A UDP socket on 127.0.0.1 for the SIP and RTP tests that speak raw
// datagrams (a caller's RTP endpoint, hand-made SIP messages).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

namespace switchboard::test {

class LoopbackUdp {
 public:
  // Bound to 127.0.0.1:port; 0 takes any free port.
  explicit LoopbackUdp(int port = 0) : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
    sockaddr_in a = address(port);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~LoopbackUdp() { close(fd_); }
  LoopbackUdp(const LoopbackUdp&) = delete;
  LoopbackUdp& operator=(const LoopbackUdp&) = delete;

  bool bound() const { return bound_; }
  int port() const { return port_; }

  void send_to(int port, const std::string& datagram) const {
    const sockaddr_in to = address(port);
    sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }

  // The next datagram within `timeout_ms` (empty if none) and its sender's port.
  std::string receive(int timeout_ms, int* from_port = nullptr) const {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return {};
    char buffer[4096];
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const ssize_t n = recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n <= 0) return {};
    if (from_port != nullptr) *from_port = ntohs(from.sin_port);
    return std::string(buffer, static_cast<std::size_t>(n));
  }

 private:
  static sockaddr_in address(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    return a;
  }

  int fd_;
  int port_ = 0;
  bool bound_ = false;
};

}  // namespace switchboard::test
