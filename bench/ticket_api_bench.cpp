// The ticket HTTP API under load on this machine: 4 or 16 keep-alive clients on
// 127.0.0.1 creating tickets and reading them, on SQLite in WAL mode with
// synchronous=NORMAL (sync:0, serve's default: every create is in the WAL
// when its 201 arrives, and survives a crash of the server) or FULL (sync:1:
// on disk, each commit waits for an fsync). Reports requests per second and
// the p50/p99/max latency over every request of the run (counters p50_ms,
// p99_ms, max_ms). Run: build/bench/switchboard_bench --benchmark_filter=TicketApi
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <vector>

#include "bench/api_clients.hpp"
#include "core/ticket_rules.hpp"
#include "store/ticket_api.hpp"
#include "store/ticket_http.hpp"
#include "store/wal_checkpointer.hpp"

namespace {

using namespace switchboard;

constexpr int kRequestsPerIteration = 1000;  // over all clients
const std::string kToken = "bench-token-0123456789";

struct ApiUnderTest {
  std::filesystem::path dir;
  std::unique_ptr<store::TicketStore> store;
  std::unique_ptr<store::TicketDesk> desk;
  std::unique_ptr<store::TicketApi> api;
  std::unique_ptr<store::TicketHttpServer> server;
  std::unique_ptr<store::WalCheckpointer> checkpointer;

  // background: the WAL's checkpoints on a thread of their own, as serve and
  // `tickets api` run them (store/wal_checkpointer.hpp); else on commit.
  ApiUnderTest(store::Sync sync, bool background) {
    dir = std::filesystem::temp_directory_path() / ("switchboard-bench-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    store = store::TicketStore::open((dir / "tickets.db").string(), sync, store::Integrity::whole,
                                     background ? store::Checkpoints::in_background : store::Checkpoints::on_commit);
    if (background) checkpointer = std::make_unique<store::WalCheckpointer>((dir / "tickets.db").string(), sync);
    ticketing::Rules rules;
    ticketing::CategoryRules repair;
    repair.name = "repair";
    repair.group = "back";
    rules.categories.push_back(repair);
    desk = std::make_unique<store::TicketDesk>(*store, rules,
                                               std::vector<ticketing::AgentCandidate>{{"ann", "back", {}, 0}});
    api = std::make_unique<store::TicketApi>(*store, *desk, std::vector<store::ApiToken>{{"bench", kToken, true}},
                                             [] { return 1796112000.0; });
    const std::string location = (dir / "tickets.db").string();
    api->serve_reads_from([location, sync] { return store::TicketStore::open(location, sync); });
    server = std::make_unique<store::TicketHttpServer>(*api, "127.0.0.1", 0);
  }
  ~ApiUnderTest() {
    server.reset();
    api.reset();
    desk.reset();
    store.reset();
    checkpointer.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// Runs `clients` clients sending kRequestsPerIteration requests between them
// per iteration; every request's latency goes into one list for the percentiles.
template <typename Request>
void load(benchmark::State& state, Request request) {
  const int clients = static_cast<int>(state.range(0));
  const int per_client = kRequestsPerIteration / clients;
  ApiUnderTest under(state.range(1) ? store::Sync::full : store::Sync::normal, state.range(2) != 0);
  bench::Latencies all;
  for (auto _ : state)
    all.add(bench::run_clients(under.server->port(), kToken, clients, [per_client](int, int i) { return i < per_client; }, request));
  state.SetItemsProcessed(static_cast<std::int64_t>(all.ms.size()));
  state.counters["p50_ms"] = all.percentile(0.50);
  state.counters["p99_ms"] = all.percentile(0.99);
  state.counters["max_ms"] = all.percentile(1.0);
  state.counters["failed"] = static_cast<double>(all.failed);
}

void BM_TicketApiCreate(benchmark::State& state) {
  load(state, [](httplib::Client& cli, const httplib::Headers& auth, int c, int i) {
    auto r = cli.Post("/tickets", auth, R"({"customer": "c)" + std::to_string(c) + "-" + std::to_string(i) + R"(", "category": "repair"})",
                      "application/json");
    if (!r || r->status != 201) {
      std::fprintf(stderr, "create failed: %s\n", r ? (std::to_string(r->status) + " " + r->body).c_str() : httplib::to_string(r.error()).c_str());
    }
    return r && r->status == 201;
  });
}

void BM_TicketApiRead(benchmark::State& state) {
  load(state, [](httplib::Client& cli, const httplib::Headers& auth, int c, int i) {
    if (i == 0 && c == 0) {  // one ticket to read, created by the first request of the run
      auto r = cli.Post("/tickets", auth, R"({"customer": "reader", "category": "repair"})", "application/json");
      return r && r->status == 201;
    }
    auto r = cli.Get("/tickets/1", auth);
    return r && (r->status == 200 || r->status == 404);  // 404 only while ticket 1 is being created
  });
}

}  // namespace

// clients: concurrent clients; sync: 0 synchronous=NORMAL, 1 FULL;
// checkpoints: 0 on commit (SQLite's default), 1 in the background (serve's).
BENCHMARK(BM_TicketApiCreate)
    ->ArgNames({"clients", "sync", "checkpoints"})
    ->ArgsProduct({{4, 16}, {0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(4);
BENCHMARK(BM_TicketApiRead)
    ->ArgNames({"clients", "sync", "checkpoints"})
    ->Args({4, 0, 1})
    ->Args({16, 0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(8);
