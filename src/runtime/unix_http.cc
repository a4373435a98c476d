#include "runtime/unix_http.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "common/signals.h"

namespace runtime {
namespace {

using common::ErrorKind;
using common::make_error;

// Waits are sliced so a cancel flag is seen within this long.
constexpr long kSliceMs = 100;

common::Error unavailable(std::string message) { return make_error(ErrorKind::Unavailable, std::move(message)); }

}  // namespace

Deadline::Deadline(const CallOptions& options)
    : end_(std::chrono::steady_clock::now() + options.timeout), timeout_(options.timeout), cancel_(options.cancel) {}

long Deadline::remaining_ms() const {
  auto left = std::chrono::duration_cast<Millis>(end_ - std::chrono::steady_clock::now()).count();
  return left > 0 ? static_cast<long>(left) : 0;
}

std::string socket_path_from_host(std::string_view docker_host) {
  constexpr std::string_view kScheme = "unix://";
  if (docker_host.rfind(kScheme, 0) == 0) return std::string(docker_host.substr(kScheme.size()));
  if (docker_host.find("://") != std::string_view::npos) return "";
  return std::string(docker_host);
}

common::Result<std::unique_ptr<UnixHttpConnection>> UnixHttpConnection::open(const std::string& socket_path,
                                                                             const CallOptions& options) {
  sockaddr_un addr{};
  if (socket_path.empty() || socket_path.size() >= sizeof(addr.sun_path)) {
    return common::fail(make_error(ErrorKind::InvalidArgument, "container engine socket path '" + socket_path +
                                                                   "' is empty or longer than 107 bytes"));
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  Deadline deadline(options);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return common::fail(unavailable(std::string("socket: ") + std::strerror(errno)));
  // A non-blocking unix connect completes at once or fails with EAGAIN when the listener's
  // backlog is full (a hung engine); retry that until the deadline.
  while (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    if ((err == EAGAIN || err == EINTR) && deadline.remaining_ms() > 0 && !deadline.cancelled()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    ::close(fd);
    return common::fail(unavailable("container engine not reachable at " + socket_path + ": " + std::strerror(err)));
  }
  return std::unique_ptr<UnixHttpConnection>(new UnixHttpConnection(fd, socket_path, options));
}

UnixHttpConnection::UnixHttpConnection(int fd, std::string socket_path, const CallOptions& options)
    : fd_(fd), socket_path_(std::move(socket_path)), deadline_(options) {}

UnixHttpConnection::~UnixHttpConnection() { ::close(fd_); }

common::Error UnixHttpConnection::timed_out() const {
  if (deadline_.cancelled()) return unavailable("cancelled");
  return unavailable("container engine at " + socket_path_ + " did not finish within " +
                     std::to_string(deadline_.timeout().count()) + " ms");
}

common::Status<> UnixHttpConnection::wait_for(short events) {
  for (;;) {
    if (deadline_.cancelled()) return common::fail(timed_out());
    long left = deadline_.remaining_ms();
    if (left <= 0) return common::fail(timed_out());
    pollfd p{fd_, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(std::min(left, kSliceMs)));
    if (n > 0) return common::ok();
    if (n < 0 && errno != EINTR) return common::fail(unavailable(std::string("poll: ") + std::strerror(errno)));
  }
}

common::Status<> UnixHttpConnection::write_all(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      auto ready = wait_for(POLLOUT);
      if (!ready) return ready;
      continue;
    }
    return common::fail(
        unavailable("container engine connection broke while sending: " + std::string(std::strerror(errno))));
  }
  return common::ok();
}

common::Status<> UnixHttpConnection::send_file(const std::string& path) {
  int file = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0) {
    return common::fail(make_error(ErrorKind::InvalidArgument, "cannot open " + path + ": " + std::strerror(errno)));
  }
  std::string chunk(256 * 1024, '\0');
  common::Status<> status = common::ok();
  for (;;) {
    ssize_t n = ::read(file, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = common::fail(make_error(ErrorKind::Internal, "reading " + path + ": " + std::strerror(errno)));
      break;
    }
    if (n == 0) break;
    status = write_all(std::string_view(chunk.data(), static_cast<size_t>(n)));
    if (!status) break;
  }
  ::close(file);
  return status;
}

