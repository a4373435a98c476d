// One HTTP/1.1 exchange with the container engine over a unix socket: a fresh connection per
// call (the engine closes it after the response; concurrent calls never share state), with the
// call's deadline and cancel flag applied to every wait. Blocking; any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "runtime/call.h"
#include "runtime/http_wire.h"

namespace runtime {

// A request body: `data`, or the file at `file` streamed from disk (a build context).
struct RequestBody {
  std::string data;
  std::string file;
  std::string content_type;  // "" = none

  static RequestBody json(std::string text) { return RequestBody{std::move(text), "", "application/json"}; }
  static RequestBody tar_bytes(std::string bytes) { return RequestBody{std::move(bytes), "", "application/x-tar"}; }
  static RequestBody tar_file(std::string path) { return RequestBody{"", std::move(path), "application/x-tar"}; }
};

// Receives body bytes as they arrive.
using BodySink = std::function<void(std::string_view)>;

class Deadline {
 public:
  explicit Deadline(const CallOptions& options);
  // Milliseconds left (at least 0).
  long remaining_ms() const;
  bool cancelled() const { return cancel_ != nullptr && cancel_->load(); }
  Millis timeout() const { return timeout_; }

 private:
  std::chrono::steady_clock::time_point end_;
  Millis timeout_;
  const std::atomic<bool>* cancel_;
};

class UnixHttpConnection {
 public:
  // Connects to `socket_path` (a filesystem path, not "unix://"). Unavailable when nothing
  // listens there.
  static common::Result<std::unique_ptr<UnixHttpConnection>> open(const std::string& socket_path,
                                                                  const CallOptions& options);
  ~UnixHttpConnection();
  UnixHttpConnection(const UnixHttpConnection&) = delete;
  UnixHttpConnection& operator=(const UnixHttpConnection&) = delete;

  common::Status<> send(const HttpRequest& request, const RequestBody& body);
  // The final response head (interim 1xx heads are skipped).
  common::Result<ResponseHead> read_head();
  // Streams the body to `sink` until it ends (Content-Length, last chunk, or the connection
  // closing when neither is given). At most `max_bytes` are accepted.
  common::Status<> read_body(const ResponseHead& head, const BodySink& sink, uint64_t max_bytes = UINT64_MAX);
  // The whole body, for small JSON answers.
  common::Result<std::string> read_body_text(const ResponseHead& head, uint64_t max_bytes = 64u << 20);

 private:
  UnixHttpConnection(int fd, std::string socket_path, const CallOptions& options);
  common::Status<> write_all(std::string_view data);
  common::Status<> send_file(const std::string& path);
  // Reads more bytes into buffer_; 0 at end of stream.
  common::Result<size_t> fill();
  common::Status<> wait_for(short events);
  common::Error timed_out() const;

  int fd_;
  std::string socket_path_;
  Deadline deadline_;
  std::string buffer_;  // read but not yet consumed
};

// "unix:///run/podman/podman.sock" or a bare path -> the path; "" for other schemes (tcp://).
std::string socket_path_from_host(std::string_view docker_host);

}  // namespace runtime
