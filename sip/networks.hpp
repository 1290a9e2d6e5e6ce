// IP networks (CIDR) for `--agent-networks`: where the address the server
// calls a SIP agent at may be. That is the Contact's, or for an agent whose
// registration is pinned to its flow (a connection, or a private Contact
// behind NAT: registrar.cpp) the REGISTER's source. The server INVITEs
// registered agents there, so without this limit
// stolen credentials would let anyone aim it at any host (a PSTN gateway:
// toll fraud). The default is loopback and the subnets of the interfaces
// the server listens on.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include <re/re.h>

namespace switchboard::sip {

struct Network {
  int family = AF_INET;          // AF_INET or AF_INET6
  std::uint8_t address[16] = {};  // network byte order; 4 bytes for IPv4
  int prefix = 0;                 // bits

  bool contains(const struct sa& a) const;
  std::string text() const;
};

// "10.0.0.0/8", "192.168.1.7" (a /32), "fd00::/8", "::1"; throws InputError
// naming --agent-networks and the bad entry.
Network parse_network(const std::string& spec);

// Loopback (127.0.0.0/8, ::1/128) and, for each listen address, the subnet
// of the interface that has it (every interface's for 0.0.0.0 or ::).
std::vector<Network> default_agent_networks(const std::vector<std::string>& listen_addresses);

bool allowed(const std::vector<Network>& networks, const struct sa& a);

// An address only a private network routes: RFC 1918's, RFC 6598's
// (carrier-grade NAT) or an IPv6 unique local one (fc00::/7). A phone
// behind NAT names one in its Contact.
bool is_private_address(const struct sa& a);

// The local address the kernel would send from to `ip` (the route's
// source: a UDP socket connected there, nothing sent), "" if `ip` is not an
// address or nothing routes to it. For media of another family than the
// INVITE's: linphone on a dual-stack host offers c=IN IP6 over IPv4.
std::string local_address_towards(const std::string& ip);

}  // namespace switchboard::sip
