// Keep-alive HTTP clients driving the ticket API on 127.0.0.1, each on a
// thread of its own, every request timed: the loop of the ticket API
// benchmark (ticket_api_bench.cpp) and of the load beside the SIP server
// (tools/ticket_api_load.cpp, bench/tickets-beside-sip.sh).
#pragma once

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::bench {

// Every request's latency in ms and the requests that failed.
struct Latencies {
  std::vector<double> ms;
  std::int64_t failed = 0;

  void add(const Latencies& other) {
    ms.insert(ms.end(), other.ms.begin(), other.ms.end());
    failed += other.failed;
  }
  // The p-quantile (0..1) of the latencies so far; 0 without any.
  double percentile(double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))];
  }
};

// `clients` clients, each with its own keep-alive connection to `port`;
// client c sends request(cli, auth, c, i) for i = 0, 1, ... while more(c, i)
// says so. `request` returns whether the answer was the expected one.
template <typename More, typename Request>
Latencies run_clients(int port, const std::string& token, int clients, More more, Request request) {
  std::vector<Latencies> mine(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      httplib::Client cli("127.0.0.1", port);
      cli.set_keep_alive(true);
      cli.set_tcp_nodelay(true);
      cli.set_connection_timeout(5);
      cli.set_read_timeout(10);
      const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
      Latencies& l = mine[static_cast<std::size_t>(c)];
      for (int i = 0; more(c, i); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        if (!request(cli, auth, c, i)) ++l.failed;
        l.ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
    });
  for (auto& t : threads) t.join();
  Latencies all;
  for (const auto& l : mine) all.add(l);
  return all;
}

}  // namespace switchboard::bench
