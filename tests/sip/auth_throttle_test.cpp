// Back-off for failed authentications and the agent networks, in-process.
#include <gtest/gtest.h>

#include <sys/socket.h>

#include "core/input_error.hpp"
#include "sip/auth_throttle.hpp"
#include "sip/networks.hpp"

using switchboard::sip::AuthThrottle;

TEST(AuthThrottle, FreeFailuresThenLocksDoublingUpToTheMost) {
  AuthThrottle t(5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(t.locked("alice", 0)) << i;
    t.failed("alice", 0);
  }
  EXPECT_FALSE(t.locked("alice", 0));  // five mistakes cost nothing
  t.failed("alice", 0);                // the sixth: 1 s
  EXPECT_TRUE(t.locked("alice", 999));
  EXPECT_FALSE(t.locked("alice", 1000));
  t.failed("alice", 1000);  // 2 s
  EXPECT_TRUE(t.locked("alice", 2999));
  EXPECT_FALSE(t.locked("alice", 3000));
  for (int i = 0; i < 40; ++i) t.failed("alice", 3000);
  EXPECT_TRUE(t.locked("alice", 3000 + AuthThrottle::kMaxLockMs - 1));
  EXPECT_FALSE(t.locked("alice", 3000 + AuthThrottle::kMaxLockMs));
  EXPECT_FALSE(t.locked("bob", 3000));  // keys apart
  t.succeeded("alice");
  EXPECT_FALSE(t.locked("alice", 3000));
}

TEST(AuthThrottle, QuietKeysAreForgottenAndTheTableIsBounded) {
  AuthThrottle t(1, 100);
  for (int i = 0; i < 1000; ++i) t.failed("source-" + std::to_string(i), 0);
  EXPECT_EQ(t.size(), 100u);  // a flood of sources cannot grow it
  t.failed("late", AuthThrottle::kForgetMs + 1000);  // the lapsed ones make room
  EXPECT_EQ(t.size(), 1u);
  t.failed("late", AuthThrottle::kForgetMs + 1000);  // the second failure: locked
  EXPECT_TRUE(t.locked("late", AuthThrottle::kForgetMs + 1500));
}

TEST(AgentNetworks, ParseAndContain) {
  using switchboard::sip::parse_network;
  struct sa a;
  const auto n = parse_network("10.1.0.0/16");
  sa_set_str(&a, "10.1.200.3", 0);
  EXPECT_TRUE(n.contains(a));
  sa_set_str(&a, "10.2.0.1", 0);
  EXPECT_FALSE(n.contains(a));
  EXPECT_EQ(n.text(), "10.1.0.0/16");
  const auto v6 = parse_network("fd00::/8");
  sa_set_str(&a, "fd12::1", 0);
  EXPECT_TRUE(v6.contains(a));
  EXPECT_FALSE(n.contains(a));
  sa_set_str(&a, "fe80::1", 0);
  EXPECT_FALSE(v6.contains(a));
  EXPECT_EQ(parse_network("192.0.2.7").prefix, 32);
  for (const char* bad : {"10.0.0.0/33", "nonsense", "10.0.0.0/", "::1/129", "10.0.0.0/8x"})
    EXPECT_THROW(parse_network(bad), switchboard::InputError) << bad;
  const auto defaults = switchboard::sip::default_agent_networks({"127.0.0.1"});
  sa_set_str(&a, "127.0.0.5", 0);
  EXPECT_TRUE(switchboard::sip::allowed(defaults, a));
  sa_set_str(&a, "203.0.113.9", 0);
  EXPECT_FALSE(switchboard::sip::allowed(defaults, a));
}
