#include "store/served_tickets.hpp"

#include <cstdio>

#include "core/ticket_rules.hpp"
#include "store/background_thread.hpp"
#include "store/ticket_desk.hpp"
#include "store/ticket_http.hpp"
#include "store/ticket_json.hpp"

namespace switchboard::store {

ServedTickets::ServedTickets(const Scenario& scenario, ServedTicketsOptions options, std::function<double()> clock)
    : options_(std::move(options)),
      clock_(std::move(clock)),
      rules_(ticketing::rules_from(scenario)),
      agents_(ticketing::candidates_from(scenario, [](const std::string&) { return 0; })) {
  // The first connection checks the whole file and creates or migrates it
  // (StoreError if unusable); the others only that it is a database.
  // The writers leave the WAL's checkpoints to a thread of their own.
  const Checkpoints writes = Checkpoints::in_background;
  writer_ = TicketStore::open(options_.location, options_.sync, Integrity::whole, writes);
  checkpointer_ = std::make_unique<WalCheckpointer>(options_.location, options_.sync);
  writer_desk_ = std::make_unique<TicketDesk>(*writer_, rules_, agents_);
  const Integrity checked = Integrity::header;
  callbacks_ = std::make_unique<CallbackStore>(connect(options_.location, options_.sync, checked, writes));
  lookups_ = TicketStore::open(options_.location, options_.sync, checked);
  figures_ = std::make_unique<TicketFigureReader>(connect(options_.location, options_.sync, checked));
  if (!options_.webhook_url.empty()) webhook_ = std::make_unique<TicketWebhook>(options_.webhook_url, options_.webhook);
  if (!options_.api_host.empty()) {
    api_store_ = TicketStore::open(options_.location, options_.sync, checked, writes);
    api_desk_ = std::make_unique<TicketDesk>(*api_store_, rules_, agents_);
    api_ = std::make_unique<TicketApi>(*api_store_, *api_desk_, options_.api_tokens, clock_);
    api_->serve_reads_from([location = options_.location, sync = options_.sync] { return TicketStore::open(location, sync, Integrity::header); });
    api_->on_change([this](const nlohmann::json& ticket) { changed(ticket); });
    try {
      http_ = std::make_unique<TicketHttpServer>(*api_, options_.api_host, options_.api_port);
    } catch (const StoreError& e) {
      throw ApiListenError(e.what());
    }
  }
  writer_thread_ = start_background_thread([this] { run_writer(); });
}

ServedTickets::~ServedTickets() {
  if (http_) http_->stop();  // no new API writes
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  writer_thread_.join();  // what the calls opened is written first
  webhook_.reset();
}

void ServedTickets::enqueue(std::function<void()> write) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(Job{std::move(write)});
  }
  queue_changed_.notify_one();
}

void ServedTickets::run_writer() {
  std::unique_lock lock(queue_mutex_);
  for (;;) {
    queue_changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    bool ok = true;
    try {
      job.write();
    } catch (const std::exception& e) {
      ok = false;
      std::fprintf(stderr, "switchboard serve: ticket store: %s\n", e.what());
    }
    lock.lock();
    if (!ok) ++failed_writes_;
  }
}

void ServedTickets::changed(const nlohmann::json& ticket) {
  if (!webhook_) return;
  // The ticket without its history, and the change that made this event.
  nlohmann::json event = {{"event", "ticket.changed"}, {"ticket", ticket}};
  if (ticket.contains("history") && !ticket["history"].empty()) event["change"] = ticket["history"].back();
  event["ticket"].erase("history");
  webhook_->post(event.dump());
}

void ServedTickets::open_for_call(const std::string& customer, const std::string& category,
                                  const std::vector<std::string>& tags, const std::string& call_id, const std::string& who) {
  ticketing::OpenRequest request{customer, category, tags, {call_id}, ""};
  enqueue([this, request = std::move(request), who] {
    const ticketing::Ticket t = writer_desk_->create(request, clock_(), who);
    changed(ticket_json(t));
  });
}

std::optional<ticketing::Status> ServedTickets::open_ticket_state(const std::string& customer) {
  TicketQuery q;
  q.customer = customer;
  q.open_only = true;
  q.limit = 1000;
  std::lock_guard lock(lookups_mutex_);
  const auto open = lookups_->list(q);
  if (open.empty()) return std::nullopt;
  return open.back().status;  // the newest
}

std::int64_t ServedTickets::promise_callback(const PromisedCallback& c) {
  std::lock_guard lock(callbacks_mutex_);
  return callbacks_->promise(c);
}

void ServedTickets::callback_done(std::int64_t id, const std::string& outcome) {
  const double at = clock_();
  enqueue([this, id, at, outcome] {
    std::lock_guard lock(callbacks_mutex_);
    callbacks_->done(id, at, outcome);
  });
}

std::vector<PromisedCallback> ServedTickets::pending_callbacks() {
  std::lock_guard lock(callbacks_mutex_);
  return callbacks_->pending();
}

TicketFigures ServedTickets::figures() {
  std::lock_guard lock(figures_mutex_);
  return figures_->read(clock_());
}

WebhookCounts ServedTickets::webhook_counts() const { return webhook_ ? webhook_->counts() : WebhookCounts{}; }

int ServedTickets::api_port() const { return http_ ? http_->port() : 0; }

std::uint64_t ServedTickets::failed_writes() const {
  std::lock_guard lock(queue_mutex_);
  return failed_writes_;
}

}  // namespace switchboard::store
