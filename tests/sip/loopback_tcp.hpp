// A TCP connection to a server on 127.0.0.1, speaking SIP messages framed
// by Content-Length: the stream counterpart of LoopbackUdp for RawCaller
// (a TCP caller, maybe one whose Contact names a port where nobody listens).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace switchboard::test {

class LoopbackTcp {
 public:
  static constexpr const char* kTransport = "TCP";

  // Connected to 127.0.0.1:server_port (connected() says whether it worked).
  explicit LoopbackTcp(int server_port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(server_port));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~LoopbackTcp() { close(fd_); }
  LoopbackTcp(const LoopbackTcp&) = delete;
  LoopbackTcp& operator=(const LoopbackTcp&) = delete;

  bool connected() const { return connected_; }
  int port() const { return port_; }  // our end's: the source of what we send

  // Over the connection (the port is the connection's).
  void send_to(int, const std::string& message) const {
    std::size_t sent = 0;
    while (sent < message.size()) {
      const ssize_t n = write(fd_, message.data() + sent, message.size() - sent);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  // The next whole message within `timeout_ms` (empty if none, or the
  // connection closed); keep-alive CRLFs skipped.
  std::string receive(int timeout_ms) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      while (buffer_.rfind("\r\n", 0) == 0) buffer_.erase(0, 2);
      const auto head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::size_t length = content_length(buffer_.substr(0, head_end + 2));
        if (buffer_.size() >= head_end + 4 + length) {
          std::string m = buffer_.substr(0, head_end + 4 + length);
          buffer_.erase(0, m.size());
          return m;
        }
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) return {};
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) return {};
      char chunk[4096];
      const ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n <= 0) return {};
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  static std::size_t content_length(const std::string& head) {
    for (const char* name : {"\r\nContent-Length:", "\r\nl:"}) {
      const auto at = head.find(name);
      if (at != std::string::npos) return std::strtoul(head.c_str() + at + std::char_traits<char>::length(name), nullptr, 10);
    }
    return 0;
  }

  int fd_;
  int port_ = 0;
  bool connected_ = false;
  mutable std::string buffer_;  // received, not yet returned
};

}  // namespace switchboard::test
