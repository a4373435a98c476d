#include "services/codebuild/runner/container_runner.h"

#include "common/log.h"
#include "runtime/owner.h"
#include "services/codebuild/runner/build_job.h"

namespace codebuild::runner {

ContainerRunner::ContainerRunner(CodebuildEngine& engine, logs::LogsEngine& logs, BuildHost& host,
                                 const common::Clock& clock, RunnerOptions options)
    : engine_(engine), logs_(logs), host_(host), clock_(clock), options_(std::move(options)) {}

ContainerRunner::~ContainerRunner() { shutdown(); }

void ContainerRunner::start(const std::vector<BuildRef>& interrupted) {
  common::Json contexts = common::Json::array({common::Json{
      {"statusCode", "BUILD_INTERRUPTED"},
      {"message", "hakobu restarted while this build was in progress; the build container was removed"}}});
  for (const auto& ref : interrupted) (void)engine_.finish_build(ref, "FAULT", "FAULT", contexts);
  if (!interrupted.empty()) {
    // Their containers (and any other this data directory's hakobu left) go; the engine starts
    // only when there is something to clean, so a start without builds costs nothing.
    if (auto engine = host_.container_engine(); engine.ok()) {
      auto report = runtime::reconcile(
          **engine, host_.instance_id(), [](const runtime::OwnedContainer& c) { return c.owner.kind != "build"; },
          runtime::CallOptions{});
      if (!report.ok()) common::log::write(common::log::Level::Warn, "codebuild: " + report.error().message);
    }
  }
  auto queued = engine_.queued_builds();
  if (!queued.ok()) return;
  for (const auto& ref : *queued) build_queued(ref);
}

void ContainerRunner::build_queued(const BuildRef& ref) {
  std::lock_guard lock(mutex_);
  if (shutting_down_ || jobs_.count(ref.id) != 0) return;
  reap_finished();
  auto job = std::make_shared<Job>();
  job->ref = ref;
  jobs_[ref.id] = job;
  auto done = std::make_shared<std::atomic<bool>>(false);
  threads_.emplace_back(done, std::thread([this, job, done] {
                          run(job->ref);
                          std::lock_guard lock(mutex_);
                          jobs_.erase(job->ref.id);
                          *done = true;
                        }));
}

void ContainerRunner::stop_requested(const BuildRef& ref) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(ref.id);
  if (it == jobs_.end()) return;
  it->second->stop = true;
  it->second->notify();
}

void ContainerRunner::shutdown() {
  std::vector<std::pair<std::shared_ptr<std::atomic<bool>>, std::thread>> threads;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    for (auto& [id, job] : jobs_) {
      job->shutdown = true;
      job->notify();
    }
    threads.swap(threads_);
  }
  for (auto& [done, t] : threads) t.join();
}

void ContainerRunner::sweep_leftovers() {
  auto engine = host_.container_engine();
  if (!engine.ok()) return;
  auto report = runtime::reconcile(
      **engine, host_.instance_id(),
      [this](const runtime::OwnedContainer& c) {
        std::lock_guard lock(mutex_);
        return c.owner.kind != "build" || jobs_.count(c.owner.id) != 0;  // other kinds are not ours
      },
      runtime::CallOptions{});
  if (!report.ok()) common::log::write(common::log::Level::Warn, "codebuild: " + report.error().message);
}

void ContainerRunner::reap_finished() {
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (it->first->load()) {
      it->second.join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
}

void ContainerRunner::run(const BuildRef& ref) {
  auto claimed = engine_.claim_build(ref);
  if (!claimed.ok() || !*claimed) return;  // stopped, deleted or claimed meanwhile
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    job = jobs_[ref.id];
  }
  std::call_once(swept_, [this] { sweep_leftovers(); });
  RunnerDeps deps{engine_, logs_, host_, clock_, options_};
  BuildRun(deps, *job, std::move(**claimed)).run();
}

}  // namespace codebuild::runner
