#include "http/connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace http {
namespace {

constexpr size_t kReadChunk = 16384;
// A read buffer that grew past this for one large request is released once it is consumed.
constexpr size_t kKeepBufferBytes = 64 * 1024;
// File bytes sent per writable event, so one fast reader of a large file does not keep the
// loop from its other connections (EPOLLOUT is level-triggered: the rest follows at once).
constexpr uint64_t kFileBytesPerTurn = 1u << 20;

// The body of a request, already in the read buffer.
class BufferedBodyReader final : public BodyReader {
 public:
  explicit BufferedBodyReader(std::string_view body) : rest_(body) {}

  long read(char* out, size_t size) override {
    size_t n = std::min(size, rest_.size());
    std::memcpy(out, rest_.data(), n);
    rest_.remove_prefix(n);
    return static_cast<long>(n);
  }

 private:
  std::string_view rest_;
};

}  // namespace

Connection::Connection(const ServerContext& context, int fd, std::string peer)
    : context_(context), fd_(fd), peer_(std::move(peer)), last_active_(std::chrono::steady_clock::now()) {}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

int Connection::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

Connection::Next Connection::on_readable() {
  last_active_ = std::chrono::steady_clock::now();
  if (request_start_ == in_end_) {
    request_start_ = line_start_ = search_from_ = in_end_ = 0;
  }
  // Room for the rest of a known body in one read, else a chunk.
  size_t want = kReadChunk;
  if (head_done_) {
    size_t body = static_cast<size_t>(std::max<int64_t>(parser_->request().content_length, 0));
    size_t have = in_end_ - line_start_;
    if (body > have) want = std::max(want, body - have);
  }
  if (in_.size() - in_end_ < want && request_start_ > 0) {
    std::memmove(in_.data(), in_.data() + request_start_, in_end_ - request_start_);
    in_end_ -= request_start_;
    line_start_ -= request_start_;
    search_from_ -= request_start_;
    request_start_ = 0;
  }
  if (in_.size() - in_end_ < want) in_.resize(std::max(in_end_ + want, std::min(in_.size() * 2, kMaxBufferedBody)));
  ssize_t n = ::recv(fd_, in_.data() + in_end_, in_.size() - in_end_, 0);
  if (n > 0) {
    in_end_ += static_cast<size_t>(n);
  } else if (n == 0) {
    peer_closed_ = true;
  } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    return Next::Wait;  // level-triggered: epoll reports the socket again
  } else {
    return Next::Close;
  }
  return serve_buffered();
}

Connection::Next Connection::on_writable() {
  last_active_ = std::chrono::steady_clock::now();
  if (!flush()) return Next::Close;
  if (wants_write()) return Next::Wait;
  return finish_write();
}

// Serves every complete request in the buffer, in order, while responses go out whole.
Connection::Next Connection::serve_buffered() {
  while (!wants_write()) {
    switch (parse()) {
      case Parse::NeedMore: return peer_closed_ ? Next::Close : Next::Wait;
      case Parse::Drop: return Next::Close;
      case Parse::HandOff: return Next::HandOff;
      case Parse::Reject: {
        std::string reply = simple_response(parser_->reject_status(), parser_->reject_body());
        close_after_write_ = true;
        if (!send(reply, {})) return Next::Close;
        if (wants_write()) return Next::Wait;
        return finish_write();
      }
      case Parse::Ready: {
        size_t body = static_cast<size_t>(std::max<int64_t>(parser_->request().content_length, 0));
        Next next = respond(body);
        if (next != Next::Wait) return next;
        break;
      }
    }
  }
  return Next::Wait;
}

