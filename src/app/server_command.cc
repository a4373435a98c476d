#include "app/server_command.h"

#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include "app/codebuild_host.h"
#include "app/config.h"
#include "app/front_door.h"
#include "aws/dispatch/dispatcher.h"
#include "common/log.h"
#include "events/bus.h"
#include "gen/models.h"
#include "http/server.h"
#include "services/codebuild/api/register.h"
#include "services/codebuild/engine/codebuild_engine.h"
#include "services/codebuild/runner/container_runner.h"
#include "services/codecommit/api/register.h"
#include "services/codecommit/engine/engines.h"
#include "services/codecommit/gitfront/git_front.h"
#include "services/ecr/api/register.h"
#include "services/ecr/engine/auth_token.h"
#include "services/ecr/engine/ecr_engine.h"
#include "services/ecr/registry/registry.h"
#include "services/iam/api/register.h"
#include "services/iam/engine/authorizer.h"
#include "services/iam/engine/iam_engine.h"
#include "services/logs/api/register.h"
#include "services/logs/engine/logs_engine.h"
#include "services/logs/engine/retention_sweeper.h"
#include "services/s3/api/register.h"
#include "services/s3/engine/s3_engine.h"
#include "services/ssm/api/register.h"
#include "services/ssm/engine/ssm_engine.h"
#include "services/sts/api/register.h"
#include "store/blob_store.h"
#include "store/db.h"

namespace app {
namespace {

constexpr const char* kUsage = R"(hakobu — AWS's delivery-pipeline services on one machine

Usage:
  hakobu server [--port PORT] [--host ADDR] [--data-dir DIR] [--config FILE]
                [--region REGION] [--registry-host HOST] [--clock-control]
                [--container-socket PATH] [--log-level LEVEL] [--no-access-log]
  hakobu --help | --version

Server flags:
  --port PORT       TCP port to listen on (default 4566; 0 picks a free port, printed
                    in the ready line)
  --host ADDR       address to bind (default 127.0.0.1)
  --data-dir DIR    where state lives: hakobu.db (SQLite, WAL) and blobs/ (default
                    ./hakobu-data); created if missing
  --config FILE     YAML file listing accounts and their root access keys:
                      accounts:
                        - id: "000000000000"
                          name: dev
                          access_keys: [{id: test, secret: test}]
                    without it, one account 000000000000 with key test/test exists
  --region REGION   default region when a request does not name one (us-east-1)
  --registry-host HOST
                    host[:port] in ECR repository URIs and login endpoints (default: the
                    Host the API request came to, e.g. localhost:4566); repository URIs
                    are HOST/<account>/<name>
  --clock-control   allow POST /_hakobu/clock {"advance_seconds": N} to move the engines'
                    clock forward (image ages, token expiry), for tests
  --container-socket PATH
                    the Docker Engine API socket builds run on (default: DOCKER_HOST, else
                    hakobu starts its own podman service at DIR/podman.sock with the first
                    build)
  --log-level LEVEL debug | info | warn | error (default info)
  --no-access-log   do not write one line per request

Endpoints besides the AWS APIs:
  GET  /_hakobu/health   200 with the running services, for scripts to wait on
  POST /_hakobu/reset    wipe all state (also POST /moto-api/reset, as moto_server)
  GET  /_hakobu/events   the internal event bus: ?source=aws.ecr&after=SEQ&wait=SECONDS
  /v2/                   the OCI registry of ECR (podman, skopeo, docker)

Once listening, hakobu logs one line starting "hakobu ready on http://HOST:PORT".
)";

struct Flags {
  std::string host = "127.0.0.1";
  int port = 4566;
  std::string data_dir = "hakobu-data";
  std::string config_path;
  std::string region;
  std::string log_level = "info";
  std::string registry_host;
  std::string container_socket;
  bool access_log = true;
  bool clock_control = false;
};

// Runs every repository's lifecycle policy once a minute (AWS: within 24 hours).
class LifecycleSweeper {
 public:
  explicit LifecycleSweeper(ecr::EcrEngine& engine) : engine_(engine), thread_([this] { run(); }) {}
  ~LifecycleSweeper() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::seconds(60), [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      engine_.apply_all_lifecycles();
      lock.lock();
    }
  }
  ecr::EcrEngine& engine_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// Turns SIGTERM and SIGINT into a call of `on_stop` on a thread of its own (a handler may only
// write to a pipe). Handlers, unlike a blocked signal mask, are not inherited by the processes
// hakobu starts (git, podman). A second signal, or one before the watcher runs, ends the process.
class StopSignals {
 public:
  explicit StopSignals(std::function<void()> on_stop) {
    if (::pipe2(fds_, O_CLOEXEC) != 0) return;
    write_fd_.store(fds_[1]);
    struct sigaction action {};
    action.sa_handler = &StopSignals::handle;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    watcher_ = std::thread([this, on_stop = std::move(on_stop)] {
      char byte = 0;
      if (::read(fds_[0], &byte, 1) == 1 && byte == 's') on_stop();
    });
  }
  ~StopSignals() {
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    write_fd_.store(-1);
    if (watcher_.joinable()) {
      char byte = 'q';
      (void)!::write(fds_[1], &byte, 1);
      watcher_.join();
    }
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  static void handle(int signo) {
    int fd = write_fd_.load();
    if (fd < 0 || stopping_.exchange(true)) {
      ::signal(signo, SIG_DFL);
      ::raise(signo);
      return;
    }
    char byte = 's';
    (void)!::write(fd, &byte, 1);
  }
  static inline std::atomic<int> write_fd_{-1};
  static inline std::atomic<bool> stopping_{false};
  int fds_[2] = {-1, -1};
  std::thread watcher_;
};

int usage_error(const std::string& message) {
  std::cerr << "hakobu: " << message << "\nRun 'hakobu --help' for usage.\n";
  return 2;
}

}  // namespace

int run_main(int argc, char** argv) {
  auto started = std::chrono::steady_clock::now();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "hakobu 0.1.0\n";
    return 0;
  }
  if (args[0] != "server") return usage_error("unknown command '" + args[0] + "'");

