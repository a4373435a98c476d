// One client connection served by an event loop: a non-blocking socket, a read buffer, and
// the response bytes the socket has not taken yet (buffered head and body, then the response's
// file segments, sent with sendfile). Requests whose body fits in memory (Content-Length up to
// kMaxBufferedBody) are parsed from the buffer and handled inline on the loop thread; anything
// else, and any response whose body streams (Response::stream), asks the loop to hand the socket
// to a blocking thread. Used by one loop thread only.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "http/file_sender.h"
#include "http/framing.h"
#include "http/server_context.h"
#include "http/stream_sender.h"

namespace http {

class Connection {
 public:
  enum class Next {
    Wait,    // keep the connection; wait for the socket (see wants_write())
    Close,   // close it
    HandOff  // give it to a blocking thread, seeded with unparsed_bytes()
  };

  Connection(const ServerContext& context, int fd, std::string peer);
  ~Connection();  // closes the socket unless release() was called
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The socket is readable: read, then serve every complete request in the buffer.
  Next on_readable();
  // The socket is writable again: finish the pending response, then serve what is buffered.
  Next on_writable();

  // True while a response is only partly written (buffered bytes or file segments left); the
  // loop then waits for EPOLLOUT instead of reading, so a client that does not read its
  // responses cannot grow our buffers, and pipelined requests wait for the whole response.
  bool wants_write() const { return out_offset_ < out_.size() || files_.pending(); }
  // Bytes from the start of the current request to the end of what was read.
  std::string_view unparsed_bytes() const { return {in_.data() + request_start_, in_end_ - request_start_}; }
  // Gives up ownership of the socket (after a hand-off).
  int release();
  // The response the blocking thread must send first after a hand-off (its body streams).
  std::optional<StreamedResponse> take_streamed() { return std::exchange(streamed_, std::nullopt); }

  int fd() const { return fd_; }
  const std::string& peer() const { return peer_; }
  // When the socket last made progress; the loop closes connections idle for too long.
  std::chrono::steady_clock::time_point last_active() const { return last_active_; }
  bool registered_for_write = false;  // the loop's record of the epoll interest

 private:
  enum class Parse { NeedMore, Ready, Reject, Drop, HandOff };

  Next serve_buffered();
  Parse parse();
  Next respond(size_t body_size);
  Next finish_write();
  // Writes head+body; keeps what the socket did not take. False when the socket broke.
  bool send(std::string_view head, std::string_view body);
  // Writes what is pending (buffered bytes, then file segments) until the socket is full or a
  // turn's budget of file bytes is spent. False when the socket broke or a file failed.
  bool flush();
  // Writes what is left of out_. False when the socket broke.
  bool flush_buffer();

  const ServerContext& context_;
  int fd_;
  std::string peer_;
  std::chrono::steady_clock::time_point last_active_;

  // Read buffer: [request_start_, in_end_) is unconsumed; lines before line_start_ have been
  // fed to the parser; no '\n' in [line_start_, search_from_).
  std::string in_;
  size_t request_start_ = 0;
  size_t line_start_ = 0;
  size_t search_from_ = 0;
  size_t in_end_ = 0;
  bool peer_closed_ = false;

  std::optional<RequestHeadParser> parser_;
  bool head_done_ = false;

  std::string out_;
  size_t out_offset_ = 0;
  FileSender files_;  // the current response's file segments, sent once out_ is empty
  bool close_after_write_ = false;
  std::optional<StreamedResponse> streamed_;  // set when respond() asks for a hand-off
};

}  // namespace http
