// The SIP tests' port blocks: tests run in parallel processes, and each must
// have ports no other test process (nor another program's outgoing
// connection) can hold at the same time.
#include <gtest/gtest.h>

#include "serve_harness.hpp"

using namespace switchboard::test::serve;

TEST(TestPorts, ASecondClaimGetsAnotherFreeBlockBelowTheEphemeralRange) {
  const int mine = base_port();
  // Another claim while this process holds its block: what a second test
  // process would get (flock conflicts between open file descriptions).
  const int other = claim_port_block();
  EXPECT_NE(other, mine);
  EXPECT_GE(std::abs(other - mine), 10);
  for (int base : {mine, other}) {
    EXPECT_GE(base, 20000);
    EXPECT_LT(base + 9, 32768);
  }
  for (int port = other; port < other + 10; ++port) {
    EXPECT_TRUE(loopback_port_free(port, SOCK_DGRAM)) << port;
    EXPECT_TRUE(loopback_port_free(port, SOCK_STREAM)) << port;
  }
}
