#include "sip/networks.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstring>

#include "core/input_error.hpp"

namespace switchboard::sip {

namespace {

int address_bytes(int family) { return family == AF_INET ? 4 : 16; }

void bytes_of(const struct sa& a, std::uint8_t* out) {
  if (sa_af(&a) == AF_INET) {
    const std::uint32_t v = htonl(sa_in(&a));
    std::memcpy(out, &v, 4);
  } else {
    sa_in6(&a, out);
  }
}

int prefix_of(const sockaddr* mask) {
  const auto* p = mask->sa_family == AF_INET
                      ? reinterpret_cast<const std::uint8_t*>(&reinterpret_cast<const sockaddr_in*>(mask)->sin_addr)
                      : reinterpret_cast<const std::uint8_t*>(&reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr);
  int bits = 0;
  for (int i = 0; i < address_bytes(mask->sa_family); ++i) bits += __builtin_popcount(p[i]);
  return bits;
}

}  // namespace

bool Network::contains(const struct sa& a) const {
  if (sa_af(&a) != family) return false;
  std::uint8_t b[16] = {};
  bytes_of(a, b);
  for (int bit = 0; bit < prefix; bit += 8) {
    const int n = prefix - bit >= 8 ? 8 : prefix - bit;
    const std::uint8_t mask = static_cast<std::uint8_t>(0xff00 >> n);
    if ((b[bit / 8] & mask) != (address[bit / 8] & mask)) return false;
  }
  return true;
}

std::string Network::text() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, address, buffer, sizeof buffer);
  return std::string(buffer) + "/" + std::to_string(prefix);
}

Network parse_network(const std::string& spec) {
  const auto slash = spec.find('/');
  const std::string host = spec.substr(0, slash);
  Network n;
  n.family = host.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  const int most = address_bytes(n.family) * 8;
  n.prefix = most;
  bool ok = inet_pton(n.family, host.c_str(), n.address) == 1;
  if (ok && slash != std::string::npos) {
    const std::string bits = spec.substr(slash + 1);
    ok = !bits.empty() && bits.size() <= 3 && bits.find_first_not_of("0123456789") == std::string::npos &&
         std::stoi(bits) <= most;
    if (ok) n.prefix = std::stoi(bits);
  }
  if (!ok)
    throw InputError(Problem{"", 0, 0, "--agent-networks",
                             "expected networks such as 10.0.0.0/8,fd00::/8 or addresses, got '" + spec + "'"});
  return n;
}

std::vector<Network> default_agent_networks(const std::vector<std::string>& listen_addresses) {
  std::vector<Network> out = {parse_network("127.0.0.0/8"), parse_network("::1/128")};
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (const std::string& listen : listen_addresses) {
    struct sa want;
    const bool any = sa_set_str(&want, listen.c_str(), 0) == 0 && sa_is_any(&want);
    for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
      if (i->ifa_addr == nullptr || i->ifa_netmask == nullptr) continue;
      if (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6) continue;
      struct sa have;
      sa_init(&have, i->ifa_addr->sa_family);
      sa_set_sa(&have, i->ifa_addr);
      if (!any && !sa_cmp(&have, &want, SA_ADDR)) continue;
      if (any && sa_af(&have) != sa_af(&want)) continue;
      Network n;
      n.family = i->ifa_addr->sa_family;
      bytes_of(have, n.address);
      n.prefix = prefix_of(i->ifa_netmask);
      out.push_back(n);
    }
  }
  freeifaddrs(list);
  return out;
}

bool allowed(const std::vector<Network>& networks, const struct sa& a) {
  for (const Network& n : networks)
    if (n.contains(a)) return true;
  return false;
}

bool is_private_address(const struct sa& a) {
  static const std::vector<Network> kPrivate = {parse_network("10.0.0.0/8"), parse_network("172.16.0.0/12"),
                                                parse_network("192.168.0.0/16"), parse_network("100.64.0.0/10"),
                                                parse_network("fc00::/7")};
  return allowed(kPrivate, a);
}

std::string local_address_towards(const std::string& ip) {
  struct sa peer;
  if (sa_set_str(&peer, ip.c_str(), 9) != 0) return {};  // any port: connect() only picks the route
  const int fd = ::socket(sa_af(&peer), SOCK_DGRAM, 0);
  if (fd < 0) return {};
  struct sa local;
  sa_init(&local, sa_af(&peer));
  const bool routed = ::connect(fd, &peer.u.sa, peer.len) == 0 && ::getsockname(fd, &local.u.sa, &local.len) == 0;
  ::close(fd);
  char text[64] = {};
  if (!routed || sa_ntop(&local, text, sizeof text) != 0) return {};
  return text;
}

}  // namespace switchboard::sip
