// EngineSupervisor: runs hakobu's own container engine when it is not given one: `podman system
// service --time=0 unix://<data_dir>/podman.sock`, with CONTAINERS_REGISTRIES_CONF pointing at a
// registries.conf it writes (its registry insecure, optional remaps), on the machine's default
// podman storage (so images users build with podman are visible to builds, and back).
//
// - The service is a child in its own session; its pid is kept in <data_dir>/podman.pid. It
//   gets SIGTERM if hakobu dies (PR_SET_PDEATHSIG), and a service left behind anyway (kill -9
//   racing a restart) is found through the pid file and stopped at the next start().
// - A watcher thread reaps it and starts it again if it dies (backoff 0.5 s doubling to 10 s
//   while it keeps dying young). Containers survive: conmon, not the service, is their parent;
//   calls in flight at the moment fail with Unavailable.
// - stop() sends SIGTERM, then SIGKILL after stop_timeout (podman takes ~1 s to shut down).
// Thread-safe.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "runtime/call.h"
#include "runtime/registries_conf.h"

namespace runtime {

struct SupervisorOptions {
  std::string data_dir;           // holds podman.sock, registries.conf, podman.pid, podman-service.log
  std::string podman = "podman";  // a path, or a name looked up in PATH
  RegistriesConf registries;
  // podman's global flags, before "system service". Empty: the machine's default storage.
  // Tests isolate storage with --root/--runroot/--tmpdir here.
  std::vector<std::string> podman_args;
  std::map<std::string, std::string> env;  // added to hakobu's environment for the service
  Millis ready_timeout{20'000};            // from spawning to the first answered /_ping
  Millis stop_timeout{10'000};             // SIGTERM -> SIGKILL
  Millis restart_backoff{500};             // first delay before a restart; doubles up to 10 s
};

class EngineSupervisor {
 public:
  explicit EngineSupervisor(SupervisorOptions options);
  ~EngineSupervisor();  // stop()
  EngineSupervisor(const EngineSupervisor&) = delete;
  EngineSupervisor& operator=(const EngineSupervisor&) = delete;

  // Writes registries.conf, stops a service a previous run left, starts the service and waits
  // until it answers /_ping; then watches it. Errors carry the end of the service's log.
  common::Status<> start();
  // Stops the service and the watcher; idempotent.
  void stop();
  // Until the service answers /_ping (after a restart, say), at most `timeout`.
  common::Status<> wait_ready(Millis timeout);

  const std::string& socket_path() const { return socket_path_; }
  std::string docker_host() const { return "unix://" + socket_path_; }
  const std::string& registries_conf_path() const { return registries_conf_path_; }
  // The running service's pid; 0 when none.
  pid_t pid() const;
  // How long the last (re)start took from spawning to the first answered /_ping.
  Millis ready_latency() const;
  // How many times the service was started again after dying.
  int restarts() const;

 private:
  common::Status<> prepare();
  void stop_leftover();
  common::Result<pid_t> spawn();
  void watch();
  // Starts the service (again); its pid, or 0 when stopping or it could not be started.
  pid_t spawn_next(bool first);
  // Waits for its first /_ping; records and announces the outcome.
  bool await_ready(pid_t child);
  // Waits for it to exit and reaps it; its wait status.
  int reap(pid_t child);
  common::Status<> wait_ping(pid_t pid, Millis timeout);
  std::string log_tail() const;

  SupervisorOptions options_;
  std::string socket_path_;
  std::string registries_conf_path_;
  std::string pid_path_;
  std::string log_path_;
  std::string podman_path_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::thread watcher_;
  pid_t pid_ = 0;
  bool stopping_ = false;
  bool spawn_failed_ = false;  // the first spawn failed (fork, log file)
  std::string spawn_error_;
  int ready_outcomes_ = 0;  // (re)starts whose readiness is known
  bool ready_ok_ = false;   // the current service answered /_ping
  std::string ready_error_;
  int restarts_ = 0;
  Millis ready_latency_{0};
};

// The executable `name` resolves to (a path with '/' as is, else searched in PATH); "" if none.
std::string find_executable(const std::string& name);

}  // namespace runtime
