// The ticket API (store/ticket_api.hpp) on HTTP: cpp-httplib listening on
// one address (loopback by default), its own threads, stopped by stop() or
// the destructor. Bodies above kMaxApiBody get 413 before they are read in full.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "store/ticket_api.hpp"

namespace httplib {
class Server;
}

namespace switchboard::store {

class TicketHttpServer {
 public:
  // Binds `host`:`port` (0: a free port) at once; StoreError if it cannot.
  TicketHttpServer(TicketApi& api, const std::string& host, int port);
  ~TicketHttpServer();
  TicketHttpServer(const TicketHttpServer&) = delete;
  TicketHttpServer& operator=(const TicketHttpServer&) = delete;

  int port() const { return port_; }
  void stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int listen_socket_ = -1;
  std::atomic<bool> listen_returned_{false};
};

}  // namespace switchboard::store
