// The ticket HTTP JSON API as a function: a request in, a status and a JSON
// body out, with no socket in sight (store/ticket_http.* puts it on
// cpp-httplib). Bearer tokens from a file; every refusal is a JSON error
// naming the field, and a refused request changes nothing stored.
//
//   POST /tickets                       {customer, category, tags?, calls?, note?}  -> 201 ticket
//   GET  /tickets/{id}                                                            -> 200 ticket
//   GET  /tickets?state=&category=&customer=&group=&agent=&open=&breaching=&after=&limit=
//                                                                                 -> 200 {tickets, next_after}
//   POST /tickets/{id}/transitions      {to, version, agent?, note?}              -> 200 ticket
//   POST /tickets/{id}/notes            {text, version}                           -> 200 ticket
//   GET  /tickets/{id}/history                                                    -> 200 [change]
//
// 400 bad JSON / unknown, missing or mistyped field; 401 no bearer token;
// 403 unknown token, or a read-only token asking to write; 404 no such
// ticket or path; 405 wrong method; 409 stale version or illegal transition;
// 413 body too large (the HTTP layer). Error body: {"error", "field", "message"}.
#pragma once

#include <condition_variable>
#include <functional>
#include <optional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/ticket_desk.hpp"
#include "store/ticket_store.hpp"

namespace switchboard::store {

struct ApiToken {
  std::string name;      // recorded as `who` in the history
  std::string secret;
  bool can_write = true;
};

// A tokens file: one token a line, `NAME SECRET [read|write]` (default
// write); blank lines and lines starting with # are skipped. InputError
// (file:line) for a malformed line, a duplicate name or secret, or no token.
// `flag` names the file's flag in messages.
std::vector<ApiToken> load_api_tokens(const std::string& path, const std::string& flag = "--tokens");

struct ApiRequest {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::string authorization;  // the Authorization header
  std::string body;
};

struct ApiResponse {
  int status = 200;
  nlohmann::json body;
};

inline constexpr std::size_t kMaxApiBody = 64 * 1024;

class TicketApi {
 public:
  // `clock`: the time of each change, Unix seconds.
  TicketApi(TicketStore& store, TicketDesk& desk, std::vector<ApiToken> tokens, std::function<double()> clock);

  // Thread-safe. Writes are served one at a time on the store's connection;
  // reads too, unless serve_reads_from() gave them their own.
  ApiResponse handle(const ApiRequest& request);

  // GET requests then run on connections opened by `open_reader` (a pool
  // that grows to the number of concurrent reads): SQLite's WAL and
  // PostgreSQL let them read beside the writer instead of queueing behind it.
  void serve_reads_from(std::function<std::unique_ptr<TicketStore>()> open_reader);

  // `changed` gets the ticket (as answered) after every write that
  // succeeded: serve's webhook. Set before the first request.
  void on_change(std::function<void(const nlohmann::json& ticket)> changed) { on_change_ = std::move(changed); }

 private:
  ApiResponse route(const ApiRequest& request, const ApiToken& who, TicketStore& reads);
  ApiResponse guarded(const std::function<ApiResponse()>& body);
  // Group commit: creates that arrive while one is being written wait and
  // are written together in the next transaction (one fsync for all).
  ApiResponse create_grouped(TicketDesk::Creation creation);

  struct PendingCreate {
    TicketDesk::Creation creation;
    std::optional<ApiResponse> result;
  };

  TicketStore& store_;
  TicketDesk& desk_;
  std::vector<ApiToken> tokens_;
  std::function<double()> clock_;
  std::mutex mutex_;  // the writer
  std::function<std::unique_ptr<TicketStore>()> open_reader_;
  std::function<void(const nlohmann::json&)> on_change_;
  ApiResponse told(const ApiRequest& request, ApiResponse r) const {
    if (on_change_ && request.method != "GET" && r.status / 100 == 2) on_change_(r.body);
    return r;
  }
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<TicketStore>> idle_readers_;
  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::vector<PendingCreate*> queue_;
  bool committing_ = false;
};

ApiResponse api_error(int status, const std::string& error, const std::string& field, const std::string& message);

}  // namespace switchboard::store
