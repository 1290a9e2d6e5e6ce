#include "store/ticket_http.hpp"

#include <httplib.h>

#include <chrono>

#include "store/background_thread.hpp"

namespace switchboard::store {

namespace {

constexpr std::size_t kApiWorkers = 32;
// Connections waiting to be accepted. cpp-httplib listens with a backlog of
// 5, fixed when Debian compiled the library (defining CPPHTTPLIB_LISTEN_BACKLOG
// here changes nothing): 16 clients connecting at once overflowed it, and the
// SYNs the kernel dropped were retried a second later (1 s stalls).
constexpr int kListenBacklog = 512;

void reply(httplib::Response& res, const ApiResponse& r) {
  res.status = r.status;
  res.set_content(r.body.dump(), "application/json");
}

}  // namespace

TicketHttpServer::TicketHttpServer(TicketApi& api, const std::string& host, int port)
    : server_(std::make_unique<httplib::Server>()) {
  auto handler = [&api](const httplib::Request& req, httplib::Response& res) {
    ApiRequest r{req.method, req.path, {}, req.get_header_value("Authorization"), req.body};
    for (const auto& [k, v] : req.params) r.query.emplace(k, v);
    reply(res, api.handle(r));
  };
  for (const char* pattern : {"/tickets", R"(/tickets/.*)"}) {
    server_->Get(pattern, handler);
    server_->Post(pattern, handler);
    server_->Put(pattern, handler);
    server_->Patch(pattern, handler);
    server_->Delete(pattern, handler);
  }
  // cpp-httplib's default socket options include SO_REUSEPORT, with which a
  // second server binds a port another one listens on (and they share its
  // connections): an address in use must be refused instead.
  // The last socket given here is the one that bound.
  server_->set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = sock;
  });
  server_->set_payload_max_length(kMaxApiBody);
  server_->set_tcp_nodelay(true);
  // A keep-alive client holds a worker between its requests: enough workers
  // for that many clients, and connections kept for many requests.
  server_->new_task_queue = [] { return new httplib::ThreadPool(kApiWorkers); };
  server_->set_keep_alive_max_count(10'000);  // small JSON replies: no 40 ms wait for a delayed ACK
  // Errors the library answers itself (413, unknown paths) get the same JSON shape.
  server_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const bool sends_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (res.status == 413) reply(res, api_error(413, "too_large", "body", "expected at most " + std::to_string(kMaxApiBody) + " bytes"));
    else if (res.status == 404) reply(res, api_error(404, "not_found", "path", "no such resource"));
    else if (res.status == 414) reply(res, api_error(414, "too_long", "path", "expected a shorter request line (path and query)"));
    else if (res.status == 400 && sends_body && !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
      reply(res, api_error(400, "invalid_json", "body", "expected a JSON object, sent with a Content-Length (or chunked)"));
    else reply(res, api_error(res.status, "http_error", "", "the request could not be served"));
  });
  port_ = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) throw StoreError("cannot listen on " + host + ":" + std::to_string(port) + " for the ticket API");
  // listen(2) again on the listening socket sets its backlog (Linux).
  if (::listen(listen_socket_, kListenBacklog) != 0)
    throw StoreError("cannot set the ticket API's listen backlog on " + host + ":" + std::to_string(port_));
  thread_ = start_background_thread([this] {  // and its workers, which inherit the mask
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  // cpp-httplib's stop() does nothing until the listening loop has started:
  // a server stopped at once would otherwise never stop (and stop() hang).
  while (!server_->is_running() && !listen_returned_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TicketHttpServer::~TicketHttpServer() { stop(); }

void TicketHttpServer::stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace switchboard::store
