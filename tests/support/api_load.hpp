// Four API clients creating and moving tickets as fast as they can until
// the server dies, and the check that follows a kill -9: every ticket whose
// request got a 2xx is stored in its acknowledged state. Shared by the
// kill -9 tests of `tickets api` and `serve --api`. Header-only: it needs
// cpp-httplib, which only the executables that include it link.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::test {

class ApiLoad {
 public:
  ApiLoad(int port, const std::string& token, int clients = 4) : auth_{{"Authorization", "Bearer " + token}} {
    for (int c = 0; c < clients; ++c) threads_.emplace_back([this, port, c] { client(port, c); });
  }
  ~ApiLoad() { stop(); }

  // Waits until `n` tickets were acknowledged (at most 30 s); false if not.
  bool wait_for(int n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (answered_ < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return answered_ >= n;
  }
  // After the server is gone: the clients stop.
  void stop() {
    stop_ = true;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  const std::map<std::int64_t, std::string>& acknowledged() const { return acked_; }

  // `stored`: id -> state after the restart. A move the server wrote but
  // could not acknowledge before it died may be there too.
  void expect_kept(const std::map<std::int64_t, std::string>& stored) const {
    for (const auto& [id, state] : acked_) {
      ASSERT_TRUE(stored.count(id)) << "acknowledged ticket " << id << " is lost";
      if (state == "in_progress") EXPECT_EQ(stored.at(id), "in_progress") << id;
      else EXPECT_TRUE(stored.at(id) == state || stored.at(id) == "in_progress") << id << " " << stored.at(id);
    }
  }

 private:
  void client(int port, int c) {
    httplib::Client cli("127.0.0.1", port);
    cli.set_read_timeout(5);
    for (int i = 0; !stop_; ++i) {
      auto made = cli.Post("/tickets", auth_, nlohmann::json{{"customer", "k" + std::to_string(c)}, {"category", "repair"}}.dump(),
                           "application/json");
      if (!made || made->status != 201) return;  // the server is gone
      const auto t = nlohmann::json::parse(made->body);
      const std::int64_t id = t["id"];
      {
        std::lock_guard lock(mutex_);
        acked_[id] = t["state"];
      }
      ++answered_;
      if (i % 2) continue;
      auto moved = cli.Post("/tickets/" + std::to_string(id) + "/transitions", auth_,
                            nlohmann::json{{"to", "in_progress"}, {"version", t["version"]}}.dump(), "application/json");
      if (!moved || moved->status != 200) return;
      std::lock_guard lock(mutex_);
      acked_[id] = "in_progress";
    }
  }

  httplib::Headers auth_;
  std::mutex mutex_;
  std::map<std::int64_t, std::string> acked_;
  std::atomic<bool> stop_{false};
  std::atomic<int> answered_{0};
  std::vector<std::thread> threads_;
};

}  // namespace switchboard::test
