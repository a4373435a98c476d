// The seam between CodeBuild's durable records (CodebuildEngine) and whatever runs builds (the
// container runner, issue 6 part 2). The engine owns every record; a runner only reacts to the
// two notifications below and reports back through CodebuildEngine's runner methods
// (claim_build, complete_phase, update_build, finish_build, stop_requested, ...), each of which
// is one store transaction that also appends AWS's events to the bus.
//
// Without a runner (set_runner(nullptr), the default) StartBuild records the build and leaves
// it IN_PROGRESS in phase QUEUED (SUBMITTED succeeded), which is what AWS shows while a build
// waits for capacity; StopBuild then stops it, and a restart fails it (reconcile_after_restart).
#pragma once

#include <string>

namespace codebuild {

struct BuildRef {
  std::string account;
  std::string region;
  std::string id;  // <project>:<uuid>
};

class BuildRunner {
 public:
  virtual ~BuildRunner() = default;
  // Called after StartBuild/RetryBuild committed a QUEUED build. Must return quickly (it runs
  // on the request thread): claim the build with CodebuildEngine::claim_build from the
  // runner's own thread.
  virtual void build_queued(const BuildRef& build) = 0;
  // Called after StopBuild committed the stop flag of a build a runner claimed: stop its
  // container and finish_build(..., "STOPPED", ...). Must return quickly.
  virtual void stop_requested(const BuildRef& build) = 0;
};

}  // namespace codebuild
