// The HTTP/1.1 client side as the engine client needs it, as pure functions of bytes so they are
// unit-tested without a socket: request heads, request targets with escaped paths and queries,
// response head parsing and an incremental chunked-body decoder.
//
// Why our own client rather than src/http: that module is a server (request parser, response
// serialiser, event loops); a client needs the other halves. The engine speaks plain HTTP/1.1
// over a unix socket, one request per connection, so the client is small (unix_http.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace runtime {

// "/v1.41/images/create" plus "?a=1&b=2", each value percent-encoded.
class Target {
 public:
  explicit Target(std::string path) : text_(std::move(path)) {}
  Target& query(std::string_view key, std::string_view value);
  Target& query_if(bool condition, std::string_view key, std::string_view value) {
    return condition ? query(key, value) : *this;
  }
  const std::string& str() const { return text_; }

 private:
  std::string text_;
  bool has_query_ = false;
};

// An image or container name as a path component: what the Docker client sends raw ('/', ':'
// and '@' kept: image routes take the rest of the path), everything else percent-encoded.
std::string escape_path(std::string_view name);

struct HttpRequest {
  std::string method;
  std::string target;
  std::vector<http::Header> headers;
};

// The request line and headers, with "Host", "Connection: close" (one request per connection)
// and Content-Length when `content_length` >= 0.
std::string request_head(const HttpRequest& request, int64_t content_length);

struct ResponseHead {
  int status = 0;
  std::string reason;
  std::vector<http::Header> headers;
  int64_t content_length = -1;  // -1 when absent
  bool chunked = false;

  const std::string* header(std::string_view name) const;
  // Whether the status forbids a body (1xx, 204, 304).
  bool bodiless() const { return (status >= 100 && status < 200) || status == 204 || status == 304; }
};

// Where the head in `data` ends (just past the blank line), or nullopt when incomplete.
std::optional<size_t> find_head_end(std::string_view data);
// Parses a complete head (status line, headers, blank line).
common::Result<ResponseHead> parse_response_head(std::string_view head);

// Undoes Transfer-Encoding: chunked as bytes arrive, in pieces of any size.
class ChunkedDecoder {
 public:
  // Consumes all of `in`, appending payload bytes to `out`; bytes after the final chunk's
  // trailer are ignored. Errors on malformed framing.
  common::Status<> feed(std::string_view in, std::string& out);
  // The last chunk and the trailers have been read.
  bool done() const { return state_ == State::Done; }

 private:
  enum class State { Size, Data, DataEnd, Trailer, Done };
  common::Status<> end_size_line();

  State state_ = State::Size;
  std::string line_;
  uint64_t remaining_ = 0;
};

}  // namespace runtime
