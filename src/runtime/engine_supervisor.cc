#include "runtime/engine_supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "runtime/docker_client.h"

extern char** environ;

namespace runtime {
namespace {

using common::ErrorKind;
using common::make_error;
using Clock = std::chrono::steady_clock;

constexpr Millis kMaxBackoff{10'000};
// A service that ran this long before dying is restarted after the first backoff again.
constexpr Millis kStableRun{10'000};

Millis since(Clock::time_point start) { return std::chrono::duration_cast<Millis>(Clock::now() - start); }

// Whether `pid` exited (a zombie we have not reaped), without reaping it.
bool exited(pid_t pid, bool block) {
  siginfo_t info{};
  int flags = WEXITED | WNOWAIT | (block ? 0 : WNOHANG);
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, flags) != 0) {
    if (errno != EINTR) return true;  // ECHILD: nothing left to wait for
  }
  return info.si_pid == pid;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Whether process `pid` is a `podman ... system service ... <socket>`.
bool is_service_for(pid_t pid, const std::string& socket) {
  std::string cmdline = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  return cmdline.find(std::string("system\0service", 14)) != std::string::npos &&
         cmdline.find(socket) != std::string::npos;
}

std::vector<std::string> service_environment(const SupervisorOptions& options, const std::string& registries_conf) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos) env[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  // podman as a remote client would talk to another service instead of serving.
  env.erase("CONTAINER_HOST");
  env.erase("CONTAINER_CONNECTION");
  env["CONTAINERS_REGISTRIES_CONF"] = registries_conf;
  for (const auto& [key, value] : options.env) env[key] = value;
  std::vector<std::string> out;
  for (const auto& [key, value] : env) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

EngineSupervisor::EngineSupervisor(SupervisorOptions options)
    : options_(std::move(options)),
      socket_path_(options_.data_dir + "/podman.sock"),
      registries_conf_path_(options_.data_dir + "/registries.conf"),
      pid_path_(options_.data_dir + "/podman.pid"),
      log_path_(options_.data_dir + "/podman-service.log") {}

EngineSupervisor::~EngineSupervisor() { stop(); }

pid_t EngineSupervisor::pid() const {
  std::lock_guard lock(mutex_);
  return pid_;
}

Millis EngineSupervisor::ready_latency() const {
  std::lock_guard lock(mutex_);
  return ready_latency_;
}

int EngineSupervisor::restarts() const {
  std::lock_guard lock(mutex_);
  return restarts_;
}

std::string EngineSupervisor::log_tail() const {
  std::string text = read_file(log_path_);
  if (text.size() > 2000) text = "..." + text.substr(text.size() - 2000);
  return text.empty() ? "(its log " + log_path_ + " is empty)" : "its log ends:\n" + text;
}

common::Status<> EngineSupervisor::prepare() {
  std::error_code ec;
  std::filesystem::create_directories(options_.data_dir, ec);
  if (ec)
    return common::fail(make_error(ErrorKind::Internal, "cannot create " + options_.data_dir + ": " + ec.message()));
  if (socket_path_.size() >= 108) {
    return common::fail(make_error(ErrorKind::InvalidArgument,
                                   "the container engine socket " + socket_path_ +
                                       " is longer than a unix socket path may be (107 bytes): use a shorter data "
                                       "directory or give hakobu an engine socket"));
  }
  podman_path_ = find_executable(options_.podman);
  if (podman_path_.empty()) {
    return common::fail(
        make_error(ErrorKind::FailedPrecondition, "podman ('" + options_.podman +
                                                      "') not found: install it (scripts/install-deps.sh) "
                                                      "or give hakobu a container engine socket"));
  }
  auto written = write_file_atomically(registries_conf_path_, render_registries_conf(options_.registries));
  if (!written) return written;
  stop_leftover();
  ::unlink(socket_path_.c_str());
  return common::ok();
}

void EngineSupervisor::stop_leftover() {
  pid_t old = static_cast<pid_t>(std::atoi(read_file(pid_path_).c_str()));
  if (old <= 1 || !is_service_for(old, socket_path_)) return;
  common::log::warn("container engine: stopping the podman service (pid {}) a previous run left", old);
  ::kill(old, SIGTERM);
  auto start = Clock::now();
  while (::kill(old, 0) == 0 && is_service_for(old, socket_path_)) {
    if (since(start) > options_.stop_timeout) {
      ::kill(old, SIGKILL);
      start = Clock::now() + std::chrono::hours(1);  // do not send KILL twice
    }
    ::usleep(20'000);
  }
}

common::Result<pid_t> EngineSupervisor::spawn() {
  std::vector<std::string> args = {podman_path_};
  args.insert(args.end(), options_.podman_args.begin(), options_.podman_args.end());
  for (const char* a : {"system", "service", "--time=0"}) args.emplace_back(a);
  args.push_back("unix://" + socket_path_);
  std::vector<std::string> env = service_environment(options_, registries_conf_path_);
  std::vector<char*> argv = pointers(args);
  std::vector<char*> envp = pointers(env);
  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return common::fail(make_error(ErrorKind::Internal, "cannot open " + log_path_ + ": " + std::strerror(errno)));
  }
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  if (child == 0) {
    // Only async-signal-safe calls until exec.
    ::setsid();  // a ^C to hakobu's terminal is hakobu's to handle; it stops the service itself
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::syscall(SYS_close_range, 3U, ~0U, 0U);  // no listening socket of ours may outlive us
    ::execve(argv[0], argv.data(), envp.data());
    static const char kExecFailed[] = "hakobu: cannot execute podman\n";
    (void)!::write(2, kExecFailed, sizeof kExecFailed - 1);
    ::_exit(127);
  }
  int err = errno;
  ::close(log_fd);
  if (child < 0) return common::fail(make_error(ErrorKind::Internal, std::string("fork: ") + std::strerror(err)));
  auto recorded = write_file_atomically(pid_path_, std::to_string(child) + "\n");
  if (!recorded) common::log::warn("container engine: {}", recorded.error().message);
  return child;
}

common::Status<> EngineSupervisor::wait_ping(pid_t pid, Millis timeout) {
  DockerClient client(socket_path_);
  auto start = Clock::now();
  while (since(start) < timeout) {
    if (exited(pid, /*block=*/false)) {
      return common::fail(make_error(ErrorKind::Unavailable, "the podman service exited at start; " + log_tail()));
    }
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return common::fail(make_error(ErrorKind::Unavailable, "stopping"));
    }
    if (::access(socket_path_.c_str(), F_OK) == 0 && client.ping(with_timeout(Millis(1000)))) return common::ok();
    ::usleep(10'000);
  }
  return common::fail(make_error(ErrorKind::Unavailable, "the podman service did not answer /_ping within " +
                                                             std::to_string(timeout.count()) + " ms; " + log_tail()));
}

pid_t EngineSupervisor::spawn_next(bool first) {
  std::lock_guard lock(mutex_);
  if (stopping_) return 0;
  auto spawned = spawn();
  if (!spawned) {
    spawn_failed_ = true;
    spawn_error_ = spawned.error().message;
    common::log::error("container engine: {}", spawn_error_);
    return 0;
  }
  pid_ = *spawned;
  ready_ok_ = false;
  if (!first) ++restarts_;
  return pid_;
}

bool EngineSupervisor::await_ready(pid_t child) {
  auto started = Clock::now();
  auto ready = wait_ping(child, options_.ready_timeout);
  Millis latency = since(started);
  {
    std::lock_guard lock(mutex_);
    ready_latency_ = latency;
    ready_ok_ = static_cast<bool>(ready);
    if (!ready) ready_error_ = ready.error().message;
    ++ready_outcomes_;
    // One that did not come up is not left half-started (unless stop() is ending it gently).
    if (!ready && !stopping_ && !exited(child, false)) ::kill(child, SIGKILL);
  }
  changed_.notify_all();
  if (ready) {
    common::log::info("container engine: podman service (pid {}) on {} answered /_ping after {} ms", child,
                      socket_path_, latency.count());
  }
  return static_cast<bool>(ready);
}

int EngineSupervisor::reap(pid_t child) {
  exited(child, /*block=*/true);
  int status = 0;
  {
    std::lock_guard lock(mutex_);
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = 0;
    ::unlink(pid_path_.c_str());
  }
  changed_.notify_all();
  return status;
}

void EngineSupervisor::watch() {
  Millis backoff = options_.restart_backoff;
  for (bool first = true;; first = false) {
    pid_t child = spawn_next(first);
    changed_.notify_all();
    auto started = Clock::now();
    if (child == 0 && first) break;  // start() reports it
    if (child != 0) {
      bool ready = await_ready(child);
      int status = reap(child);
      std::lock_guard lock(mutex_);
      if (stopping_ || (first && !ready)) break;
      common::log::warn("container engine: the podman service (pid {}) {}; starting it again in {} ms", child,
                        describe_status(status), backoff.count());
    }
    std::unique_lock lock(mutex_);
    if (stopping_) break;
    changed_.wait_for(lock, backoff, [&] { return stopping_; });
    // A service that ran a while gets the short delay again; one that keeps dying young waits longer.
    backoff = since(started) > kStableRun ? options_.restart_backoff : std::min(backoff * 2, kMaxBackoff);
  }
}

common::Status<> EngineSupervisor::start() {
  {
    std::lock_guard lock(mutex_);
    if (watcher_.joinable()) return common::fail(make_error(ErrorKind::FailedPrecondition, "already started"));
  }
  auto prepared = prepare();
  if (!prepared) return prepared;
  watcher_ = std::thread([this] { watch(); });
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return ready_outcomes_ > 0 || spawn_failed_; });
  if (ready_outcomes_ > 0 && ready_ok_) return common::ok();
  std::string error = spawn_failed_ ? spawn_error_ : ready_error_;
  lock.unlock();
  stop();
  return common::fail(make_error(ErrorKind::Unavailable, "cannot start the container engine: " + error));
}

common::Status<> EngineSupervisor::wait_ready(Millis timeout) {
  std::unique_lock lock(mutex_);
  int seen = ready_outcomes_;
  bool ok =
      changed_.wait_for(lock, timeout, [&] { return stopping_ || (pid_ != 0 && ready_ok_) || ready_outcomes_ > seen; });
  if (ok && !stopping_ && pid_ != 0 && ready_ok_) return common::ok();
  return common::fail(make_error(ErrorKind::Unavailable, "the container engine is not ready"));
}

void EngineSupervisor::stop() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  changed_.notify_all();
  if (pid_ != 0) {
    // pid_ is cleared only after the child is reaped, under this lock: it cannot be a reused pid.
    ::kill(pid_, SIGTERM);
    if (!changed_.wait_for(lock, options_.stop_timeout, [&] { return pid_ == 0; })) {
      common::log::warn("container engine: the podman service ignored SIGTERM for {} ms; killing it",
                        options_.stop_timeout.count());
      if (pid_ != 0) ::kill(pid_, SIGKILL);
      changed_.wait(lock, [&] { return pid_ == 0; });
    }
  }
  lock.unlock();
  if (watcher_.joinable() && watcher_.get_id() != std::this_thread::get_id()) watcher_.join();
}

}  // namespace runtime
