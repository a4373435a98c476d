// The runner's side of the seam (build_runner.h): claim, phase transitions, facts, the final
// status, the stop flag, and the start-up reconcile. Each is one transaction with its events.
#include "services/codebuild/engine/build_doc.h"
#include "services/codebuild/engine/sql.h"

namespace codebuild {
namespace {

bool in_progress(const Json& build) { return build.value("buildStatus", std::string()) == "IN_PROGRESS"; }

Error not_in_progress(const BuildRef& ref) {
  return error(Errc::InvalidInput, "Build " + ref.id + " is not in progress");
}

}  // namespace

Result<std::optional<Json>> CodebuildEngine::claim_build(const BuildRef& ref) {
  bool claimed = false;
  auto build = mutate_build(ref, [&](Json& doc, std::vector<events::Event>& events) -> Status {
    auto queued = Sql::exists(db_,
                              "SELECT 1 FROM codebuild_builds WHERE account = ? AND region = ? AND id = ? AND "
                              "claimed = 0 AND stop_requested = 0 AND status = 'IN_PROGRESS'",
                              [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); });
    if (!queued.ok()) return common::fail(queued.error());
    if (!*queued) return common::ok();
    auto r = Sql::execute(db_, "UPDATE codebuild_builds SET claimed = 1 WHERE account = ? AND region = ? AND id = ?",
                          [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); });
    if (!r.ok()) return r;
    double now = common::to_epoch_seconds(clock_.now());
    close_phase(doc, "SUCCEEDED", Json::array(), now, events);
    open_phase(doc, "PROVISIONING", now);
    claimed = true;
    return common::ok();
  });
  if (!build.ok()) {
    if (build.error().code == Errc::ResourceNotFound) return std::optional<Json>();
    return common::fail(build.error());
  }
  if (!claimed) return std::optional<Json>();
  return std::optional<Json>(std::move(*build));
}

Result<std::vector<BuildRef>> CodebuildEngine::queued_builds() {
  std::vector<BuildRef> out;
  auto r = Sql::query(
      db_,
      "SELECT account, region, id FROM codebuild_builds WHERE status = 'IN_PROGRESS' AND claimed = 0 AND "
      "stop_requested = 0 ORDER BY seq",
      [](store::Statement&) {},
      [&](store::Statement& s) {
        out.push_back(BuildRef{s.text(0), s.text(1), s.text(2)});
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<Json> CodebuildEngine::complete_phase(const BuildRef& ref, const PhaseCompletion& completion) {
  return mutate_build(ref, [&](Json& doc, std::vector<events::Event>& events) -> Status {
    if (!in_progress(doc)) return common::fail(not_in_progress(ref));
    double now = common::to_epoch_seconds(clock_.now());
    close_phase(doc, completion.status, completion.contexts, now, events);
    if (!completion.next_phase.empty()) open_phase(doc, completion.next_phase, now);
    return common::ok();
  });
}

Result<Json> CodebuildEngine::update_build(const BuildRef& ref, const BuildFacts& facts) {
  return mutate_build(ref, [&](Json& doc, std::vector<events::Event>&) -> Status {
    if (facts.resolved_source_version) doc["resolvedSourceVersion"] = *facts.resolved_source_version;
    if (facts.exported_environment_variables)
      doc["exportedEnvironmentVariables"] = *facts.exported_environment_variables;
    if (facts.artifacts) {
      if (!doc["artifacts"].is_object()) doc["artifacts"] = Json::object();
      doc["artifacts"].update(*facts.artifacts);
    }
    if (facts.secondary_artifacts) {
      // Each reported artifact joins the recorded one with its identifier (the project's settings).
      Json& recorded = doc["secondaryArtifacts"];
      if (!recorded.is_array()) recorded = Json::array();
      for (const auto& a : *facts.secondary_artifacts) {
        std::string id = a.value("artifactIdentifier", std::string());
        bool merged = false;
        for (auto& r : recorded) {
          if (r.is_object() && r.value("artifactIdentifier", std::string()) == id) {
            r.update(a);
            merged = true;
          }
        }
        if (!merged) recorded.push_back(a);
      }
    }
    return common::ok();
  });
}

Result<Json> CodebuildEngine::finish_build(const BuildRef& ref, const std::string& build_status,
                                           const std::string& phase_status, const Json& contexts) {
  return mutate_build(ref, [&](Json& doc, std::vector<events::Event>& events) -> Status {
    if (!in_progress(doc)) return common::fail(not_in_progress(ref));
    complete_build(doc, build_status, phase_status, contexts, common::to_epoch_seconds(clock_.now()), events);
    return common::ok();
  });
}

Result<bool> CodebuildEngine::stop_requested(const BuildRef& ref) {
  return Sql::exists(
      db_, "SELECT 1 FROM codebuild_builds WHERE account = ? AND region = ? AND id = ? AND stop_requested = 1",
      [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); });
}

Result<std::vector<BuildRef>> CodebuildEngine::reconcile_after_restart() {
  std::vector<BuildRef> left;
  const char* sql =
      runner_ != nullptr
          ? "SELECT account, region, id FROM codebuild_builds WHERE status = 'IN_PROGRESS' AND claimed = 1"
          : "SELECT account, region, id FROM codebuild_builds WHERE status = 'IN_PROGRESS'";
  auto r = Sql::query(
      db_, sql, [](store::Statement&) {},
      [&](store::Statement& s) {
        left.push_back(BuildRef{s.text(0), s.text(1), s.text(2)});
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  if (runner_ != nullptr) return left;
  Json contexts =
      Json::array({Json{{"statusCode", "BUILD_INTERRUPTED"},
                        {"message",
                         "hakobu restarted while this build was in progress and no container runner is configured "
                         "to resume it"}}});
  for (const auto& ref : left) {
    auto f = finish_build(ref, "FAULT", "FAULT", contexts);
    if (!f.ok()) return common::fail(f.error());
  }
  return left;
}

Result<int> CodebuildEngine::expire_queued_builds() {
  std::vector<BuildRef> expired;
  double now = common::to_epoch_seconds(clock_.now());
  auto r = Sql::query(
      db_,
      "SELECT account, region, id, doc FROM codebuild_builds WHERE status = 'IN_PROGRESS' AND claimed = 0 AND "
      "stop_requested = 0",
      [](store::Statement&) {},
      [&](store::Statement& s) {
        Json doc = Json::parse(s.text(3), nullptr, false);
        double deadline = doc.value("startTime", now) + 60.0 * doc.value("queuedTimeoutInMinutes", 480);
        if (deadline <= now) expired.push_back(BuildRef{s.text(0), s.text(1), s.text(2)});
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  int count = 0;
  for (const auto& ref : expired) {
    // Checked again inside the transaction: a runner may have claimed it meanwhile.
    auto done = mutate_build(ref, [&](Json& doc, std::vector<events::Event>& events) -> Status {
      auto unclaimed =
          Sql::exists(db_, "SELECT 1 FROM codebuild_builds WHERE account = ? AND region = ? AND id = ? AND claimed = 0",
                      [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); });
      if (!unclaimed.ok()) return common::fail(unclaimed.error());
      if (!*unclaimed || !in_progress(doc)) return common::ok();
      complete_build(doc, "TIMED_OUT", "TIMED_OUT", Json::array(), now, events);
      ++count;
      return common::ok();
    });
    if (!done.ok() && done.error().code != Errc::ResourceNotFound) return common::fail(done.error());
  }
  return count;
}

}  // namespace codebuild