common::Status<> UnixHttpConnection::send(const HttpRequest& request, const RequestBody& body) {
  HttpRequest with_type = request;
  if (!body.content_type.empty()) with_type.headers.push_back({"Content-Type", body.content_type});
  int64_t length = static_cast<int64_t>(body.data.size());
  if (!body.file.empty()) {
    struct stat st {};
    if (::stat(body.file.c_str(), &st) != 0) {
      return common::fail(
          make_error(ErrorKind::InvalidArgument, "cannot read " + body.file + ": " + std::strerror(errno)));
    }
    length = st.st_size;
  } else if (body.data.empty() && request.method == "GET") {
    length = -1;
  }
  common::SigpipeBlock no_sigpipe;
  auto sent = write_all(request_head(with_type, length));
  if (!sent) return sent;
  if (!body.file.empty()) return send_file(body.file);
  return write_all(body.data);
}

common::Result<size_t> UnixHttpConnection::fill() {
  for (;;) {
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n >= 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return static_cast<size_t>(n);
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) {
      return common::fail(unavailable("container engine connection broke: " + std::string(std::strerror(errno))));
    }
    auto ready = wait_for(POLLIN);
    if (!ready) return common::fail(std::move(ready).error());
  }
}

common::Result<ResponseHead> UnixHttpConnection::read_head() {
  for (;;) {
    auto end = find_head_end(buffer_);
    if (end) {
      auto head = parse_response_head(std::string_view(buffer_).substr(0, *end));
      buffer_.erase(0, *end);
      if (!head) return head;
      if (head->status >= 100 && head->status < 200) continue;  // 100 Continue
      return head;
    }
    if (buffer_.size() > 256 * 1024) return common::fail(unavailable("container engine sent an oversized head"));
    auto n = fill();
    if (!n) return common::fail(std::move(n).error());
    if (*n == 0) return common::fail(unavailable("container engine closed the connection before answering"));
  }
}

common::Status<> UnixHttpConnection::read_body(const ResponseHead& head, const BodySink& sink, uint64_t max_bytes) {
  if (head.bodiless()) return common::ok();
  uint64_t delivered = 0;
  auto deliver = [&](std::string_view bytes) -> common::Status<> {
    delivered += bytes.size();
    if (delivered > max_bytes) {
      return common::fail(unavailable("container engine response exceeds " + std::to_string(max_bytes) + " bytes"));
    }
    if (!bytes.empty()) sink(bytes);
    return common::ok();
  };
  ChunkedDecoder chunked;
  uint64_t left = head.content_length >= 0 ? static_cast<uint64_t>(head.content_length) : 0;
  for (;;) {
    if (!buffer_.empty()) {
      common::Status<> status = common::ok();
      if (head.chunked) {
        std::string payload;
        status = chunked.feed(buffer_, payload);
        if (status) status = deliver(payload);
      } else if (head.content_length >= 0) {
        size_t take = static_cast<size_t>(std::min<uint64_t>(left, buffer_.size()));
        left -= take;
        status = deliver(std::string_view(buffer_).substr(0, take));
      } else {
        status = deliver(buffer_);
      }
      buffer_.clear();
      if (!status) return status;
    }
    if (head.chunked ? chunked.done() : (head.content_length >= 0 && left == 0)) return common::ok();
    auto n = fill();
    if (!n) return common::fail(std::move(n).error());
    if (*n == 0) {
      if (!head.chunked && head.content_length < 0) return common::ok();  // delimited by close
      return common::fail(unavailable("container engine closed the connection mid-response"));
    }
  }
}

common::Result<std::string> UnixHttpConnection::read_body_text(const ResponseHead& head, uint64_t max_bytes) {
  std::string text;
  auto status = read_body(
      head, [&](std::string_view bytes) { text.append(bytes); }, max_bytes);
  if (!status) return common::fail(std::move(status).error());
  return text;
}

}  // namespace runtime
