// HTTP/1.1 request and response as the front door sees them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace http {

struct Header {
  std::string name;  // as received; compare case-insensitively
  std::string value;
};

// Reads a request body as it arrives (Content-Length or chunked already undone).
// Not thread-safe; owned by the connection for the lifetime of one request.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Reads up to `size` bytes. Returns bytes read, 0 at end of body, -1 on a broken
  // connection or malformed framing.
  virtual long read(char* buffer, size_t size) = 0;
};

struct Request {
  std::string method;  // upper case as sent
  std::string target;  // raw request-target: path plus "?query"
  std::string path;    // raw (still percent-encoded) path, before '?'
  std::string query;   // raw query string after '?', without '?'
  std::vector<Header> headers;
  std::string remote_address;         // peer IP
  bool secure = false;                // arrived over TLS
  BodyReader* body_reader = nullptr;  // null when the request has no body

  // First value of a header, case-insensitive; nullptr when absent.
  const std::string* header(std::string_view name) const;
  // Declared body length (Content-Length), -1 when unknown (chunked) or absent.
  int64_t content_length = -1;

  // Reads the whole body into `out` (for small API bodies). Returns false when the body
  // is larger than `max_bytes` or the connection broke.
  bool read_body(std::string& out, size_t max_bytes);
  bool body_consumed = false;
};

// A file a handler opened for a response, so that removing or replacing the file afterwards
// cannot cut the body short (an unlinked file stays readable while open). Closed when the last
// segment naming it goes.
class OpenFile {
 public:
  // Null when the file cannot be opened.
  static std::shared_ptr<const OpenFile> open(const std::string& path);
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// A piece of a response body that lives in a file: `length` bytes from `offset` of `path`.
// Sent with sendfile, so nothing is held in memory. The server opens `path` when the segment's
// turn comes, unless the handler already opened it (`file`).
struct FileSegment {
  std::string path;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::shared_ptr<const OpenFile> file = nullptr;
};

// A response body produced while it is sent (a CGI program's output as the program writes it),
// so that it is never held whole in memory. The server sends it chunked (Content-Length when
// size() is known; HTTP/1.0 clients get it unframed and the connection closes at its end), from
// a thread that serves only this connection, never from an event loop: read() may block, and
// the socket's pace is the producer's (back-pressure), bounded by the idle timeout.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Reads the next bytes: >0 bytes read, 0 at the end, -1 when the body cannot be completed
  // (the connection then closes without the final chunk: the client sees a broken body, never a
  // short complete one).
  virtual long read(char* buffer, size_t size) = 0;
  // The body's length when known before it is produced; -1 sends it chunked.
  virtual int64_t size() const { return -1; }
  // Called exactly once, after the last read or when sending stops early (the client left, a
  // read failed, a HEAD request, the server stopping): whether the whole body reached the socket.
  virtual void finish(bool complete) { (void)complete; }
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  // When non-empty, the body is these segments in order, sent after `body` (normally empty);
  // Content-Length covers both. A file that cannot be opened or is shorter than its segment
  // closes the connection (the client sees a short body, never wrong bytes).
  std::vector<FileSegment> files;
  // When set, the body is `body` followed by what this produces (`files` must be empty). See
  // BodyStream: the connection moves to a thread of its own for it.
  std::shared_ptr<BodyStream> stream;
  bool head_only = false;  // HEAD: send headers (incl. Content-Length) without the body
  bool close = false;      // close the connection after this response

  void set_header(std::string name, std::string value) { headers.push_back(Header{std::move(name), std::move(value)}); }
};

std::string_view reason_phrase(int status);

}  // namespace http
