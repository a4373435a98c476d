// git::run: posix_spawn with three pipes; stdin is written while stdout and stderr are read
// (one poll() loop), so a child that fills an output pipe before it has read all its input
// cannot deadlock against us.
#include "git/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/signals.h"

namespace git {
namespace {

// Closes what it holds on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

struct Pipe {
  Fd read;
  Fd write;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read.fd = fds[0];
    write.fd = fds[1];
    return true;
  }
};

common::Error spawn_error(const std::string& what, int err) {
  return common::make_error(common::ErrorKind::Internal, "git: " + what + ": " + std::strerror(err));
}

std::vector<std::string> environment(const RunOptions& options) {
  const char* path = std::getenv("PATH");
  std::map<std::string, std::string> env = {
      {"PATH", path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", "/nonexistent"},
      {"GIT_CONFIG_NOSYSTEM", "1"},
      {"GIT_TERMINAL_PROMPT", "0"},
      {"LC_ALL", "C"},
  };
  if (!options.git_dir.empty()) env["GIT_DIR"] = options.git_dir;
  for (const auto& [key, value] : options.env) env[key] = value;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [key, value] : env) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Feeds `input` to `in` and drains `out`/`err` until both reach end of file.
void pump(Fd& in, Fd& out, Fd& err, const std::string& input, RunResult& result) {
  common::SigpipeBlock no_sigpipe;
  size_t written = 0;
  if (input.empty()) in.reset();
  if (in.fd >= 0) ::fcntl(in.fd, F_SETFL, ::fcntl(in.fd, F_GETFL) | O_NONBLOCK);
  std::array<char, 65536> buffer;
  while (out.fd >= 0 || err.fd >= 0) {
    std::array<pollfd, 3> fds{};
    nfds_t n = 0;
    auto watch = [&](int fd, short events) {
      if (fd >= 0) fds[n++] = pollfd{fd, events, 0};
    };
    watch(in.fd, POLLOUT);
    watch(out.fd, POLLIN);
    watch(err.fd, POLLIN);
    if (::poll(fds.data(), n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.fd) {
        ssize_t w = ::write(in.fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        // EPIPE: the child stopped reading; what it says about that is on stderr.
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in.reset();
        continue;
      }
      Fd& source = fds[i].fd == out.fd ? out : err;
      std::string& sink = fds[i].fd == out.fd ? result.out : result.err;
      ssize_t r = ::read(source.fd, buffer.data(), buffer.size());
      if (r > 0) {
        sink.append(buffer.data(), static_cast<size_t>(r));
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        source.reset();
      }
    }
  }
  in.reset();
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

common::Result<RunResult> run(const std::vector<std::string>& args, const RunOptions& options) {
  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) return common::fail(spawn_error("pipe", errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write.fd, 2);
  if (!options.work_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.work_dir.c_str());
  // The child starts with default SIGPIPE handling even if the server ignores it.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> argv_strings{"git"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = environment(options);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);

  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, "git", &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) return common::fail(spawn_error("cannot start git", rc));

  // Our copies of the child's ends: the output pipes reach end of file when the child exits.
  in.read.reset();
  out.write.reset();
  err.write.reset();
  RunResult result;
  pump(in.write, out.read, err.read, options.input, result);
  result.exit_code = wait_exit(pid);
  return result;
}

}  // namespace git
