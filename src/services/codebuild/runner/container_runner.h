// ContainerRunner: the BuildRunner (engine/build_runner.h) that runs builds for real. Each
// claimed build gets a thread that walks AWS's phases (build_job.cc):
//   PROVISIONING     the image is found (hakobu's ECR names and AWS's curated names resolve
//                    locally), the service role is assumed
//   DOWNLOAD_SOURCE  the source is laid out on the host (CODECOMMIT: cloned from hakobu's
//                    repository at the build's version; S3: a zip unpacked; NO_SOURCE), the
//                    buildspec located and parsed, PARAMETER_STORE variables read
//   INSTALL..POST_BUILD  one container from the project's image runs the buildspec driver
//                    (buildspec/driver.h) with the source mounted at CODEBUILD_SRC_DIR; its
//                    output goes through the SecretMasker into CloudWatch Logs as it arrives;
//                    the driver's progress file moves the phases
//   UPLOAD_ARTIFACTS the selected files zipped (or not) into S3
//   FINALIZING       the container and the build's directory removed
// StopBuild and the build timeout stop the container; a restarted hakobu fails the builds a
// previous process left running (their containers are removed) and runs the queued ones.
//
// Threads: build_queued/stop_requested only record and notify; every build runs on its own
// thread (builds are few and mostly waiting on the container). Destruction stops the running
// containers and finishes their builds FAULT, so no container outlives the process that ran it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "services/codebuild/engine/build_runner.h"
#include "services/codebuild/engine/codebuild_engine.h"
#include "services/codebuild/runner/build_host.h"
#include "services/logs/engine/logs_engine.h"

namespace codebuild::runner {

struct RunnerOptions {
  // Each build gets <work_dir>/<uuid>/ (src/, hakobu/ with the driver and progress file).
  std::string work_dir;
  // LOCAL_CUSTOM_CACHE directories persist here between a project's builds:
  // <cache_dir>/<account>/<region>/<project>/<path>.
  std::string cache_dir;
  // How often a running build looks at its progress file, stop flag and deadline.
  std::chrono::milliseconds poll{20};
  // How long a stopped container gets between TERM and KILL.
  int stop_grace_seconds = 2;
};

class ContainerRunner final : public BuildRunner {
 public:
  ContainerRunner(CodebuildEngine& engine, logs::LogsEngine& logs, BuildHost& host, const common::Clock& clock,
                  RunnerOptions options);
  ~ContainerRunner() override;
  ContainerRunner(const ContainerRunner&) = delete;
  ContainerRunner& operator=(const ContainerRunner&) = delete;

  // At start-up, once hakobu answers requests: fails `interrupted` (the builds a previous
  // process left running, from CodebuildEngine::reconcile_after_restart), removes every build
  // container of this instance, and starts the builds waiting in QUEUED.
  void start(const std::vector<BuildRef>& interrupted);

  void build_queued(const BuildRef& build) override;
  void stop_requested(const BuildRef& build) override;

  // Stops every running build (FAULT) and joins the threads; idempotent.
  void shutdown();

  struct Job;  // one running build (build_job.cc)

 private:
  void run(const BuildRef& ref);
  void reap_finished();
  // Once per process, with its first build: removes this instance's build containers that no
  // running build owns (a previous process killed between a build's end and its cleanup).
  void sweep_leftovers();

  CodebuildEngine& engine_;
  logs::LogsEngine& logs_;
  BuildHost& host_;
  const common::Clock& clock_;
  RunnerOptions options_;

  std::mutex mutex_;
  bool shutting_down_ = false;
  // Running builds by id, and the threads (finished ones are joined by reap_finished).
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::vector<std::pair<std::shared_ptr<std::atomic<bool>>, std::thread>> threads_;
  std::once_flag swept_;
};

}  // namespace codebuild::runner
