// The blocking path: a thread owns the socket and streams request bodies to the handler
// through BodyReader as they arrive, and streamed response bodies (Response::stream) to the
// client. The event loop hands a connection over when a request's body cannot be buffered up
// front (chunked, over kMaxBufferedBody, Expect: 100-continue) or a response's body streams.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "http/server_context.h"
#include "http/stream_sender.h"

namespace http {

// The threads serving handed-off connections, so that stop() can end them and run() can wait
// for them before the Server goes away. Thread-safe.
class BlockingThreads {
 public:
  // Starts a thread serving `fd` (blocking) with serve_blocking_connection(), which closes
  // it and counts it closed at the end. After stop(), or when no thread can be started,
  // closes `fd` at once (and finishes `first`'s stream as incomplete).
  void start(const ServerContext& context, int fd, std::string peer, std::string seed,
             std::optional<StreamedResponse> first = std::nullopt);
  // Shuts down every served socket: blocked reads return, threads finish.
  void stop();
  // Returns when every thread has finished.
  void wait();

 private:
  void finished(int fd);

  std::mutex mutex_;
  std::condition_variable idle_;
  std::set<int> fds_;  // guarded by mutex_
  bool stopped_ = false;
};

// Serves requests on `fd` (blocking, SO_RCVTIMEO and SO_SNDTIMEO set) until the client leaves,
// an error, a "Connection: close", or stop(). `first`, when given, is a response an event loop
// left to send (its body streams); `seed` holds bytes already read from the socket: the start of
// the next request. Does not close `fd`.
void serve_blocking_connection(const ServerContext& context, int fd, const std::string& peer, std::string_view seed,
                               std::optional<StreamedResponse> first = std::nullopt);

// Writes a plain-text reply on a blocking socket (best effort).
void send_simple_blocking(int fd, int status, std::string_view body);

}  // namespace http
