// CodeBuild's storage: projects and builds as durable records (SQLite, module "codebuild").
// Both are kept as their wire documents (the Project and Build shapes of the API, JSON) plus
// the columns queries need, so every member a client sets is returned as given. No HTTP or
// AWS error strings here: failures are codebuild::Error; the API (api/) picks the wire error.
//
// Builds: StartBuild (start_build) commits the build IN_PROGRESS in phase QUEUED and tells the
// runner (build_runner.h). The runner methods below each run in one write transaction that
// also appends "CodeBuild Build State Change" / "CodeBuild Build Phase Change" events
// (source aws.codebuild) to the bus, so an event exists if and only if its change committed.
//
// Thread-safe: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "events/bus.h"
#include "services/codebuild/engine/build_runner.h"
#include "services/codebuild/engine/reports.h"
#include "services/codebuild/model/errors.h"
#include "store/db.h"

namespace codebuild {

template <class T>
using Result = common::Result<T, Error>;
using Status = common::Status<Error>;
using Json = common::Json;

struct ProjectKey {
  std::string account;
  std::string region;
  std::string name;
};

struct StartBuildInput {
  ProjectKey project;
  // The Build document as the API composed it from the project and the request's overrides
  // (source, environment, artifacts, timeouts, initiator, ...); the engine adds id, arn,
  // buildNumber, startTime, phases, logs and the status members.
  Json build = Json::object();
  std::string idempotency_token;  // "" = none
  std::string request;            // the request as text: the same token with another request is InvalidInput
};

// What a runner learned about a build (each member: nullopt = unchanged).
struct BuildFacts {
  std::optional<std::string> resolved_source_version;
  std::optional<Json> exported_environment_variables;  // [{name, value}]
  std::optional<Json> artifacts;                       // {location, sha256sum, md5sum, ...} merged into build.artifacts
  std::optional<Json> secondary_artifacts;  // [{location, sha256sum, md5sum, artifactIdentifier}] merged by identifier
};

struct PhaseCompletion {
  std::string status;             // SUCCEEDED | FAILED | FAULT | TIMED_OUT | STOPPED | CLIENT_ERROR
  Json contexts = Json::array();  // [{statusCode, message}]
  std::string next_phase;         // the phase that starts now ("" = none)
};

struct BuildList {
  std::vector<std::string> ids;  // newest first (ascending = false) or oldest first
};

class CodebuildEngine {
 public:
  CodebuildEngine(store::Db& db, const common::Clock& clock, events::Bus& bus);
  common::Status<> migrate();
  void on_reset() {}
  // nullptr = no runner (see build_runner.h). Not owned; must outlive the engine's use.
  void set_runner(BuildRunner* runner) { runner_ = runner; }
  // Test reports: report groups, reports and test cases (reports.h).
  ReportsEngine& reports() { return reports_; }

  // --- projects ---
  // `project`: the Project document with defaults applied; the engine adds arn, created,
  // lastModified.
  Result<Json> create_project(const ProjectKey& key, Json project);
  // `change` edits the stored document (ResourceNotFound when there is none); lastModified is
  // set after it.
  Result<Json> update_project(const ProjectKey& key, const std::function<Result<Json>(Json)>& change);
  Status delete_project(const ProjectKey& key);
  Result<std::optional<Json>> get_project(const ProjectKey& key);
  // sort_by NAME | CREATED_TIME | LAST_MODIFIED_TIME; ascending or not.
  Result<std::vector<std::string>> list_projects(const std::string& account, const std::string& region,
                                                 const std::string& sort_by, bool ascending);

  // --- builds (API) ---
  Result<Json> start_build(const StartBuildInput& input);
  // Sets the stop flag; a build no runner claimed is finished STOPPED at once.
  Result<Json> stop_build(const BuildRef& ref);
  Result<std::optional<Json>> get_build(const BuildRef& ref);
  // project "" = every build of the account and region.
  Result<BuildList> list_builds(const std::string& account, const std::string& region, const std::string& project,
                                bool ascending);
  // true = deleted, false = IN_PROGRESS (not deleted); ResourceNotFound when absent.
  Result<bool> delete_build(const BuildRef& ref);

  // --- builds (runner seam) ---
  // Claims a QUEUED build: ends QUEUED (SUCCEEDED) and starts PROVISIONING. nullopt when the
  // build is not queued any more (claimed, stopped or deleted).
  Result<std::optional<Json>> claim_build(const BuildRef& ref);
  // Builds waiting in QUEUED (for a runner starting up), oldest first.
  Result<std::vector<BuildRef>> queued_builds();
  // Ends the build's current phase with `completion.status` and starts `next_phase`.
  Result<Json> complete_phase(const BuildRef& ref, const PhaseCompletion& completion);
  Result<Json> update_build(const BuildRef& ref, const BuildFacts& facts);
  // Ends the current phase (if open) with `phase_status`/`contexts`, adds COMPLETED and sets
  // buildStatus (SUCCEEDED | FAILED | FAULT | TIMED_OUT | STOPPED), buildComplete, endTime.
  Result<Json> finish_build(const BuildRef& ref, const std::string& build_status, const std::string& phase_status,
                            const Json& contexts);
  Result<bool> stop_requested(const BuildRef& ref);
  // At start-up: builds a previous process left IN_PROGRESS. With a runner, the claimed ones
  // are returned for it to adopt or fail (queued ones stay queued: see queued_builds); without
  // one every such build is finished FAULT with a context saying why. Returns those builds.
  Result<std::vector<BuildRef>> reconcile_after_restart();
  // Finishes TIMED_OUT every build still waiting in QUEUED (unclaimed) longer than its
  // queuedTimeoutInMinutes, as AWS does. The API calls it before reading builds; returns how
  // many expired.
  Result<int> expire_queued_builds();

 private:
  using Mutation = std::function<Status(Json& build, std::vector<events::Event>& events)>;
  Result<Json> mutate_build(const BuildRef& ref, const Mutation& mutation);

  store::Db& db_;
  const common::Clock& clock_;
  events::Bus& bus_;
  BuildRunner* runner_ = nullptr;
  ReportsEngine reports_{db_, clock_};
};

}  // namespace codebuild
