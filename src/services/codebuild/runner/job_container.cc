// INSTALL..POST_BUILD: the driver runs in one container; its output is the log, its progress
// file moves the phases; StopBuild, the timeout and hakobu's shutdown stop it.
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime/owner.h"
#include "services/codebuild/buildspec/driver.h"
#include "services/codebuild/runner/build_job.h"

namespace codebuild::runner {
namespace {

constexpr const char* kContainerDir = "/codebuild/hakobu";

// Appends what `path` holds past `offset` to `out`; returns the new offset.
size_t read_from(const std::string& path, size_t offset, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return offset;
  char buf[65536];
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(offset));
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    offset += static_cast<size_t>(n);
  }
  ::close(fd);
  return offset;
}

}  // namespace

std::optional<Failure> BuildRun::deadline_passed() const {
  double start = build_.value("startTime", 0.0);
  int minutes = build_.value("timeoutInMinutes", 60);
  double now = common::to_epoch_seconds(deps_.clock.now());
  if (now < start + 60.0 * minutes) return std::nullopt;
  return Failure{"TIMED_OUT", "TIMED_OUT", "BUILD_TIMED_OUT", "Build has timed out. "};
}

// A local custom cache (cache type LOCAL, mode LOCAL_CUSTOM_CACHE) keeps the buildspec's
// cache.paths between the project's builds: each path's directory is a host directory mounted
// into every build, so what a build leaves there the next one finds (AWS keeps it on the build
// host the same way, for a while). Paths are directories, optionally ending in /** or /**/*.
std::vector<runtime::Mount> BuildRun::cache_mounts() const {
  std::vector<runtime::Mount> mounts;
  const common::Json& cache = build_.value("cache", common::Json::object());
  if (str(cache, "type") != "LOCAL" || !spec_.cache || deps_.options.cache_dir.empty()) return mounts;
  bool custom = false;
  for (const auto& m : cache.value("modes", common::Json::array())) custom = custom || m == "LOCAL_CUSTOM_CACHE";
  if (!custom) return mounts;
  std::string project = ref_.id.substr(0, ref_.id.find(':'));
  for (std::string path : spec_.cache->paths) {
    for (const char* suffix : {"/**/*", "/**", "/*"}) {
      std::string_view sv(suffix);
      if (path.size() > sv.size() && path.compare(path.size() - sv.size(), sv.size(), sv) == 0) {
        path.resize(path.size() - sv.size());
        break;
      }
    }
    if (path.empty() || path.find_first_of("*?[") != std::string::npos || path.find("..") != std::string::npos) {
      continue;
    }
    std::string target = path.front() == '/' ? path : container_src_ + "/" + path;
    std::string host = (std::filesystem::path(deps_.options.cache_dir) / ref_.account / ref_.region / project /
                        (path.front() == '/' ? "abs" + path : "src/" + path))
                           .string();
    std::error_code ec;
    std::filesystem::create_directories(host, ec);
    if (ec) continue;
    ::chmod(host.c_str(), 0777);
    mounts.push_back(runtime::Mount{host, target, false});
  }
  return mounts;
}

