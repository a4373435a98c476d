// The CGI runner: one poll loop moving the request body into the program's stdin while its
// header block (and any early body bytes) is read, then reads of its stdout as the caller sends
// them on, stderr kept in a bounded string throughout.
#include "git/cgi.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/signals.h"
#include "common/strings.h"

namespace git {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxErr = 64 * 1024;
constexpr size_t kMaxHeaderBlock = 64 * 1024;

common::Error io_error(const std::string& what) {
  return common::make_error(common::ErrorKind::Internal, what + ": " + std::strerror(errno));
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

struct Pipes {
  int in[2] = {-1, -1};
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  ~Pipes() {
    for (int* p : {in, out, err}) {
      for (int i : {0, 1}) {
        if (p[i] >= 0) ::close(p[i]);
      }
    }
  }
  // Hands one of our ends to the caller.
  static int take(int& fd) { return std::exchange(fd, -1); }
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
  // The child's ends: only the child may hold them, or its exit would not end our reads.
  for (int* fd : {&pipes.in[0], &pipes.out[1], &pipes.err[1]}) {
    ::close(*fd);
    *fd = -1;
  }
  return pid;
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

common::Result<std::unique_ptr<CgiProcess>> CgiProcess::start(const CgiRequest& request) {
  Pipes pipes;
  auto pid = spawn(request, pipes);
  if (!pid.ok()) return common::fail(pid.error());
  int in = Pipes::take(pipes.in[1]), out = Pipes::take(pipes.out[0]), err = Pipes::take(pipes.err[0]);
  for (int fd : {in, out, err}) set_nonblocking(fd);
  if (request.pipe_size > 0) {
    // Best effort (capped by /proc/sys/fs/pipe-max-size): room for the program to run ahead.
    for (int fd : {in, out}) ::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(request.pipe_size));
  }
  std::unique_ptr<CgiProcess> process(new CgiProcess(request, *pid, in, out, err));
  process->run_until_headers();
  return process;
}

CgiProcess::CgiProcess(const CgiRequest& request, pid_t pid, int in, int out, int err)
    : source_(request.body),
      max_early_output_(request.max_early_output),
      pid_(pid),
      in_(in),
      out_(out),
      err_(err),
      deadline_(request.timeout.count() > 0 ? Clock::now() + request.timeout : Clock::time_point::max()),
      inactivity_(request.inactivity_timeout),
      last_activity_(Clock::now()),
      input_(request.body_prefix) {
  input_eof_ = !source_;
  if (input_.empty() && input_eof_) close_fd(in_);
}

CgiProcess::~CgiProcess() { finish(); }

void CgiProcess::close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void CgiProcess::kill_now() {
  if (!finished_ && !killed_) {
    ::kill(pid_, SIGKILL);  // this pid only: its children see EOF or SIGPIPE on the pipes we close
    killed_ = true;
  }
  close_fd(in_);
  close_fd(out_);
  close_fd(err_);
}

// Waits for the client between the program's turns: reading the body is not the program's
// silence, so the inactivity clock restarts after each read.
void CgiProcess::refill_input() {
  if (in_ < 0 || input_pos_ < input_.size()) return;
  if (input_eof_) {
    close_fd(in_);
    return;
  }
  input_.resize(kChunk);
  input_pos_ = 0;
  long n = source_(input_.data(), input_.size());
  last_activity_ = Clock::now();
  if (n <= 0) {
    input_.clear();
    input_eof_ = true;
    if (n < 0) input_broken_ = true;
    close_fd(in_);
    return;
  }
  input_.resize(static_cast<size_t>(n));
}

void CgiProcess::write_input() {
  common::SigpipeBlock no_sigpipe;  // the program may exit before reading all its input
  ssize_t n = ::write(in_, input_.data() + input_pos_, input_.size() - input_pos_);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return;
    // The program stopped reading (it failed or needs no more); drop the rest.
    close_fd(in_);
    return;
  }
  last_activity_ = Clock::now();
  input_pos_ += static_cast<size_t>(n);
  if (input_pos_ == input_.size() && input_eof_) close_fd(in_);
}

void CgiProcess::take_err() {
  char buffer[4096];
  ssize_t n = ::read(err_, buffer, sizeof buffer);
  if (n > 0) {
    last_activity_ = Clock::now();
    if (err_text_.size() < kMaxErr)
      err_text_.append(buffer, std::min(static_cast<size_t>(n), kMaxErr - err_text_.size()));
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  close_fd(err_);
}

void CgiProcess::take_output() {
  char buffer[kChunk];
  ssize_t n = ::read(out_, buffer, sizeof buffer);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) {
    output_ended_ = n == 0;
    read_failed_ = n < 0;
    close_fd(out_);
    return;
  }
  last_activity_ = Clock::now();
  if (headers_done_) {
    early_.append(buffer, static_cast<size_t>(n));
    return;
  }
  header_block_.append(buffer, static_cast<size_t>(n));
  std::optional<CgiHeaders> parsed = parse_cgi_headers(header_block_);
  if (!parsed) {
    if (header_block_.size() > kMaxHeaderBlock) headers_done_ = true;  // garbage: headers_ok_ stays false
    return;
  }
  headers_done_ = true;
  headers_ok_ = parsed->status != 502 || parsed->length > 0;
  early_ = header_block_.substr(parsed->length);
  head_ = std::move(*parsed);
  std::string().swap(header_block_);
}

int CgiProcess::poll_timeout_ms() const {
  Clock::time_point until = deadline_;
  if (inactivity_.count() > 0) until = std::min(until, last_activity_ + inactivity_);
  if (until == Clock::time_point::max()) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
  // Rounded up, so that a wake-up never comes just before the limit.
  return static_cast<int>(std::clamp<int64_t>(left + 1, 0, 24 * 3600 * 1000));
}

bool CgiProcess::over_limit() const {
  Clock::time_point now = Clock::now();
  return now >= deadline_ || (inactivity_.count() > 0 && now - last_activity_ >= inactivity_);
}

CgiProcess::Wait CgiProcess::poll_once(bool want_output) {
  if (over_limit()) return Wait::TimedOut;
  pollfd fds[3];
  nfds_t count = 0;
  int in_slot = -1, out_slot = -1, err_slot = -1;
  out_ready_ = false;
  if (in_ >= 0 && input_pos_ < input_.size()) {
    in_slot = static_cast<int>(count);
    fds[count++] = pollfd{in_, POLLOUT, 0};
  }
  if (want_output && out_ >= 0) {
    out_slot = static_cast<int>(count);
    fds[count++] = pollfd{out_, POLLIN, 0};
  }
  if (err_ >= 0) {
    err_slot = static_cast<int>(count);
    fds[count++] = pollfd{err_, POLLIN, 0};
  }
  if (count == 0) return Wait::Failed;  // nothing left to wait for
  int n = ::poll(fds, count, poll_timeout_ms());
  if (n < 0) return errno == EINTR ? Wait::Ready : Wait::Failed;
  if (n == 0) return over_limit() ? Wait::TimedOut : Wait::Ready;
  out_ready_ = out_slot >= 0 && fds[out_slot].revents != 0;
  if (in_slot >= 0 && fds[in_slot].revents != 0) write_input();
  if (err_slot >= 0 && fds[err_slot].revents != 0) take_err();
  return Wait::Ready;
}

void CgiProcess::run_until_headers() {
  while (out_ >= 0) {
    refill_input();
    if (headers_done_ && (in_ < 0 || !headers_ok_)) return;
    bool want_output = !headers_done_ || early_.size() < max_early_output_;
    Wait wait = poll_once(want_output);
    if (wait != Wait::Ready) {
      timed_out_ = wait == Wait::TimedOut;
      kill_now();
      return;
    }
    if (out_ready_ && out_ >= 0) take_output();
  }
  close_fd(in_);  // stdout ended: the program needs no more input
}

long CgiProcess::read(char* buffer, size_t size) {
  if (early_pos_ < early_.size()) {
    size_t n = std::min(size, early_.size() - early_pos_);
    std::memcpy(buffer, early_.data() + early_pos_, n);
    early_pos_ += n;
    if (early_pos_ == early_.size()) {
      std::string().swap(early_);
      early_pos_ = 0;
    }
    return static_cast<long>(n);
  }
  // The time the caller spent sending the last bytes on was not the program's silence.
  last_activity_ = Clock::now();
  while (out_ >= 0) {
    if (over_limit()) {
      timed_out_ = true;
      kill_now();
      return -1;
    }
    ssize_t n = ::read(out_, buffer, size);
    if (n > 0) {
      last_activity_ = Clock::now();
      return static_cast<long>(n);
    }
    if (n == 0) {
      output_ended_ = true;
      close_fd(out_);
      return 0;
    }
    if (errno == EINTR) continue;
    Wait wait = errno == EAGAIN ? poll_once(true) : Wait::Failed;
    if (wait == Wait::Ready) continue;
    timed_out_ = wait == Wait::TimedOut;
    read_failed_ = wait == Wait::Failed;
    kill_now();
    return -1;
  }
  return output_ended_ && !read_failed_ ? 0 : -1;
}

bool CgiProcess::read_small(std::string& out, size_t limit) {
  while (out.size() < limit) {
    size_t have = out.size();
    out.resize(limit);
    long n = read(out.data() + have, limit - have);
    out.resize(have + static_cast<size_t>(std::max(n, 0L)));
    if (n == 0) return true;
    if (n < 0) return false;
  }
  return false;
}

int CgiProcess::finish(bool abandon) {
  if (finished_) return exit_code_;
  close_fd(in_);
  if (abandon || !output_ended_ || read_failed_ || timed_out_) {
    kill_now();
  } else {
    // The rest of stderr, within the limits: a program that ended its body normally exits soon.
    last_activity_ = Clock::now();
    while (err_ >= 0) {
      Wait wait = poll_once(false);
      if (wait == Wait::Ready) continue;
      timed_out_ = wait == Wait::TimedOut;
      kill_now();
    }
  }
  close_fd(out_);
  close_fd(err_);
  exit_code_ = wait_child(pid_);
  finished_ = true;
  return exit_code_;
}

common::Result<CgiResult> run_cgi(const CgiRequest& request) {
  auto started = CgiProcess::start(request);
  if (!started.ok()) return common::fail(started.error());
  CgiProcess& process = **started;
  CgiResult result;
  result.headers_ok = process.headers_ok();
  if (result.headers_ok) {
    char buffer[kChunk];
    long n;
    while ((n = process.read(buffer, sizeof buffer)) > 0) result.body.append(buffer, static_cast<size_t>(n));
  }
  result.exit_code = process.finish();
  result.head = process.head();
  result.err = process.err();
  result.input_broken = process.input_broken();
  result.timed_out = process.timed_out();
  return result;
}

}  // namespace git
