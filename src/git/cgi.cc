// The CGI runner: one poll loop moving the request body into the program's stdin and its
// stdout into memory or a spill file, stderr into a bounded string.
#include "git/cgi.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/strings.h"

namespace git {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxErr = 64 * 1024;
constexpr size_t kMaxHeaderBlock = 64 * 1024;

common::Error io_error(const std::string& what) {
  return common::make_error(common::ErrorKind::Internal, what + ": " + std::strerror(errno));
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// An anonymous file in `dir`: O_TMPFILE where the filesystem has it, else a named file
// unlinked at once. Either way nothing is left behind if the process dies.
int open_spill_file(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string pattern = dir + "/.cgi-body-XXXXXX";
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(pattern.c_str());
  return fd;
}

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Collects stdout: the header block, then the body in memory until it outgrows the limit.
class OutputSink {
 public:
  OutputSink(const CgiRequest& request, CgiResult& result) : request_(request), result_(result) {}

  bool add(const char* data, size_t size) {
    if (!result_.headers_ok && !header_done_) {
      head_.append(data, size);
      std::optional<CgiHeaders> parsed = parse_cgi_headers(head_);
      if (!parsed) {
        if (head_.size() > kMaxHeaderBlock) header_done_ = true;  // garbage: headers_ok stays false
        return true;
      }
      header_done_ = true;
      result_.headers_ok = parsed->status != 502 || parsed->length > 0;
      std::string rest = head_.substr(parsed->length);
      result_.head = std::move(*parsed);
      head_.clear();
      return body(rest.data(), rest.size());
    }
    return body(data, size);
  }

 private:
  bool body(const char* data, size_t size) {
    if (size == 0) return true;
    result_.body_size += size;
    if (result_.body_fd < 0 && result_.body.size() + size <= request_.memory_limit) {
      result_.body.append(data, size);
      return true;
    }
    if (result_.body_fd < 0) {
      result_.body_fd = open_spill_file(request_.spill_dir);
      if (result_.body_fd < 0) return false;
      if (!write_all(result_.body_fd, result_.body.data(), result_.body.size())) return false;
      result_.body.clear();
      result_.body.shrink_to_fit();
    }
    return write_all(result_.body_fd, data, size);
  }

  const CgiRequest& request_;
  CgiResult& result_;
  std::string head_;
  bool header_done_ = false;
};

struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  ~Pipes() {
    for (int* p : {in, out, err}) {
      close_fd(p[0]);
      close_fd(p[1]);
    }
  }
};

common::Result<pid_t> spawn(const CgiRequest& request, Pipes& pipes) {
  if (::pipe2(pipes.in, O_CLOEXEC) != 0 || ::pipe2(pipes.out, O_CLOEXEC) != 0 || ::pipe2(pipes.err, O_CLOEXEC) != 0) {
    return common::fail(io_error("pipe"));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipes.in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, pipes.out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipes.err[1], 2);
  std::vector<std::string> env_strings;
  env_strings.reserve(request.env.size());
  for (const auto& [key, value] : request.env) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string program = request.program;
  char* argv[] = {program.data(), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    return common::fail(io_error("cannot start " + request.program));
  }
  close_fd(pipes.in[0]);
  close_fd(pipes.out[1]);
  close_fd(pipes.err[1]);
  return pid;
}

// Moves the request body into the child's stdin. Reading the body blocks on the client, which
// always sends its whole request before reading the answer, so the child's output waits in its
// pipe meanwhile without deadlock.
class InputPump {
 public:
  InputPump(const CgiRequest& request, int& fd, CgiResult& result)
      : pending_(request.body_prefix), source_(request.body), fd_(fd), result_(result) {
    if (!source_) eof_ = true;
    if (pending_.empty() && eof_) close_fd(fd_);
  }

  // Refills the buffer when it ran dry; closes stdin at the end of the body.
  void refill() {
    if (fd_ < 0 || pos_ < pending_.size() || eof_) return;
    pending_.resize(kChunk);
    pos_ = 0;
    long n = source_(pending_.data(), pending_.size());
    if (n <= 0) {
      pending_.clear();
      eof_ = true;
      if (n < 0) result_.input_broken = true;
      close_fd(fd_);
      return;
    }
    pending_.resize(static_cast<size_t>(n));
  }

