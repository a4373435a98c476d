// One build's run (internal to the runner): the Job the runner tracks, and BuildRun, the walk
// through AWS's phases on the build's thread (build_job.cc: the sequence and its ends;
// job_source.cc: DOWNLOAD_SOURCE; job_container.cc: the driver's container; job_artifacts.cc:
// UPLOAD_ARTIFACTS).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "services/codebuild/buildspec/buildspec.h"
#include "services/codebuild/buildspec/driver_protocol.h"
#include "services/codebuild/buildspec/phase_error.h"
#include "services/codebuild/runner/container_runner.h"
#include "services/codebuild/runner/log_writer.h"

namespace codebuild::runner {

struct ContainerRunner::Job {
  BuildRef ref;
  std::atomic<bool> stop{false};      // StopBuild
  std::atomic<bool> shutdown{false};  // hakobu is stopping
  std::mutex mutex;
  std::condition_variable wake;  // stop, shutdown, container exit
  bool wake_flag = false;

  void notify() {
    {
      std::lock_guard lock(mutex);
      wake_flag = true;
    }
    wake.notify_all();
  }
  bool interrupted() const { return stop.load() || shutdown.load(); }
};

struct RunnerDeps {
  CodebuildEngine& engine;
  logs::LogsEngine& logs;
  BuildHost& host;
  const common::Clock& clock;
  const RunnerOptions& options;
};

// How a phase ended, when it did not succeed.
struct Failure {
  std::string build_status;  // FAILED | FAULT | STOPPED | TIMED_OUT
  std::string phase_status;  // the current phase's status
  std::string code;          // context statusCode
  std::string message;
};

class BuildRun {
 public:
  BuildRun(const RunnerDeps& deps, ContainerRunner::Job& job, common::Json build);
  void run();

 private:
  // --- the sequence (build_job.cc) ---
  bool provision();
  void finish(const std::optional<Failure>& failure);
  // Ends the current phase and starts `next`; false when the build is not in progress any more.
  bool complete(const std::string& status, const std::string& code, const std::string& message,
                const std::string& next);
  std::optional<Failure> interruption() const;
  void cleanup();
  std::string str(const common::Json& doc, const char* key) const;

  // --- DOWNLOAD_SOURCE (job_source.cc) ---
  std::optional<Failure> download_source();
  struct FetchedSource {
    std::string resolved_version;
    std::string repo_url;
  };
  struct SecondarySource {
    std::string identifier;
    std::string host_dir;
    std::string container_dir;
    std::string version;
    std::string resolved_version;
  };
  std::optional<Failure> fetch_primary_source();
  std::optional<Failure> fetch_secondary_sources();
  std::optional<Failure> fetch_source(const common::Json& source, const std::string& version, const std::string& dest,
                                      FetchedSource& out);
  std::optional<Failure> fetch_codecommit(const std::string& location, const std::string& version, int depth,
                                          const std::string& dest, FetchedSource& out);
  std::optional<Failure> fetch_s3_source(const std::string& location, const std::string& version,
                                         const std::string& dest, FetchedSource& out);
  std::optional<Failure> read_buildspec(std::string& text);
  std::optional<Failure> resolve_environment();
  std::vector<buildspec::NameValue> codebuild_variables() const;

  // --- the container (job_container.cc) ---
  std::optional<Failure> run_container();
  void follow_progress(buildspec::ProgressParser& parser, buildspec::ProgressTracker& tracker, size_t& offset);
  void apply_records(const std::vector<buildspec::ProgressRecord>& records);
  std::optional<Failure> deadline_passed() const;
  std::vector<runtime::Mount> cache_mounts() const;

  // --- UPLOAD_ARTIFACTS (job_artifacts.cc) ---
  std::optional<Failure> upload_artifacts();
  // Test reports from the buildspec's `reports:` (job_reports.cc); never fails the build.
  std::optional<Failure> publish_reports();
  common::Result<common::Json, buildspec::PhaseError> upload_artifact(const common::Json& target,
                                                                      const buildspec::ArtifactSpec& spec,
                                                                      const std::string& identifier);
  int archives_ = 0;

  const RunnerDeps& deps_;
  ContainerRunner::Job& job_;
  BuildRef ref_;
  common::Json build_;
  std::string uuid_;
  LogWriter log_;

  // Host side: <work>/<uuid>/{src,hakobu}; container side: CODEBUILD_SRC_DIR and /codebuild/hakobu.
  std::string host_dir_;
  std::string host_src_;
  std::string host_hakobu_;
  std::string container_src_;
  std::string docker_socket_;  // host path, when privileged

  Credentials credentials_;
  std::string image_;
  std::string resolved_source_version_;
  std::string source_repo_url_;
  std::vector<SecondarySource> secondaries_;
  buildspec::Buildspec spec_;
  std::vector<buildspec::NameValue> environment_;
  std::vector<std::string> secrets_;
  std::string container_id_;

  // Progress: a phase the driver ended whose successor is not known yet.
  std::optional<buildspec::ProgressRecord> pending_end_;
  bool completion_failed_ = false;  // the engine refused a transition (build no longer running)
  buildspec::DriverOutcome outcome_;
};

}  // namespace codebuild::runner
