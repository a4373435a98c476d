// A small HTTP/1.1 server: epoll event loops (one per CPU) with keep-alive and pipelining,
// Content-Length and chunked request bodies streamed to the handler through BodyReader,
// and "Expect: 100-continue" answered when the handler first reads the body. A response body
// is `Response::body` followed by `Response::files` (file byte ranges sent with sendfile, never
// read into memory).
//
// Handlers run inline on the loop threads for requests whose body fits in memory (the API
// calls); a connection whose request body must stream (chunked, over 1 MiB, or
// Expect: 100-continue) is handed to its own thread with blocking reads, so streaming uploads
// stay simple. Why: a thread per connection made every request a context switch; see
// bench/README.md. Internals: event_loop.h, connection.h, blocking_connection.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "http/request.h"

namespace http {

class EventLoop;

// Called concurrently from several threads; must be thread-safe.
using Handler = std::function<void(Request&, Response&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;  // 0 = any free port (see Server::port())
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
  // Serves until stop(): runs one event loop per CPU (at least two), one of them on the
  // calling thread.
  void run();
  // Thread-safe: makes run() return. Requests being handled on the event loops finish first;
  // then every connection closes, streaming (handed-off) ones too, and run() waits for their
  // threads.
  void stop();

 private:
  ServerOptions options_;
  Handler handler_;
  int listen_fd_ = -1;
  uint16_t bound_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_{0};
  std::mutex loops_mutex_;
  std::vector<EventLoop*> loops_;  // guarded by loops_mutex_; set while run() runs
};

}  // namespace http
