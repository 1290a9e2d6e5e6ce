#include "store/ticket_api.hpp"

#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "core/input_error.hpp"
#include "store/ticket_json.hpp"

namespace switchboard::store {

using nlohmann::json;
using ticketing::Status;

namespace {

// A refusal on the way through a handler, turned into its response at the top.
struct Refusal {
  ApiResponse response;
};

[[noreturn]] void refuse(int status, const std::string& error, const std::string& field, const std::string& message) {
  throw Refusal{api_error(status, error, field, message)};
}

// The body as a JSON object with only `allowed` keys and all of `required`.
json object_body(const std::string& body, const std::set<std::string>& allowed, const std::set<std::string>& required) {
  json j;
  try {
    j = json::parse(body);
  } catch (const json::parse_error& e) {
    refuse(400, "invalid_json", "body", std::string("expected a JSON object: ") + e.what());
  }
  if (!j.is_object()) refuse(400, "invalid_json", "body", "expected a JSON object");
  for (const auto& [k, v] : j.items())
    if (!allowed.count(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      refuse(400, "unknown_field", k, "unknown field (expected: " + list + ")");
    }
  for (const auto& r : required)
    if (!j.contains(r)) refuse(400, "missing_field", r, "required");
  return j;
}

std::string text_field(const json& j, const std::string& key) {
  if (!j.contains(key)) return "";
  if (!j[key].is_string()) refuse(400, "wrong_type", key, "expected a string");
  return j[key].get<std::string>();
}

std::vector<std::string> list_field(const json& j, const std::string& key) {
  if (!j.contains(key)) return {};
  if (!j[key].is_array()) refuse(400, "wrong_type", key, "expected an array of strings");
  std::vector<std::string> out;
  for (const auto& v : j[key]) {
    if (!v.is_string()) refuse(400, "wrong_type", key, "expected an array of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::int64_t version_field(const json& j) {
  if (!j["version"].is_number_integer() || j["version"].get<std::int64_t>() < 1)
    refuse(400, "wrong_type", "version", "expected the ticket's version (an integer >= 1) as last read");
  return j["version"].get<std::int64_t>();
}

std::optional<std::int64_t> whole(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

// The API's name for a model field.
std::string api_field(const std::string& model_field) { return model_field == "state" ? "to" : model_field; }

ApiResponse list(TicketStore& store, const std::multimap<std::string, std::string>& query, double now) {
  static const std::set<std::string> known = {"state", "category", "customer", "group", "agent",
                                              "open",  "breaching", "after",   "limit"};
  TicketQuery q;
  for (const auto& [k, v] : query) {
    if (!known.count(k)) refuse(400, "unknown_field", k, "unknown query parameter");
    if (query.count(k) > 1) refuse(400, "repeated_field", k, "given more than once");
    auto flag = [&] {
      if (v != "true" && v != "false") refuse(400, "wrong_type", k, "expected true or false");
      return v == "true";
    };
    if (k == "state") {
      const auto s = ticketing::parse_status(v);
      if (!s) refuse(400, "wrong_value", k, "expected one of " + ticketing::status_list());
      q.state = s;
    } else if (k == "category") q.category = v;
    else if (k == "customer") q.customer = v;
    else if (k == "group") q.group = v;
    else if (k == "agent") q.agent = v;
    else if (k == "open") q.open_only = flag();
    else if (k == "breaching") {
      if (flag()) q.breaching_at = now;
    } else if (k == "after") {
      const auto a = whole(v);
      if (!a) refuse(400, "wrong_type", k, "expected a ticket id");
      q.after_id = *a;
    } else if (k == "limit") {
      const auto l = whole(v);
      if (!l || *l < 1 || *l > 1000) refuse(400, "wrong_value", k, "expected 1 to 1000");
      q.limit = static_cast<int>(*l);
    }
  }
  const auto tickets = store.list(q);
  json out = json::array();
  for (const auto& t : tickets) out.push_back(ticket_json(t, false));
  json next = tickets.size() == static_cast<std::size_t>(q.limit) ? json(tickets.back().id) : json(nullptr);
  return {200, {{"tickets", out}, {"next_after", next}}};
}

}  // namespace

ApiResponse api_error(int status, const std::string& error, const std::string& field, const std::string& message) {
  return {status, {{"error", error}, {"field", field}, {"message", message}}};
}

std::vector<ApiToken> load_api_tokens(const std::string& path, const std::string& flag) {
  std::ifstream in(path);
  if (!in) throw InputError(Problem{path, 0, 0, flag, "cannot read the tokens file"});
  std::vector<ApiToken> out;
  std::vector<Problem> problems;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    ApiToken t;
    std::string access, extra;
    words >> t.name >> t.secret >> access >> extra;
    if (t.name.empty()) continue;  // only spaces
    if (t.secret.empty() || !extra.empty() || (!access.empty() && access != "read" && access != "write")) {
      problems.push_back({path, n, 1, "token", "expected NAME SECRET [read|write]"});
      continue;
    }
    if (t.secret.size() < 16) problems.push_back({path, n, 1, "token", "expected a secret of at least 16 characters"});
    for (const auto& o : out) {
      if (o.name == t.name) problems.push_back({path, n, 1, "token", "duplicate name '" + t.name + "'"});
      if (o.secret == t.secret) problems.push_back({path, n, 1, "token", "duplicate secret (of '" + o.name + "')"});
    }
    t.can_write = access != "read";
    out.push_back(t);
  }
  if (out.empty() && problems.empty()) problems.push_back({path, 0, 0, flag, "expected at least one token"});
  if (!problems.empty()) throw InputError(problems);
  return out;
}

TicketApi::TicketApi(TicketStore& store, TicketDesk& desk, std::vector<ApiToken> tokens, std::function<double()> clock)
    : store_(store), desk_(desk), tokens_(std::move(tokens)), clock_(std::move(clock)) {}

ApiResponse TicketApi::handle(const ApiRequest& request) {
  const std::string prefix = "Bearer ";
  if (request.authorization.empty())
    return api_error(401, "unauthorized", "Authorization", "expected a bearer token (Authorization: Bearer TOKEN)");
  if (request.authorization.rfind(prefix, 0) != 0)
    return api_error(401, "unauthorized", "Authorization", "expected the Bearer scheme");
  const std::string secret = request.authorization.substr(prefix.size());
  const ApiToken* who = nullptr;
  for (const auto& t : tokens_)
    if (t.secret == secret) who = &t;
  if (!who) return api_error(403, "forbidden", "Authorization", "unknown token");
  if (request.method != "GET" && !who->can_write)
    return api_error(403, "forbidden", "Authorization", "token '" + who->name + "' may only read");
  if (request.body.size() > kMaxApiBody)
    return api_error(413, "too_large", "body", "expected at most " + std::to_string(kMaxApiBody) + " bytes");
  if (request.method == "GET" && open_reader_) {
    std::unique_ptr<TicketStore> reader;
    {
      std::lock_guard lock(readers_mutex_);
      if (!idle_readers_.empty()) {
        reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      }
    }
    ApiResponse r = guarded([&] {
      if (!reader) reader = open_reader_();
      return route(request, *who, *reader);
    });
    if (reader) {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(std::move(reader));
    }
    return r;
  }
  if (request.method == "POST" && request.path == "/tickets")
    return told(request, guarded([&] {
      const json j = object_body(request.body, {"customer", "category", "tags", "calls", "note"}, {"customer", "category"});
      TicketDesk::Creation c{{text_field(j, "customer"), text_field(j, "category"), list_field(j, "tags"),
                              list_field(j, "calls"), text_field(j, "note")},
                             clock_(),
                             who->name};
      desk_.check(c.request, c.now, c.who);  // a refused request never joins a group
      return create_grouped(std::move(c));
    }));
  std::lock_guard lock(mutex_);
  return told(request, guarded([&] { return route(request, *who, store_); }));
}

ApiResponse TicketApi::create_grouped(TicketDesk::Creation creation) {
  constexpr std::size_t kMaxGroup = 256;
  PendingCreate mine{std::move(creation), std::nullopt};
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&mine);
  while (!mine.result) {
    if (committing_) {
      queue_changed_.wait(lock);
      continue;
    }
    // Nobody is writing: this request writes every waiting one (its own included).
    committing_ = true;
    const std::size_t n = std::min(queue_.size(), kMaxGroup);
    std::vector<PendingCreate*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    std::vector<ApiResponse> results;
    const ApiResponse failed = guarded([&] {
      std::vector<TicketDesk::Creation> creations;
      for (const PendingCreate* p : group) creations.push_back(p->creation);
      std::lock_guard writer(mutex_);
      for (const auto& t : desk_.create_all(creations)) results.push_back({201, ticket_json(t)});
      return ApiResponse{};
    });
    lock.lock();
    for (std::size_t i = 0; i < group.size(); ++i) group[i]->result = results.size() == group.size() ? results[i] : failed;
    committing_ = false;
    queue_changed_.notify_all();
  }
  return *mine.result;
}

void TicketApi::serve_reads_from(std::function<std::unique_ptr<TicketStore>()> open_reader) {
  open_reader_ = std::move(open_reader);
}

ApiResponse TicketApi::guarded(const std::function<ApiResponse()>& body) {
  try {
    return body();
  } catch (const Refusal& r) {
    return r.response;
  } catch (const ticketing::TicketError& e) {
    const std::string what = e.what();
    const bool transition = e.field() == "state";
    return api_error(transition ? 409 : 400, transition ? "illegal_transition" : "invalid_value", api_field(e.field()),
                     what.substr(e.field().size() + 2));
  } catch (const StaleVersion& e) {
    return api_error(409, "stale_version", "version", e.what());
  } catch (const NoSuchTicket& e) {
    return api_error(404, "not_found", "id", e.what());
  } catch (const StoreError& e) {
    return api_error(503, "store_unavailable", "", e.what());
  } catch (const std::exception& e) {  // a bug: answered, never left to unwind a group commit
    return api_error(500, "internal", "", e.what());
  }
}

ApiResponse TicketApi::route(const ApiRequest& r, const ApiToken& who, TicketStore& reads) {
  const double now = clock_();
  // /tickets, /tickets/{id}, /tickets/{id}/{what}
  std::vector<std::string> parts;
  std::stringstream path(r.path);
  for (std::string p; std::getline(path, p, '/');)
    if (!p.empty()) parts.push_back(p);
  if (parts.empty() || parts[0] != "tickets" || parts.size() > 3) refuse(404, "not_found", "path", "no such resource: " + r.path);
  auto method = [&](const char* m) {
    if (r.method != m) refuse(405, "method_not_allowed", "method", std::string("expected ") + m + " on " + r.path);
  };
  if (parts.size() == 1) {
    if (r.method == "GET") return list(reads, r.query, now);
    method("POST");
    const json j = object_body(r.body, {"customer", "category", "tags", "calls", "note"}, {"customer", "category"});
    const ticketing::OpenRequest req{text_field(j, "customer"), text_field(j, "category"), list_field(j, "tags"),
                                     list_field(j, "calls"), text_field(j, "note")};
    return {201, ticket_json(desk_.create(req, now, who.name))};
  }
  const auto id = whole(parts[1]);
  if (!id || *id < 1) refuse(404, "not_found", "id", "expected a ticket id, got '" + parts[1] + "'");
  if (!r.query.empty()) refuse(400, "unknown_field", r.query.begin()->first, "this resource takes no query parameters");
  if (parts.size() == 2) {
    method("GET");
    const auto t = reads.get(*id);
    if (!t) throw NoSuchTicket(*id);
    return {200, ticket_json(*t)};
  }
  if (parts[2] == "history") {
    method("GET");
    const auto t = reads.get(*id);
    if (!t) throw NoSuchTicket(*id);
    return {200, ticket_json(*t)["history"]};
  }
  if (parts[2] == "transitions") {
    method("POST");
    const json j = object_body(r.body, {"to", "version", "agent", "note"}, {"to", "version"});
    const std::string to = text_field(j, "to");
    const auto status = ticketing::parse_status(to);
    if (!status) refuse(400, "wrong_value", "to", "expected one of " + ticketing::status_list());
    const std::int64_t version = version_field(j);
    return {200, ticket_json(desk_.move(*id, *status, text_field(j, "agent"), now, who.name, text_field(j, "note"), version))};
  }
  if (parts[2] == "notes") {
    method("POST");
    const json j = object_body(r.body, {"text", "version"}, {"text", "version"});
    const std::string text = text_field(j, "text");
    if (text.empty()) refuse(400, "invalid_value", "text", "expected the note's text");
    const std::int64_t version = version_field(j);
    return {200, ticket_json(desk_.note(*id, text, now, who.name, version))};
  }
  refuse(404, "not_found", "path", "no such resource: " + r.path);
}

}  // namespace switchboard::store
