// A small HTTP/1.1 server: one thread per connection with blocking sockets, keep-alive,
// Content-Length and chunked request bodies streamed to the handler through BodyReader,
// and "Expect: 100-continue" answered when the handler first reads the body.
//
// Why threads rather than an event loop: handlers (SQLite, and later blob streaming and
// container calls) block, the connection counts are local-scale, and a blocking body reader
// makes streaming uploads trivial. Measured in bench/README.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "http/request.h"

namespace http {

using Handler = std::function<void(Request&, Response&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;          // 0 = any free port (see Server::port())
  size_t max_connections = 4096;
  size_t max_header_bytes = 64 * 1024;
  int idle_timeout_seconds = 300;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns false (with `error`) when the address is unusable.
  bool listen(std::string& error);
  // The bound port (after listen()).
  uint16_t port() const { return bound_port_; }
  // Accepts connections until stop(); each connection gets its own thread.
  void run();
  // Makes run() return; open connections finish their current request.
  void stop();

 private:
  void serve_connection(int fd, std::string peer);

  ServerOptions options_;
  Handler handler_;
  int listen_fd_ = -1;
  uint16_t bound_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_{0};
};

}  // namespace http
