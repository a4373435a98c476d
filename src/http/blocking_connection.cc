#include "http/blocking_connection.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "http/file_sender.h"
#include "http/framing.h"

namespace http {
namespace {

// Buffered reads from one blocking socket; shared by header parsing and body readers.
class BlockingSocket {
 public:
  BlockingSocket(int fd, std::string_view seed) : fd_(fd), buffer_(std::max<size_t>(kBufferSize, seed.size())) {
    std::memcpy(buffer_.data(), seed.data(), seed.size());
    end_ = seed.size();
  }

  // Reads more bytes into the buffer. Returns false on EOF/error.
  bool fill() {
    if (start_ > 0 && start_ == end_) {
      start_ = end_ = 0;
    }
    if (end_ == buffer_.size()) {
      if (start_ == 0) return false;  // full: caller's line is too long
      std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
    }
    while (true) {
      ssize_t n = ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, 0);
      if (n > 0) {
        end_ += static_cast<size_t>(n);
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
  }

  std::string_view available() const { return {buffer_.data() + start_, end_ - start_}; }
  void consume(size_t n) { start_ += n; }

  long read(char* out, size_t size) {
    if (start_ == end_ && !fill()) return -1;
    size_t n = std::min(size, end_ - start_);
    std::memcpy(out, buffer_.data() + start_, n);
    start_ += n;
    return static_cast<long>(n);
  }

  // Reads one CRLF-terminated line (without CRLF). False on EOF or a line over the limit.
  bool read_line(std::string& line, size_t limit) {
    line.clear();
    while (true) {
      auto data = available();
      size_t pos = data.find('\n');
      if (pos != std::string_view::npos) {
        line.append(data.substr(0, pos));
        consume(pos + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return true;
      }
      line.append(data);
      consume(data.size());
      if (line.size() > limit) return false;
      if (!fill()) return false;
    }
  }

  bool write_all(const char* data, size_t size) {
    while (size > 0) {
      ssize_t n = ::send(fd_, data, size, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  bool writev_all(std::string_view head, std::string_view body) {
    iovec iov[2] = {{const_cast<char*>(head.data()), head.size()}, {const_cast<char*>(body.data()), body.size()}};
    msghdr message{};
    message.msg_iov = iov;
    message.msg_iovlen = body.empty() ? 1 : 2;
    size_t total = head.size() + body.size();
    ssize_t n;
    do {
      n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);  // writev, without SIGPIPE when the client left
    } while (n < 0 && errno == EINTR);
    if (n < 0) return false;
    if (static_cast<size_t>(n) == total) return true;
    // Partial write: finish with plain sends.
    size_t done = static_cast<size_t>(n);
    if (done < head.size()) {
      if (!write_all(head.data() + done, head.size() - done)) return false;
      return write_all(body.data(), body.size());
    }
    done -= head.size();
    return write_all(body.data() + done, body.size() - done);
  }

 private:
  static constexpr size_t kBufferSize = 16384;
  int fd_;
  std::vector<char> buffer_;
  size_t start_ = 0;
  size_t end_ = 0;
};

// Body framing: Content-Length or chunked. Sends "100 Continue" before the first read
// when the client asked for it.
class StreamingBodyReader final : public BodyReader {
 public:
  StreamingBodyReader(BlockingSocket& socket, int64_t length, bool chunked, bool expect_continue)
      : socket_(socket), remaining_(length), chunked_(chunked), expect_continue_(expect_continue) {}

  long read(char* out, size_t size) override {
    if (failed_) return -1;
    if (expect_continue_) {
      expect_continue_ = false;
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!socket_.write_all(kContinue.data(), kContinue.size())) return fail();
    }
    if (!chunked_) {
      if (remaining_ <= 0) return 0;
      size_t want = std::min<uint64_t>(size, static_cast<uint64_t>(remaining_));
      long n = socket_.read(out, want);
      if (n <= 0) return fail();
      remaining_ -= n;
      return n;
    }
    if (done_) return 0;
    if (chunk_left_ == 0) {
      std::string line;
      if (!socket_.read_line(line, 4096)) return fail();
      if (!first_chunk_ && line.empty()) {
        // CRLF after the previous chunk's data.
        if (!socket_.read_line(line, 4096)) return fail();
      }
      first_chunk_ = false;
      size_t semicolon = line.find(';');
      std::string hex(common::trim(std::string_view(line).substr(0, semicolon)));
      if (hex.empty()) return fail();
      char* end = nullptr;
      unsigned long long n = std::strtoull(hex.c_str(), &end, 16);
      if (end == nullptr || *end != '\0') return fail();
      if (n == 0) {
        // Trailers until an empty line.
        while (true) {
          if (!socket_.read_line(line, 8192)) return fail();
          if (line.empty()) break;
        }
        done_ = true;
        return 0;
      }
      chunk_left_ = n;
    }
    size_t want = std::min<uint64_t>(size, chunk_left_);
    long n = socket_.read(out, want);
    if (n <= 0) return fail();
    chunk_left_ -= static_cast<uint64_t>(n);
    return n;
  }

  // True when the whole body has been read (so the connection can be reused).
  bool finished() const { return !failed_ && (chunked_ ? done_ : remaining_ <= 0); }
  bool started() const { return !expect_continue_; }

 private:
  long fail() {
    failed_ = true;
    return -1;
  }
  BlockingSocket& socket_;
  int64_t remaining_;
  bool chunked_;
  bool expect_continue_;
  bool failed_ = false;
  bool done_ = false;
  bool first_chunk_ = true;
  uint64_t chunk_left_ = 0;
};

}  // namespace

void send_simple_blocking(int fd, int status, std::string_view body) {
  BlockingSocket socket(fd, {});
  std::string reply = simple_response(status, body);
  socket.write_all(reply.data(), reply.size());
}

void serve_blocking_connection(const ServerContext& context, int fd, const std::string& peer, std::string_view seed,
                               std::optional<StreamedResponse> first) {
  if (first && !send_streamed(fd, *first)) {
    ::shutdown(fd, SHUT_WR);  // "Connection: close" or broken mid-body: the connection ends
    return;
  }
  BlockingSocket socket(fd, seed);
  std::string line;
  while (!context.stopping.load()) {
    RequestHeadParser parser(context.options.max_header_bytes);
    RequestHeadParser::Step step;
    do {
      if (!socket.read_line(line, context.options.max_header_bytes)) return;
      step = parser.feed(line);
    } while (step == RequestHeadParser::Step::More);
    if (step == RequestHeadParser::Step::Rejected) {
      std::string reply = simple_response(parser.reject_status(), parser.reject_body());
      socket.write_all(reply.data(), reply.size());
      return;
    }
    Request& request = parser.request();
    request.remote_address = peer;
    bool keep_alive = parser.keep_alive();
    bool chunked = parser.chunked();
    bool has_body = chunked || request.content_length > 0;
    StreamingBodyReader body(socket, chunked ? -1 : std::max<int64_t>(request.content_length, 0), chunked,
                             parser.expect_continue() && has_body);
    if (has_body) request.body_reader = &body;

    Response response;
    try {
      context.handler(request, response);
    } catch (...) {
      // Handlers catch their own errors; this only keeps a stray one from ending the process.
      response = Response{};
      response.status = 500;
      response.close = true;
    }

    // Drain an unread small body so the connection can be reused; otherwise close.
    if (has_body && !body.finished()) {
      if (!body.started()) {
        // The client is waiting for 100-continue that will never come: close afterwards.
        keep_alive = false;
      } else {
        char sink[16384];
        size_t drained = 0;
        while (drained < kMaxBufferedBody) {
          long n = body.read(sink, sizeof sink);
          if (n <= 0) break;
          drained += static_cast<size_t>(n);
        }
        if (!body.finished()) keep_alive = false;
      }
    }
    if (response.close) keep_alive = false;

    // Expect: 100-continue without a body: 100 first anyway (see connection.cc).
    bool continue_first = parser.expect_continue() && !has_body;
    bool skip_body = head_only(request, response);
    if (response.stream) {
      StreamedResponse streamed = streamed_response(response, keep_alive, parser.http11(), skip_body, continue_first);
      if (send_streamed(fd, streamed)) continue;
      ::shutdown(fd, SHUT_WR);  // "Connection: close" or broken mid-body: the connection ends
      return;
    }
    std::string head = response_head(response, keep_alive);
    if (continue_first) head.insert(0, "HTTP/1.1 100 Continue\r\n\r\n");
    if (!socket.writev_all(head, skip_body ? std::string_view() : std::string_view(response.body))) return;
    if (!skip_body && !response.files.empty()) {
      // Blocking sendfile until done; a failed file ends the connection mid-body.
      FileSender files;
      files.start(std::move(response.files));
      if (files.send(fd, std::numeric_limits<uint64_t>::max()) != FileSender::Progress::Done) return;
    }
    if (!keep_alive) {
      ::shutdown(fd, SHUT_WR);
      return;
    }
  }
}

void BlockingThreads::start(const ServerContext& context, int fd, std::string peer, std::string seed,
                            std::optional<StreamedResponse> first) {
  bool accepted;
  {
    std::lock_guard lock(mutex_);
    accepted = !stopped_;
    if (accepted) fds_.insert(fd);
  }
  // Shared with the thread, so that the response is still ours to finish if it cannot start.
  auto pending = std::make_shared<std::optional<StreamedResponse>>(std::move(first));
  auto abandon = [&pending] {
    if (!*pending) return;
    try {
      (*pending)->stream->finish(false);
    } catch (...) {
      // The producer's failure changes nothing here: the connection is gone either way.
    }
  };
  if (!accepted) {
    abandon();
    ::close(fd);
    context.connection_closed();
    return;
  }
  try {
    std::thread([this, context, fd, peer = std::move(peer), seed = std::move(seed), pending] {
      serve_blocking_connection(context, fd, peer, seed, std::move(*pending));
      context.connection_closed();
      finished(fd);
    }).detach();
  } catch (...) {
    abandon();
    context.connection_closed();
    finished(fd);
  }
}

// Closes under the lock, so stop() never shuts down a reused descriptor number.
void BlockingThreads::finished(int fd) {
  std::lock_guard lock(mutex_);
  fds_.erase(fd);
  ::close(fd);
  if (fds_.empty()) idle_.notify_all();
}

void BlockingThreads::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
}

void BlockingThreads::wait() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return fds_.empty(); });
}

}  // namespace http