std::optional<Failure> BuildRun::run_container() {
  auto engine_or = deps_.host.container_engine();
  if (!engine_or.ok()) return Failure{"FAULT", "FAULT", engine_or.error().status_code, engine_or.error().message};
  runtime::ContainerEngine& engine = **engine_or;

  buildspec::DriverOptions options;
  options.progress_path = std::string(kContainerDir) + "/progress";
  options.environment = environment_;
  std::string script = buildspec::generate_driver(spec_, options);
  {
    std::ofstream out(host_hakobu_ + "/driver.sh", std::ios::binary | std::ios::trunc);
    out << script;
    if (!out) return Failure{"FAULT", "FAULT", "CLIENT_ERROR", "cannot write the build driver to " + host_hakobu_};
  }
  ::chmod((host_hakobu_ + "/driver.sh").c_str(), 0755);
  // The container's root may not be the host's: let every uid write the source and progress.
  ::chmod(host_src_.c_str(), 0777);
  ::chmod(host_hakobu_.c_str(), 0777);

  const common::Json& env = build_.value("environment", common::Json::object());
  runtime::ContainerSpec spec;
  spec.name = "codebuild-" + uuid_;
  spec.image = image_;
  // The driver's output goes to a file in the mounted directory, read like the progress file:
  // podman 4.3's followed /logs stream ends early when a container exits after much output.
  spec.cmd = {"/bin/sh", "-c", std::string("exec \"$@\" >>") + kContainerDir + "/output 2>&1", "driver"};
  for (auto& a : buildspec::driver_argv(spec_, std::string(kContainerDir) + "/driver.sh")) spec.cmd.push_back(a);
  spec.entrypoint = std::vector<std::string>{};
  spec.mounts = {{host_src_, container_src_, false}, {host_hakobu_, kContainerDir, false}};
  for (const auto& s : secondaries_) spec.mounts.push_back({s.host_dir, s.container_dir, false});
  for (auto& m : cache_mounts()) spec.mounts.push_back(std::move(m));
  spec.working_dir = container_src_;
  spec.network_mode = "host";
  spec.init = true;
  spec.privileged = env.value("privilegedMode", false);
  if (spec.privileged) {
    std::string socket = host_hakobu_ + "/docker.sock";
    if (auto opened = deps_.host.open_docker_socket(ref_, socket); opened.ok()) {
      docker_socket_ = socket;
      spec.mounts.push_back({socket, "/var/run/docker.sock", false});
    }
  }
  runtime::Owner owner{"build", ref_.id};
  auto created = runtime::create_owned(engine, spec, owner, deps_.host.instance_id(), runtime::CallOptions{});
  if (!created.ok())
    return Failure{"FAULT", "FAULT", "CLIENT_ERROR", "cannot create the build container: " + created.error().message};
  container_id_ = *created;

  std::atomic<bool> exited{false};
  std::atomic<bool> cancel{false};
  int exit_code = -1;
  std::string wait_error;
  if (auto started = engine.start_container(container_id_, runtime::CallOptions{}); !started.ok()) {
    return Failure{"FAULT", "FAULT", "CLIENT_ERROR", "cannot start the build container: " + started.error().message};
  }
  std::thread waiter([&] {
    runtime::CallOptions call{runtime::kContainerLifetimeTimeout, &cancel};
    auto r = engine.wait_container(container_id_, call);
    if (r.ok()) {
      exit_code = r->exit_code;
    } else {
      wait_error = r.error().message;
    }
    exited = true;
    job_.notify();
  });

  buildspec::ProgressParser parser;
  buildspec::ProgressTracker tracker;
  size_t offset = 0;
  size_t output_offset = 0;
  std::string output;
  std::optional<Failure> ended;  // why the runner stopped the container
  bool ended_by_driver = false;  // the driver finished but the container could not go at once
  while (!exited.load()) {
    {
      std::unique_lock lock(job_.mutex);
      job_.wake.wait_for(lock, deps_.options.poll, [&] { return job_.wake_flag; });
      job_.wake_flag = false;
    }
    output_offset = read_from(host_hakobu_ + "/output", output_offset, output);
    if (!output.empty()) log_.write(output);
    output.clear();
    follow_progress(parser, tracker, offset);
    if (!ended && !ended_by_driver && tracker.outcome().finished) {
      // The driver is done (its last record): the container goes now rather than when podman
      // notices the exit (~250 ms later); whatever the build left running in it ends with it.
      if (engine.remove_container(container_id_, true, runtime::CallOptions{}).ok()) {
        container_id_.clear();
        cancel = true;
        break;
      }
      // podman 4.3 sometimes refuses a forced remove racing the container's own exit: wait for
      // the exit instead; cleanup() removes it then.
      ended_by_driver = true;
    }
    if (!ended) {
      ended = interruption();
      if (!ended) ended = deadline_passed();
      if (ended) {
        (void)engine.stop_container(container_id_, deps_.options.stop_grace_seconds, runtime::CallOptions{});
      }
    }
  }
  waiter.join();
  output_offset = read_from(host_hakobu_ + "/output", output_offset, output);
  log_.write(output);
  follow_progress(parser, tracker, offset);
  parser.finish();
  outcome_ = tracker.outcome();
  if (ended) return ended;
  if (!wait_error.empty() && !outcome_.finished)
    return Failure{"FAULT", "FAULT", "CLIENT_ERROR", "build container: " + wait_error};
  if (!outcome_.finished) {
    return Failure{
        "FAILED", "FAILED", "CLIENT_ERROR",
        "the build container exited with status " + std::to_string(exit_code) + " before the build finished"};
  }
  // Exported variables are known once POST_BUILD is over.
  if (!spec_.env.exported_variables.empty()) {
    common::Json vars = common::Json::array();
    for (const auto& [name, value] : outcome_.exported_variables) {
      vars.push_back(common::Json{{"name", name}, {"value", value.value_or("")}});
    }
    BuildFacts facts;
    facts.exported_environment_variables = std::move(vars);
    (void)deps_.engine.update_build(ref_, facts);
  }
  if (pending_end_) {
    auto e = *pending_end_;  // a copy: reset() below ends the original
    std::string next = outcome_.next.empty() ? "FINALIZING" : outcome_.next;
    pending_end_.reset();
    if (!complete(e.status, e.code, e.message, next)) return std::nullopt;
  }
  return std::nullopt;
}

void BuildRun::follow_progress(buildspec::ProgressParser& parser, buildspec::ProgressTracker& tracker, size_t& offset) {
  std::string bytes;
  offset = read_from(host_hakobu_ + "/progress", offset, bytes);
  if (bytes.empty()) return;
  auto records = parser.feed(bytes);
  tracker.apply(records);
  apply_records(records);
}

// A phase the driver ends is completed when the next one starts (its successor is only known
// then: the next phase, the same one again for RETRY, or the end of the driver).
void BuildRun::apply_records(const std::vector<buildspec::ProgressRecord>& records) {
  for (const auto& r : records) {
    if (completion_failed_) return;
    if (r.kind == buildspec::RecordKind::PhaseEnd) {
      pending_end_ = r;
    } else if (r.kind == buildspec::RecordKind::PhaseStart && pending_end_) {
      auto e = *pending_end_;
      pending_end_.reset();
      complete(e.status, e.code, e.message, r.phase);
    }
  }
}

}  // namespace codebuild::runner
