// The ticket API load beside the SIP server (bench/tickets-beside-sip.sh):
// against an API that is already running (`serve --api`), CLIENTS keep-alive
// clients on 127.0.0.1 create tickets (POST /tickets) or read them (GET
// /tickets/{id} of an id created before) for SECONDS, then one line:
//   create clients 4 seconds 10.0 requests 21234 per_s 2123.4 p50_ms 1.20 p99_ms 9.80 max_ms 31.00 failed 0
// Exit status 0 when no request failed, 1 otherwise, 2 for bad arguments.
//   usage: ticket_api_load create|read PORT TOKEN CATEGORY CLIENTS SECONDS
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "bench/api_clients.hpp"

namespace {

int usage(const char* why) {
  std::fprintf(stderr, "ticket_api_load: %s\nusage: ticket_api_load create|read PORT TOKEN CATEGORY CLIENTS SECONDS\n", why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) return usage("expected 6 arguments");
  const std::string mode = argv[1], token = argv[3], category = argv[4];
  const int port = std::atoi(argv[2]), clients = std::atoi(argv[5]);
  const double seconds = std::atof(argv[6]);
  if (mode != "create" && mode != "read") return usage("the mode is create or read");
  if (port <= 0 || port > 65535) return usage("PORT: expected 1 to 65535");
  if (clients < 1 || clients > 256) return usage("CLIENTS: expected 1 to 256");
  if (!(seconds > 0)) return usage("SECONDS: expected a duration > 0");

  // The newest id this load knows exists: what the readers read below.
  std::atomic<std::int64_t> newest{0};
  if (mode == "read") {
    httplib::Client cli("127.0.0.1", port);
    const auto r = cli.Get("/tickets?limit=1", {{"Authorization", "Bearer " + token}});
    if (!r || r->status != 200) return usage("the API did not answer GET /tickets (port, token?)");
    const auto page = nlohmann::json::parse(r->body)["tickets"];
    if (page.empty()) return usage("read: no ticket to read (run create first)");
    // Ids are dense from 1 (the database numbers them): read 1..max of the
    // first page's id and everything created since, found by paging once.
    std::int64_t last = page[0]["id"].get<std::int64_t>();
    for (;;) {
      const auto more = cli.Get("/tickets?limit=1000&after=" + std::to_string(last), {{"Authorization", "Bearer " + token}});
      if (!more || more->status != 200) break;
      const auto next = nlohmann::json::parse(more->body)["next_after"];
      const auto got = nlohmann::json::parse(more->body)["tickets"];
      if (!got.empty()) last = got.back()["id"].get<std::int64_t>();
      if (next.is_null()) break;
    }
    newest = last;
  }

  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  const auto t0 = std::chrono::steady_clock::now();
  const auto more = [end](int, int) { return std::chrono::steady_clock::now() < end; };
  switchboard::bench::Latencies all;
  if (mode == "create") {
    const std::string body_start = R"({"category": ")" + category + R"(", "customer": "load-)";
    all = switchboard::bench::run_clients(port, token, clients, more,
                                          [&](httplib::Client& cli, const httplib::Headers& auth, int c, int i) {
                                            const auto r = cli.Post("/tickets", auth,
                                                                    body_start + std::to_string(c) + "-" + std::to_string(i) + "\"}",
                                                                    "application/json");
                                            return r && r->status == 201;
                                          });
  } else {
    all = switchboard::bench::run_clients(port, token, clients, more,
                                          [&](httplib::Client& cli, const httplib::Headers& auth, int c, int i) {
                                            // A spread of ids, the same for every run.
                                            const std::int64_t id = 1 + (static_cast<std::int64_t>(c) * 7919 + i * 104729) % newest;
                                            const auto r = cli.Get("/tickets/" + std::to_string(id), auth);
                                            return r && r->status == 200;
                                          });
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double n = static_cast<double>(all.ms.size());
  const double p50 = all.percentile(0.5), p99 = all.percentile(0.99), max = all.percentile(1.0);
  std::printf("%s clients %d seconds %.1f requests %.0f per_s %.1f p50_ms %.2f p99_ms %.2f max_ms %.2f failed %lld\n", mode.c_str(),
              clients, wall, n, n / wall, p50, p99, max, static_cast<long long>(all.failed));
  return all.failed == 0 ? 0 : 1;
}
