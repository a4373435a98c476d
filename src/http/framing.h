// HTTP/1.1 framing shared by both kinds of connection (event loop and blocking thread): the
// request head parser, the response head, and the plain-text replies the server sends itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/request.h"

namespace http {

// Bodies up to this size are buffered whole by the event loop; an unread body up to this size
// is drained by the blocking path so the connection can be reused.
inline constexpr size_t kMaxBufferedBody = 1u << 20;

// Parses a request line and headers fed one line at a time (line endings already removed).
// One parser per request.
class RequestHeadParser {
 public:
  enum class Step {
    More,     // feed the next line
    Done,     // the blank line ending the headers was fed; see request() and the flags
    Rejected  // answer with reject_status()/reject_body() and close the connection
  };

  explicit RequestHeadParser(size_t max_header_bytes) : max_header_bytes_(max_header_bytes) {}

  // Feeds one line. Empty lines before the request line are skipped (RFC 7230 allows them).
  Step feed(std::string_view line);

  // Whether the request line has been seen (callers limit the length of lines before it).
  bool started() const { return started_; }
  Request& request() { return request_; }
  bool keep_alive() const { return keep_alive_; }
  // HTTP/1.1 (else 1.0, which cannot take a chunked response).
  bool http11() const { return http11_; }
  bool chunked() const { return chunked_; }
  bool expect_continue() const { return expect_continue_; }
  int reject_status() const { return reject_status_; }
  std::string_view reject_body() const { return reject_body_; }

 private:
  Step reject(int status, std::string_view body);
  Step request_line(std::string_view line);

  size_t max_header_bytes_;
  Request request_;
  bool started_ = false;
  bool keep_alive_ = false;
  bool http11_ = false;
  bool chunked_ = false;
  bool expect_continue_ = false;
  bool bad_ = false;
  size_t header_bytes_ = 0;
  int reject_status_ = 0;
  std::string_view reject_body_;
};

// The length of the body `response` describes: `body` followed by its file segments, or by its
// stream when the stream's size is known.
uint64_t body_length(const Response& response);

// The status line and headers of `response`, with Content-Length (body_length(), also for
// HEAD) unless the status forbids a body, and "Connection: keep-alive" or "Connection: close".
// A response with a stream of unknown size says "Transfer-Encoding: chunked" instead, or, for an
// HTTP/1.0 client (`http11` false), nothing: its body then ends when the connection closes.
std::string response_head(const Response& response, bool keep_alive, bool http11 = true);

// Whether `response`'s body is a stream sent chunked to this client.
inline bool chunked_stream(const Response& response, bool http11) {
  return response.stream && response.stream->size() < 0 && http11;
}

// Whether the connection must close after `response` because nothing else can end its body
// (a stream of unknown size to an HTTP/1.0 client).
inline bool ends_with_close(const Response& response, bool http11) {
  return response.stream && response.stream->size() < 0 && !http11;
}

// Whether the body is left out (HEAD).
inline bool head_only(const Request& request, const Response& response) {
  return response.head_only || request.method == "HEAD";
}

// A complete text/plain response that closes the connection (400, 431, 503).
std::string simple_response(int status, std::string_view body);

}  // namespace http