  bool wants_write() const { return fd_ >= 0 && pos_ < pending_.size(); }

  void on_writable() {
    ssize_t n = ::write(fd_, pending_.data() + pos_, pending_.size() - pos_);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      // The child stopped reading (it failed or needs no more); drop the rest.
      close_fd(fd_);
      return;
    }
    pos_ += static_cast<size_t>(n);
    if (pos_ == pending_.size() && eof_) close_fd(fd_);
  }

 private:
  std::string pending_;
  size_t pos_ = 0;
  const BodySource& source_;
  int& fd_;
  CgiResult& result_;
  bool eof_ = false;
};

// Reads what is available from `fd`; closes it at EOF. False when the sink failed.
bool drain(int& fd, const std::function<bool(const char*, size_t)>& sink) {
  char buffer[kChunk];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      if (!sink(buffer, static_cast<size_t>(n))) return false;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    close_fd(fd);
    return true;
  }
}

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::optional<CgiHeaders> parse_cgi_headers(std::string_view data) {
  CgiHeaders head;
  size_t pos = 0;
  while (true) {
    size_t eol = data.find('\n', pos);
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view line = data.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return CgiHeaders{502, {}, 0};
    }
    std::string name(common::trim(line.substr(0, colon)));
    std::string value(common::trim(line.substr(colon + 1)));
    if (common::iequals(name, "status")) {
      // "Status: 404 Not Found"
      int code = std::atoi(value.c_str());
      if (code < 100 || code > 599) return CgiHeaders{502, {}, 0};
      head.status = code;
      continue;
    }
    head.headers.emplace_back(std::move(name), std::move(value));
  }
  head.length = pos;
  return head;
}

common::Result<CgiResult> run_cgi(const CgiRequest& request) {
  Pipes pipes;
  auto pid = spawn(request, pipes);
  if (!pid.ok()) return common::fail(pid.error());
  CgiResult result;
  int& in = pipes.in[1];
  int& out = pipes.out[0];
  int& err = pipes.err[0];
  set_nonblocking(in);
  set_nonblocking(out);
  set_nonblocking(err);
  InputPump pump(request, in, result);
  OutputSink sink(request, result);
  bool sink_ok = true;
  auto to_sink = [&](const char* data, size_t size) { return sink.add(data, size); };
  auto to_err = [&](const char* data, size_t size) {
    if (result.err.size() < kMaxErr) result.err.append(data, std::min(size, kMaxErr - result.err.size()));
    return true;
  };
  while (out >= 0 || err >= 0) {
    pump.refill();
    pollfd fds[3];
    nfds_t count = 0;
    int in_slot = -1, out_slot = -1, err_slot = -1;
    if (pump.wants_write()) {
      in_slot = static_cast<int>(count);
      fds[count++] = pollfd{in, POLLOUT, 0};
    }
    if (out >= 0) {
      out_slot = static_cast<int>(count);
      fds[count++] = pollfd{out, POLLIN, 0};
    }
    if (err >= 0) {
      err_slot = static_cast<int>(count);
      fds[count++] = pollfd{err, POLLIN, 0};
    }
    if (::poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (in_slot >= 0 && fds[in_slot].revents != 0) pump.on_writable();
    if (out_slot >= 0 && fds[out_slot].revents != 0 && !drain(out, to_sink)) {
      sink_ok = false;
      break;
    }
    if (err_slot >= 0 && fds[err_slot].revents != 0) drain(err, to_err);
  }
  close_fd(in);
  close_fd(out);
  close_fd(err);
  if (!sink_ok) ::kill(*pid, SIGKILL);
  result.exit_code = wait_child(*pid);
  if (!sink_ok) {
    int saved = errno;
    if (result.body_fd >= 0) ::close(result.body_fd);
    errno = saved;
    return common::fail(io_error("cannot write the response body to " + request.spill_dir));
  }
  return result;
}

}  // namespace git