// Feeds complete lines to the parser, then waits for the whole body.
Connection::Parse Connection::parse() {
  size_t limit = context_.options.max_header_bytes;
  if (!head_done_) {
    if (!parser_) parser_.emplace(limit);
    while (true) {
      const char* base = in_.data();
      const void* newline = std::memchr(base + search_from_, '\n', in_end_ - search_from_);
      if (newline == nullptr) {
        search_from_ = in_end_;
        // A line over the limit ends the connection without an answer, as a blocking read does.
        return in_end_ - line_start_ > limit ? Parse::Drop : Parse::NeedMore;
      }
      size_t end = static_cast<size_t>(static_cast<const char*>(newline) - base);
      std::string_view line(base + line_start_, end - line_start_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      line_start_ = search_from_ = end + 1;
      RequestHeadParser::Step step = parser_->feed(line);
      if (!parser_->started()) request_start_ = line_start_;  // a stray empty line before the request
      if (step == RequestHeadParser::Step::Rejected) return Parse::Reject;
      if (step == RequestHeadParser::Step::Done) break;
    }
    head_done_ = true;
  }
  const Request& request = parser_->request();
  bool chunked = parser_->chunked();
  bool has_body = chunked || request.content_length > 0;
  if (chunked || (parser_->expect_continue() && has_body) ||
      request.content_length > static_cast<int64_t>(kMaxBufferedBody)) {
    return Parse::HandOff;
  }
  size_t body = static_cast<size_t>(std::max<int64_t>(request.content_length, 0));
  return in_end_ - line_start_ < body ? Parse::NeedMore : Parse::Ready;
}

// Runs the handler on the parsed request and its buffered body, then writes the response.
Connection::Next Connection::respond(size_t body_size) {
  Request& request = parser_->request();
  request.remote_address = peer_;
  BufferedBodyReader body(std::string_view(in_.data() + line_start_, body_size));
  if (body_size > 0) request.body_reader = &body;
  bool keep_alive = parser_->keep_alive();
  // "Expect: 100-continue" on a request without a body: answer 100 first anyway, as S3 does.
  // botocore keeps the status line of a final answer it read while waiting for 100 and would
  // misparse the next response on this connection (awsrequest.py AWSConnection._send_request).
  bool continue_first = parser_->expect_continue();
  bool parser_http11 = parser_->http11();

  Response response;
  try {
    context_.handler(request, response);
  } catch (...) {
    // Handlers catch their own errors; this only keeps a stray one from ending the process.
    response = Response{};
    response.status = 500;
    response.close = true;
  }
  if (response.close) keep_alive = false;
  bool skip_body = head_only(request, response);

  // The request is done; an unread body is simply dropped from the buffer.
  parser_.reset();
  head_done_ = false;
  request_start_ = line_start_ = search_from_ = line_start_ + body_size;
  if (request_start_ == in_end_) {
    request_start_ = line_start_ = search_from_ = in_end_ = 0;
    if (in_.size() > kKeepBufferBytes) std::string().swap(in_);
  }

  if (response.stream) {
    // The body is made while it is sent: a thread of its own sends it (and serves the
    // connection afterwards), so this loop's other connections do not wait for the producer.
    streamed_ = streamed_response(response, keep_alive, parser_http11, skip_body, continue_first);
    return Next::HandOff;
  }
  std::string head = response_head(response, keep_alive);
  if (continue_first) head.insert(0, "HTTP/1.1 100 Continue\r\n\r\n");
  if (!keep_alive) close_after_write_ = true;
  if (!send(head, skip_body ? std::string_view() : std::string_view(response.body))) return Next::Close;
  if (!skip_body && !response.files.empty()) {
    files_.start(std::move(response.files));
    // With the head and body out, start on the files now; else EPOLLOUT will.
    if (out_offset_ == out_.size() && !flush()) return Next::Close;
  }
  if (wants_write()) return Next::Wait;
  return close_after_write_ ? finish_write() : Next::Wait;
}

// The pending response is out: close if it asked to, else serve what is buffered.
Connection::Next Connection::finish_write() {
  if (close_after_write_) {
    ::shutdown(fd_, SHUT_WR);
    return Next::Close;
  }
  return serve_buffered();
}

bool Connection::send(std::string_view head, std::string_view body) {
  iovec iov[2] = {{const_cast<char*>(head.data()), head.size()}, {const_cast<char*>(body.data()), body.size()}};
  msghdr message{};
  message.msg_iov = iov;
  message.msg_iovlen = body.empty() ? 1 : 2;
  ssize_t n;
  do {
    n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
    n = 0;
  }
  size_t done = static_cast<size_t>(n);
  if (done == head.size() + body.size()) return true;
  // The socket is full: keep the rest for EPOLLOUT.
  out_.clear();
  out_offset_ = 0;
  if (done < head.size()) {
    out_.append(head.substr(done));
    out_.append(body);
  } else {
    out_.append(body.substr(done - head.size()));
  }
  return true;
}

bool Connection::flush() {
  if (!flush_buffer()) return false;
  if (out_offset_ < out_.size() || !files_.pending()) return true;
  return files_.send(fd_, kFileBytesPerTurn) != FileSender::Progress::Failed;
}

bool Connection::flush_buffer() {
  while (out_offset_ < out_.size()) {
    ssize_t n = ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL);
    if (n > 0) {
      out_offset_ += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;
    } else {
      return false;
    }
  }
  out_offset_ = 0;
  if (out_.capacity() > kKeepBufferBytes) {
    std::string().swap(out_);
  } else {
    out_.clear();
  }
  return true;
}

}  // namespace http