  Flags flags;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) -> bool {
      size_t eq = a.find('=');
      if (eq != std::string::npos) {
        out = a.substr(eq + 1);
        return true;
      }
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    auto is = [&](const char* name) { return a == name || a.rfind(std::string(name) + "=", 0) == 0; };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (is("--port")) {
      if (!value(v)) return usage_error("--port needs a value");
      char* end = nullptr;
      long p = std::strtol(v.c_str(), &end, 10);
      if (end == v.c_str() || *end != '\0' || p < 0 || p > 65535) return usage_error("invalid --port '" + v + "'");
      flags.port = static_cast<int>(p);
    } else if (is("--host")) {
      if (!value(flags.host)) return usage_error("--host needs a value");
    } else if (is("--data-dir")) {
      if (!value(flags.data_dir)) return usage_error("--data-dir needs a value");
    } else if (is("--config")) {
      if (!value(flags.config_path)) return usage_error("--config needs a value");
    } else if (is("--region")) {
      if (!value(flags.region)) return usage_error("--region needs a value");
    } else if (is("--log-level")) {
      if (!value(flags.log_level)) return usage_error("--log-level needs a value");
    } else if (is("--registry-host")) {
      if (!value(flags.registry_host)) return usage_error("--registry-host needs a value");
    } else if (is("--container-socket")) {
      if (!value(flags.container_socket)) return usage_error("--container-socket needs a value");
    } else if (a == "--clock-control") {
      flags.clock_control = true;
    } else if (a == "--no-access-log") {
      flags.access_log = false;
    } else {
      return usage_error("unknown flag '" + a + "'");
    }
  }
  using common::log::Level;
  if (flags.log_level == "debug") {
    common::log::set_level(Level::Debug);
  } else if (flags.log_level == "info") {
    common::log::set_level(Level::Info);
  } else if (flags.log_level == "warn") {
    common::log::set_level(Level::Warn);
  } else if (flags.log_level == "error") {
    common::log::set_level(Level::Error);
  } else {
    return usage_error("invalid --log-level '" + flags.log_level + "'");
  }

  Config config = default_config();
  if (!flags.config_path.empty()) {
    auto loaded = load_config(flags.config_path);
    if (!loaded.ok()) {
      std::cerr << "hakobu: " << loaded.error().message << "\n";
      return 1;
    }
    config = std::move(*loaded);
  }
  if (!flags.region.empty()) config.region = flags.region;

  std::error_code ec;
  std::filesystem::create_directories(flags.data_dir, ec);
  if (ec) {
    std::cerr << "hakobu: cannot create data dir " << flags.data_dir << ": " << ec.message() << "\n";
    return 1;
  }
  auto db = store::Db::open((std::filesystem::path(flags.data_dir) / "hakobu.db").string());
  if (!db.ok()) {
    std::cerr << "hakobu: " << db.error().message << "\n";
    return 1;
  }

  // S3, ECR and CodeCommit keep their content here (content-addressed, fsynced, renamed).
  auto blobs = store::BlobStore::open((std::filesystem::path(flags.data_dir) / "blobs").string());
  if (!blobs.ok()) {
    std::cerr << "hakobu: " << blobs.error().message << "\n";
    return 1;
  }

  ::signal(SIGPIPE, SIG_IGN);
  // One malloc arena per connection thread would keep freed memory around after load.
  ::mallopt(M_ARENA_MAX, 2);
  common::SystemClock clock;
  // What engines call "now"; it moves only with --clock-control. SigV4 keeps the real clock.
  common::AdjustableClock engine_clock;
  iam::IamEngine iam_engine(**db, clock, config.accounts);
  ssm::SsmEngine ssm_engine(**db, clock);
  s3::S3Engine s3_engine(**db, clock, (std::filesystem::path(flags.data_dir) / "s3").string());
  if (auto r = iam_engine.migrate(); !r.ok()) {
    std::cerr << "hakobu: iam: " << r.error().message << "\n";
    return 1;
  }
  if (auto r = ssm_engine.migrate(); !r.ok()) {
    std::cerr << "hakobu: ssm: " << r.error().message << "\n";
    return 1;
  }
  if (auto r = s3_engine.migrate(); !r.ok()) {
    std::cerr << "hakobu: s3: " << r.error().message << "\n";
    return 1;
  }
  events::Bus bus(**db, engine_clock);
  if (auto r = bus.migrate(); !r.ok()) {
    std::cerr << "hakobu: events: " << r.error().message << "\n";
    return 1;
  }
  std::string ecr_dir = (std::filesystem::path(flags.data_dir) / "ecr").string();
  ecr::EcrEngine ecr_engine(**db, engine_clock, ecr_dir, bus);
  if (auto r = ecr_engine.migrate(); !r.ok()) {
    std::cerr << "hakobu: ecr: " << r.error().message << "\n";
    return 1;
  }
  codecommit::Engines codecommit_engines(**db, engine_clock,
                                         (std::filesystem::path(flags.data_dir) / "codecommit").string(), bus);
  if (auto r = codecommit_engines.migrate(); !r.ok()) {
    std::cerr << "hakobu: codecommit: " << r.error().message << "\n";
    return 1;
  }
  logs::LogsEngine logs_engine(**db, engine_clock);
  if (auto r = logs_engine.migrate(); !r.ok()) {
    std::cerr << "hakobu: logs: " << r.error().message << "\n";
    return 1;
  }
  codebuild::CodebuildEngine codebuild_engine(**db, engine_clock, bus);
  if (auto r = codebuild_engine.migrate(); !r.ok()) {
    std::cerr << "hakobu: codebuild: " << r.error().message << "\n";
    return 1;
  }
  auto tokens = ecr::TokenIssuer::open(ecr_dir + "/token.key");
  if (!tokens.ok()) {
    std::cerr << "hakobu: ecr: " << tokens.error().message << "\n";
    return 1;
  }

  dispatch::Registry registry;
  for (const model::ServiceModel* m : gen::all_models()) registry.service(*m);
  iam::register_api(registry, iam_engine);
  sts::register_api(registry, iam_engine);
  ssm::register_api(registry, ssm_engine);
  // Bucket policies may name only IAM users and roles that exist (in accounts hakobu serves).
  s3::register_api(registry, s3_engine, [&iam_engine, &config](const std::string& arn) {
    // arn:aws:iam::<account>:user/<path/>name | role/<path/>name
    std::string_view rest = std::string_view(arn).substr(13);
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return false;
    std::string account(rest.substr(0, colon));
    bool served = false;
    for (const auto& a : config.accounts) served = served || a.id == account;
    if (!served) return true;
    std::string_view resource = rest.substr(colon + 1);
    std::string name(resource.substr(resource.rfind('/') + 1));
    if (resource.rfind("user/", 0) == 0) return iam_engine.get_user(account, name).ok();
    return iam_engine.get_role(account, name).ok();
  });

  ecr::ApiOptions ecr_options;
  ecr_options.default_region = config.region;
  ecr_options.registry_host = flags.registry_host;
  ecr_options.clock = &engine_clock;
  ecr::register_api(registry, ecr_engine, *tokens, ecr_options);
  codecommit::ApiOptions codecommit_options;
  codecommit_options.default_region = config.region;
  codecommit::register_api(registry, codecommit_engines, codecommit_options);
  logs::register_api(registry, logs_engine);
  codebuild::register_api(registry, codebuild_engine);

  iam::IamAuthorizer authorizer(iam_engine);

  // Builds run in containers (services/codebuild/runner); the engine starts with the first build.
  CodebuildHostOptions host_options;
  host_options.data_dir = flags.data_dir;
  host_options.container_socket = flags.container_socket;
  for (const auto& a : config.accounts) host_options.accounts.push_back(a.id);
  host_options.default_region = config.region;
  CodebuildHost codebuild_host(std::move(host_options), iam_engine, authorizer, ssm_engine, s3_engine,
                               codecommit_engines.repositories, *tokens, engine_clock);
  codebuild::runner::RunnerOptions runner_options;
  runner_options.work_dir = (std::filesystem::path(flags.data_dir) / "codebuild" / "builds").string();
  runner_options.cache_dir = (std::filesystem::path(flags.data_dir) / "codebuild" / "cache").string();
  codebuild::runner::ContainerRunner build_runner(codebuild_engine, logs_engine, codebuild_host, engine_clock,
                                                  runner_options);
  codebuild_engine.set_runner(&build_runner);
  auto interrupted_builds = codebuild_engine.reconcile_after_restart();
  if (!interrupted_builds.ok()) {
    std::cerr << "hakobu: codebuild: " << interrupted_builds.error().message << "\n";
    return 1;
  }
  dispatch::DispatcherOptions options;
  options.default_region = config.region;
  options.access_log = flags.access_log;
  dispatch::Dispatcher dispatcher(registry, iam_engine, authorizer, clock, options);

  store::Db& database = **db;
  auto reset = [&](std::string& error) {
    auto r = database.reset_all();
    if (!r.ok()) {
      error = r.error().message;
      return false;
    }
    if (auto cleared = blobs->clear(); !cleared.ok()) {
      error = cleared.error().message;
      return false;
    }
    iam_engine.on_reset();
    ssm_engine.on_reset();
    s3_engine.on_reset();
    bus.on_reset();
    ecr_engine.on_reset();
    codecommit_engines.on_reset();
    logs_engine.on_reset();
    codebuild_engine.on_reset();
    return true;
  };
  ecr::RegistryOptions registry_options;
  registry_options.default_region = config.region;
  registry_options.registry_host = flags.registry_host;
  registry_options.access_log = flags.access_log;
  ecr::RegistryFront registry_front(ecr_engine, iam_engine, authorizer, *tokens, engine_clock, registry_options);
  LifecycleSweeper sweeper(ecr_engine);
  logs::RetentionSweeper logs_sweeper(logs_engine);
  codecommit::GitFrontOptions git_options;
  git_options.default_region = config.region;
  git_options.access_log = flags.access_log;
  git_options.verify_service_password = [&iam_engine](std::string_view user, std::string_view password) {
    return iam_engine.verify_service_password(user, password);
  };
  // Git passwords are SigV4 signatures: checked against the real clock, as the dispatcher does.
  codecommit::GitFront git_front(codecommit_engines.repositories, iam_engine, authorizer, clock, git_options);

  FrontDoorOptions door;
  door.reset = reset;
  door.services = {"iam", "sts", "ssm", "s3", "ecr", "codecommit", "logs", "codebuild"};
  door.routes.push_back(Route{ecr::RegistryFront::matches,
                              [&](http::Request& rq, http::Response& rs) { registry_front.handle(rq, rs); }});
  door.routes.push_back(
      Route{codecommit::GitFront::matches, [&](http::Request& rq, http::Response& rs) { git_front.handle(rq, rs); }});
  door.bus = &bus;
  if (flags.clock_control) {
    door.clock = &engine_clock;
    // Synchronous, so a test sees the lifecycle's effect when its POST returns.
    door.on_clock = [&ecr_engine, &logs_engine, &codebuild_engine] {
      ecr_engine.apply_all_lifecycles();
      (void)logs_engine.apply_retention();
      (void)codebuild_engine.expire_queued_builds();
    };
  }
  FrontDoor front_door(dispatcher, std::move(door));

  http::ServerOptions server_options;
  server_options.host = flags.host;
  server_options.port = static_cast<uint16_t>(flags.port);
  http::Server server(server_options, [&](http::Request& rq, http::Response& rs) { front_door.handle(rq, rs); });
  std::string error;
  if (!server.listen(error)) {
    std::cerr << "hakobu: " << error << "\n";
    return 1;
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::string accounts;
  for (const auto& a : config.accounts) accounts += (accounts.empty() ? "" : ",") + a.id;
  std::string host = flags.host.find(':') != std::string::npos ? "[" + flags.host + "]" : flags.host;
  common::log::write(Level::Info,
                     fmt::format("hakobu ready on http://{}:{} (data dir {}, accounts {}, region {}, started in "
                                 "{:.1f} ms)",
                                 host, server.port(), flags.data_dir, accounts, config.region, ms),
                     true);
  codebuild_host.set_port(server.port());
  build_runner.start(*interrupted_builds);
  // SIGTERM/SIGINT stop the server gracefully, so running builds end (FAULT) and their
  // containers and hakobu's podman service go with it rather than outliving the process.
  StopSignals stop_signals([&server] { server.stop(); });
  server.run();
  build_runner.shutdown();
  return 0;
}

}  // namespace app
