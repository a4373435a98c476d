#include "http/server.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>

#include "common/strings.h"

namespace http {
namespace {

// Buffered reads from one connection; shared by header parsing and body readers.
class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}

  // Reads more bytes into the buffer. Returns false on EOF/error.
  bool fill() {
    if (start_ > 0 && start_ == end_) {
      start_ = end_ = 0;
    }
    if (end_ == sizeof buffer_) {
      if (start_ == 0) return false;  // full: caller's line is too long
      std::memmove(buffer_, buffer_ + start_, end_ - start_);
      end_ -= start_;
      start_ = 0;
    }
    while (true) {
      ssize_t n = ::recv(fd_, buffer_ + end_, sizeof buffer_ - end_, 0);
      if (n > 0) {
        end_ += static_cast<size_t>(n);
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      return false;
    }
  }

  std::string_view available() const { return {buffer_ + start_, end_ - start_}; }
  void consume(size_t n) { start_ += n; }

  long read(char* out, size_t size) {
    if (start_ == end_ && !fill()) return -1;
    size_t n = std::min(size, end_ - start_);
    std::memcpy(out, buffer_ + start_, n);
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
    int count = body.empty() ? 1 : 2;
    size_t total = head.size() + body.size();
    ssize_t n;
    do {
      n = ::writev(fd_, iov, count);
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

  int fd() const { return fd_; }

 private:
  int fd_;
  char buffer_[16384];
  size_t start_ = 0;
  size_t end_ = 0;
};

// Body framing: Content-Length or chunked. Sends "100 Continue" before the first read
// when the client asked for it.
class ConnectionBodyReader final : public BodyReader {
 public:
  ConnectionBodyReader(Connection& connection, int64_t length, bool chunked, bool expect_continue)
      : connection_(connection), remaining_(length), chunked_(chunked), expect_continue_(expect_continue) {}

  long read(char* out, size_t size) override {
    if (failed_) return -1;
    if (expect_continue_) {
      expect_continue_ = false;
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!connection_.write_all(kContinue.data(), kContinue.size())) return fail();
    }
    if (!chunked_) {
      if (remaining_ <= 0) return 0;
      size_t want = std::min<uint64_t>(size, static_cast<uint64_t>(remaining_));
      long n = connection_.read(out, want);
      if (n <= 0) return fail();
      remaining_ -= n;
      return n;
    }
    if (done_) return 0;
    if (chunk_left_ == 0) {
      std::string line;
      if (!connection_.read_line(line, 4096)) return fail();
      if (!first_chunk_ && line.empty()) {
        // CRLF after the previous chunk's data.
        if (!connection_.read_line(line, 4096)) return fail();
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
          if (!connection_.read_line(line, 8192)) return fail();
          if (line.empty()) break;
        }
        done_ = true;
        return 0;
      }
      chunk_left_ = n;
    }
    size_t want = std::min<uint64_t>(size, chunk_left_);
    long n = connection_.read(out, want);
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
  Connection& connection_;
  int64_t remaining_;
  bool chunked_;
  bool expect_continue_;
  bool failed_ = false;
  bool done_ = false;
  bool first_chunk_ = true;
  uint64_t chunk_left_ = 0;
};

void send_simple(Connection& connection, int status, std::string_view body) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
                     "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n\r\n";
  connection.writev_all(head, body);
}

}  // namespace

Server::Server(ServerOptions options, Handler handler) : options_(std::move(options)), handler_(std::move(handler)) {}

Server::~Server() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool Server::listen(std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* result = nullptr;
  std::string port = std::to_string(options_.port);
  int rc = ::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &result);
  if (rc != 0) {
    error = "cannot resolve " + options_.host + ": " + gai_strerror(rc);
    return false;
  }
  for (addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
      listen_fd_ = fd;
      break;
    }
    error = std::string("cannot listen on ") + options_.host + ":" + port + ": " + std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(result);
  if (listen_fd_ < 0) {
    if (error.empty()) error = "cannot listen on " + options_.host + ":" + port;
    return false;
  }
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  if (addr.ss_family == AF_INET) {
    bound_port_ = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  } else {
    bound_port_ = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  }
  return true;
}

void Server::run() {
  while (!stopping_.load()) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (stopping_.load()) break;
      if (errno == EMFILE || errno == ENFILE) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      break;
    }
    char host[INET6_ADDRSTRLEN] = {0};
    if (addr.ss_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&addr)->sin_addr, host, sizeof host);
    } else if (addr.ss_family == AF_INET6) {
      ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr, host, sizeof host);
    }
    if (connections_.load() >= options_.max_connections) {
      Connection c(fd);
      send_simple(c, 503, "too many connections\n");
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{options_.idle_timeout_seconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    connections_.fetch_add(1);
    try {
      std::thread([this, fd, peer = std::string(host)] {
        serve_connection(fd, peer);
        ::close(fd);
        // The last client left: give memory freed by its threads back to the OS, so an idle
        // server stays small after a burst.
        if (connections_.fetch_sub(1) == 1) ::malloc_trim(0);
      }).detach();
    } catch (const std::system_error&) {
      connections_.fetch_sub(1);
      ::close(fd);
    }
  }
}

