// The ticket store of a running `switchboard serve`: tickets the call center
// opens (IVR ticket nodes, agents' after-call dispositions) stored with the
// caller's number and the call id, the IVR's ticket_status lookups, the
// callbacks promised, the HTTP API beside the SIP server (`serve --api`),
// the webhook (`serve --ticket-webhook`) and the figures /metrics exports.
//
// Threads: the SIP event loop calls open_for_call() and callback_done()
// (queued for a writer thread of this object: they never wait for a disk),
// open_ticket_state() (one indexed read on a connection of its own; SQLite's
// WAL never makes it wait for a writer) and promise_callback() (a committed
// write: the promise is on disk before the caller is told). The API serves
// on its own threads, writing on its own connection.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/scenario.hpp"
#include "core/ticket_model.hpp"
#include "store/callback_store.hpp"
#include "store/ticket_api.hpp"
#include "store/ticket_figures.hpp"
#include "store/ticket_webhook.hpp"
#include "store/wal_checkpointer.hpp"

namespace switchboard::store {

class TicketHttpServer;

struct ServedTicketsOptions {
  std::string location;              // SQLite file or postgresql:// URI
  Sync sync = Sync::normal;          // SQLite: what a commit survives
  std::string api_host;              // empty: no API
  int api_port = 0;                  // 0: a free one
  std::vector<ApiToken> api_tokens;
  std::string webhook_url;           // empty: no webhook
  WebhookOptions webhook;
};

class ServedTickets {
 public:
  // Opens (creating or migrating) the store: StoreError if it cannot be
  // used. Then the API's listener: ApiListenError if the address is taken.
  ServedTickets(const Scenario& scenario, ServedTicketsOptions options, std::function<double()> clock);
  // Writes what is queued, then stops the API and the webhook.
  ~ServedTickets();
  ServedTickets(const ServedTickets&) = delete;
  ServedTickets& operator=(const ServedTickets&) = delete;

  // A ticket of `category` for the caller `customer`, linked to `call_id`:
  // opened by the scenario's rules, on the writer thread; `who` (the agent
  // whose disposition opened it, or `ivr`) is recorded in its history.
  void open_for_call(const std::string& customer, const std::string& category, const std::vector<std::string>& tags,
                     const std::string& call_id, const std::string& who = "ivr");
  // The state of the customer's newest open ticket, if any.
  std::optional<ticketing::Status> open_ticket_state(const std::string& customer);

  std::int64_t promise_callback(const PromisedCallback& c);       // on disk when it returns
  void callback_done(std::int64_t id, const std::string& outcome);  // queued
  std::vector<PromisedCallback> pending_callbacks();

  TicketFigures figures();           // on a connection of its own (the metrics)
  WebhookCounts webhook_counts() const;
  int api_port() const;
  const std::string& location() const { return options_.location; }
  // Writes refused or failed on the writer thread (each is also on stderr).
  std::uint64_t failed_writes() const;

 private:
  struct Job {
    std::function<void()> write;
  };
  void enqueue(std::function<void()> write);
  void run_writer();
  void changed(const nlohmann::json& ticket);

  ServedTicketsOptions options_;
  std::function<double()> clock_;
  ticketing::Rules rules_;
  std::vector<ticketing::AgentCandidate> agents_;
  // The writer thread's store and desk (call tickets, callbacks done).
  std::unique_ptr<TicketStore> writer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // the writers' WAL, copied off their requests
  std::unique_ptr<TicketDesk> writer_desk_;
  std::unique_ptr<CallbackStore> callbacks_;  // shared with the SIP loop's promises: callbacks_mutex_
  std::mutex callbacks_mutex_;
  std::unique_ptr<TicketStore> lookups_;
  std::mutex lookups_mutex_;
  std::unique_ptr<TicketFigureReader> figures_;
  std::mutex figures_mutex_;
  std::unique_ptr<TicketWebhook> webhook_;
  // The API: its own store and desk (writes one at a time there), readers pooled.
  std::unique_ptr<TicketStore> api_store_;
  std::unique_ptr<TicketDesk> api_desk_;
  std::unique_ptr<TicketApi> api_;
  std::unique_ptr<TicketHttpServer> http_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::uint64_t failed_writes_ = 0;
  std::thread writer_thread_;
};

// The API could not listen where --api asked.
class ApiListenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace switchboard::store
