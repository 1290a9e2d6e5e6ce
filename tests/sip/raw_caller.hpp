// A SIP caller made of hand-written messages, for the tests that need
// messages SIPp will not send (bad bytes, missing headers) or that look at
// every answer: INVITE, ACK with the server's tag, in-dialog requests, and
// answers to the server's own requests. Datagrams on a LoopbackUdp
// (RawCaller), or a TCP connection (RawTcpCaller).
#pragma once

#include <string>
#include <type_traits>

#include "sip/loopback_tcp.hpp"
#include "sip/loopback_udp.hpp"

namespace switchboard::test {

template <class Socket>
class BasicRawCaller {
 public:
  static constexpr bool kTcp = std::is_same_v<Socket, LoopbackTcp>;

  // `from`: the user part of our From URI (the calling number).
  BasicRawCaller(int server_port, std::string call_id, std::string user = "customers", std::string from = "caller")
      : server_port_(server_port), call_id_(std::move(call_id)), user_(std::move(user)), from_(std::move(from)),
        udp_(kTcp ? server_port : 0) {}

  int port() const { return udp_.port(); }
  const Socket& socket() const { return udp_; }
  // The port our Contact names (by default our own): a TCP caller behind
  // NAT, or one that does not listen, names one where nobody answers.
  void set_contact_port(int port) { contact_port_ = port; }
  std::string contact() const {
    return "<sip:caller@127.0.0.1:" + std::to_string(contact_port_ > 0 ? contact_port_ : port()) +
           (kTcp ? ";transport=tcp>" : ">");
  }

  // A request of ours; `headers` are extra CRLF-terminated lines.
  std::string request(const std::string& method, int cseq, const std::string& headers = "", const std::string& body = "",
                      const std::string& content_type = "application/sdp") const {
    const std::string p = std::to_string(port());
    std::string m = method + " sip:" + user_ + "@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/" + std::string(kTcp ? "TCP" : "UDP") + " 127.0.0.1:" + p + ";branch=z9hG4bK-" +
                    method + std::to_string(cseq) + "-" + std::to_string(++branch_) + "\r\nFrom: <sip:" + from_ + "@127.0.0.1:" + p +
                    ">;tag=caller1\r\nTo: <sip:" + user_ + "@127.0.0.1>" + (to_tag_.empty() ? "" : ";tag=" + to_tag_) +
                    "\r\nCall-ID: " + call_id_ + "\r\nCSeq: " + std::to_string(cseq) + " " + method +
                    "\r\nMax-Forwards: 70\r\n" + headers;
    if (!body.empty()) m += "Content-Type: " + content_type + "\r\n";
    m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return m;
  }
  void send(const std::string& datagram) const { udp_.send_to(server_port_, datagram); }

  // The next final response (>= 200) within `timeout_ms`, provisional ones
  // skipped; requests from the server are kept for next_request().
  std::string final_response(int timeout_ms = 2000) {
    for (int i = 0; i < 20; ++i) {
      const std::string m = udp_.receive(timeout_ms);
      if (m.empty()) return m;
      if (m.rfind("SIP/2.0 1", 0) == 0) continue;
      if (m.rfind("SIP/2.0 ", 0) != 0) {
        pending_ = m;
        continue;
      }
      return m;
    }
    return {};
  }
  // The next request the server sends us.
  std::string next_request(int timeout_ms = 2000) {
    if (!pending_.empty()) return std::exchange(pending_, std::string());
    for (int i = 0; i < 20; ++i) {
      const std::string m = udp_.receive(timeout_ms);
      if (m.empty() || m.rfind("SIP/2.0 ", 0) != 0) return m;
    }
    return {};
  }

  // INVITE (with an SDP offer unless `sdp` is empty), and on 200 the ACK:
  // the dialog is established. Returns the final response.
  std::string call(const std::string& extra_headers = "", const std::string& sdp = kOffer) {
    send(request("INVITE", 1, "Contact: " + contact() + "\r\n" + extra_headers, sdp));
    const std::string answer = final_response();
    if (answer.rfind("SIP/2.0 200", 0) == 0) {
      to_tag_ = header_param(answer, "To:", "tag=");
      send(request("ACK", 1));
    }
    return answer;
  }

  // Answers a request of the server's (BYE, re-INVITE) with `code`.
  void reply(const std::string& request, int code, const std::string& body = "") const {
    std::string m = "SIP/2.0 " + std::to_string(code) + (code == 200 ? " OK" : " Error") + "\r\n";
    for (const char* name : {"Via:", "From:", "To:", "Call-ID:", "CSeq:"}) m += name + header(request, name) + "\r\n";
    if (!body.empty()) m += "Content-Type: application/sdp\r\n";
    m += "Contact: " + contact() + "\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
    send(m);
  }

  // The value of a header (after "Name:"), or empty.
  static std::string header(const std::string& message, const std::string& name) {
    const auto at = message.find("\r\n" + name);
    if (at == std::string::npos) return {};
    const auto from = at + 2 + name.size();
    return message.substr(from, message.find("\r\n", from) - from);
  }
  static std::string header_param(const std::string& message, const std::string& name, const std::string& param) {
    const std::string value = header(message, name);
    const auto at = value.find(param);
    if (at == std::string::npos) return {};
    const auto from = at + param.size();
    return value.substr(from, value.find_first_of(";>, ", from) - from);
  }
  static std::string body(const std::string& message) {
    const auto at = message.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : message.substr(at + 4);
  }

  static constexpr const char* kOffer =
      "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 101\r\n"
      "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

 private:
  int server_port_;
  std::string call_id_, user_, from_, to_tag_, pending_;
  mutable int branch_ = 0;
  int contact_port_ = 0;
  Socket udp_;  // the transport: a UDP socket, or a TCP connection
};

using RawCaller = BasicRawCaller<LoopbackUdp>;
using RawTcpCaller = BasicRawCaller<LoopbackTcp>;

}  // namespace switchboard::test