void Server::stop() {
  stopping_.store(true);
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
}

void Server::serve_connection(int fd, std::string peer) {
  Connection connection(fd);
  std::string line;
  while (!stopping_.load()) {
    Request request;
    request.remote_address = peer;
    // Request line (skip stray empty lines between requests, as RFC 7230 allows).
    do {
      if (!connection.read_line(line, options_.max_header_bytes)) return;
    } while (line.empty());
    size_t sp1 = line.find(' ');
    size_t sp2 = line.rfind(' ');
    if (sp1 == std::string::npos || sp2 == sp1) {
      send_simple(connection, 400, "malformed request line\n");
      return;
    }
    request.method = line.substr(0, sp1);
    request.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string version = line.substr(sp2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
      send_simple(connection, 400, "unsupported HTTP version\n");
      return;
    }
    bool keep_alive = version == "HTTP/1.1";
    size_t qpos = request.target.find('?');
    if (qpos == std::string::npos) {
      request.path = request.target;
    } else {
      request.path = request.target.substr(0, qpos);
      request.query = request.target.substr(qpos + 1);
    }
    // Absolute-form targets (proxies): keep only the path.
    if (request.path.rfind("http://", 0) == 0 || request.path.rfind("https://", 0) == 0) {
      size_t slash = request.path.find('/', request.path.find("//") + 2);
      request.path = slash == std::string::npos ? "/" : request.path.substr(slash);
    }
    size_t header_bytes = line.size();
    bool chunked = false;
    bool expect_continue = false;
    bool bad = false;
    while (true) {
      if (!connection.read_line(line, options_.max_header_bytes)) return;
      if (line.empty()) break;
      header_bytes += line.size();
      if (header_bytes > options_.max_header_bytes) {
        send_simple(connection, 431, "request headers too large\n");
        return;
      }
      size_t colon = line.find(':');
      if (colon == std::string::npos || colon == 0) {
        bad = true;
        continue;
      }
      Header h{line.substr(0, colon), std::string(common::trim(std::string_view(line).substr(colon + 1)))};
      if (common::iequals(h.name, "content-length")) {
        char* end = nullptr;
        long long n = std::strtoll(h.value.c_str(), &end, 10);
        if (end == h.value.c_str() || *end != '\0' || n < 0) bad = true;
        request.content_length = n;
      } else if (common::iequals(h.name, "transfer-encoding")) {
        chunked = common::to_lower(h.value).find("chunked") != std::string::npos;
      } else if (common::iequals(h.name, "expect")) {
        expect_continue = common::iequals(h.value, "100-continue");
      } else if (common::iequals(h.name, "connection")) {
        std::string v = common::to_lower(h.value);
        if (v.find("close") != std::string::npos) keep_alive = false;
        if (v.find("keep-alive") != std::string::npos) keep_alive = true;
      }
      request.headers.push_back(std::move(h));
    }
    if (bad) {
      send_simple(connection, 400, "malformed request headers\n");
      return;
    }
    if (chunked) request.content_length = -1;
    bool has_body = chunked || request.content_length > 0;
    ConnectionBodyReader body(connection, chunked ? -1 : std::max<int64_t>(request.content_length, 0), chunked,
                              expect_continue && has_body);
    if (has_body) request.body_reader = &body;

    Response response;
    handler_(request, response);

    // Drain an unread small body so the connection can be reused; otherwise close.
    if (has_body && !body.finished()) {
      if (!body.started()) {
        // The client is waiting for 100-continue that will never come: close afterwards.
        keep_alive = false;
      } else {
        char sink[16384];
        size_t drained = 0;
        while (drained < (1u << 20)) {
          long n = body.read(sink, sizeof sink);
          if (n <= 0) break;
          drained += static_cast<size_t>(n);
        }
        if (!body.finished()) keep_alive = false;
      }
    }
    if (response.close) keep_alive = false;

    std::string head;
    head.reserve(256);
    head += "HTTP/1.1 ";
    head += std::to_string(response.status);
    head += ' ';
    head += reason_phrase(response.status);
    head += "\r\n";
    for (const auto& h : response.headers) {
      head += h.name;
      head += ": ";
      head += h.value;
      head += "\r\n";
    }
    if (response.status != 204 && response.status != 304 && !(response.status >= 100 && response.status < 200)) {
      head += "Content-Length: ";
      head += std::to_string(response.body.size());
      head += "\r\n";
    }
    if (!keep_alive) head += "Connection: close\r\n";
    head += "\r\n";
    bool head_only = response.head_only || request.method == "HEAD";
    if (!connection.writev_all(head, head_only ? std::string_view() : std::string_view(response.body))) return;
    if (!keep_alive) {
      ::shutdown(fd, SHUT_WR);
      return;
    }
  }
}

}  // namespace http
