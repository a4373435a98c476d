// Builds as the API sees them: start (with idempotency), stop, look up, list, delete; and
// mutate_build, the one read-modify-write-with-events step every build change goes through.
#include "common/ids.h"
#include "services/codebuild/engine/build_doc.h"
#include "services/codebuild/engine/sql.h"
#include "services/codebuild/model/names.h"

namespace codebuild {
namespace {

constexpr double kIdempotencyWindowSeconds = 300;  // AWS: a token is valid for 5 minutes

Error build_not_found(const BuildRef& ref) {
  return error(Errc::ResourceNotFound, "Build " + ref.id + " cannot be found");
}

struct BuildRow {
  Json doc;
  bool claimed = false;
  bool stop_requested = false;
};

Result<std::optional<BuildRow>> read_build(store::Db& db, const BuildRef& ref) {
  std::optional<BuildRow> out;
  auto r = Sql::query(
      db, "SELECT doc, claimed, stop_requested FROM codebuild_builds WHERE account = ? AND region = ? AND id = ?",
      [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); },
      [&](store::Statement& s) {
        out = BuildRow{Json::parse(s.text(0), nullptr, false), s.integer(1) != 0, s.integer(2) != 0};
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Status write_build(store::Db& db, const BuildRef& ref, const Json& doc) {
  return Sql::execute(db, "UPDATE codebuild_builds SET doc = ?, status = ? WHERE account = ? AND region = ? AND id = ?",
                      [&](store::Statement& s) {
                        s.bind(1, doc.dump())
                            .bind(2, doc.value("buildStatus", std::string()))
                            .bind(3, ref.account)
                            .bind(4, ref.region)
                            .bind(5, ref.id);
                      });
}

Result<int64_t> next_build_number(store::Db& db, const ProjectKey& key) {
  auto r = Sql::execute(db,
                        "INSERT INTO codebuild_build_numbers (account, region, project, last) VALUES (?, ?, ?, 1) "
                        "ON CONFLICT (account, region, project) DO UPDATE SET last = last + 1",
                        [&](store::Statement& s) { s.bind(1, key.account).bind(2, key.region).bind(3, key.name); });
  if (!r.ok()) return common::fail(r.error());
  int64_t number = 0;
  auto q = Sql::query(
      db, "SELECT last FROM codebuild_build_numbers WHERE account = ? AND region = ? AND project = ?",
      [&](store::Statement& s) { s.bind(1, key.account).bind(2, key.region).bind(3, key.name); },
      [&](store::Statement& s) {
        number = s.integer(0);
        return false;
      });
  if (!q.ok()) return common::fail(q.error());
  return number;
}

// The build an unexpired idempotency token already started ("" = none); InvalidInput when
// the token was used with another request.
Result<std::string> idempotent_build(store::Db& db, const StartBuildInput& input, double now) {
  std::string build_id;
  std::string request;
  double created = 0;
  auto r = Sql::query(
      db, "SELECT build_id, request, created FROM codebuild_idempotency WHERE account = ? AND region = ? AND token = ?",
      [&](store::Statement& s) {
        s.bind(1, input.project.account).bind(2, input.project.region).bind(3, input.idempotency_token);
      },
      [&](store::Statement& s) {
        build_id = s.text(0);
        request = s.text(1);
        created = s.real(2);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  if (build_id.empty() || now - created > kIdempotencyWindowSeconds) return std::string();
  if (request != input.request) {
    return common::fail(error(Errc::InvalidInput, "Idempotency token " + input.idempotency_token +
                                                      " has already been used with a different request"));
  }
  return build_id;
}

Json new_build_doc(const StartBuildInput& input, const std::string& id, int64_t number, double now) {
  const ProjectKey& key = input.project;
  Json build = input.build;
  build["id"] = id;
  build["arn"] = build_arn(key.region, key.account, id);
  build["buildNumber"] = number;
  build["projectName"] = key.name;
  build["startTime"] = now;
  build["buildStatus"] = "IN_PROGRESS";
  build["buildComplete"] = false;
  // logsConfig: CloudWatch Logs may be disabled, or name its own group and a stream prefix
  // (the stream is then <prefix>/<uuid>).
  Json cloudwatch = Json{{"status", "ENABLED"}};
  Json s3_logs = Json{{"status", "DISABLED"}};
  if (auto config = build.find("logsConfig"); config != build.end()) {
    cloudwatch = config->value("cloudWatchLogs", cloudwatch);
    s3_logs = config->value("s3Logs", s3_logs);
    build.erase("logsConfig");
  }
  Json logs = Json::object();
  if (cloudwatch.value("status", std::string("ENABLED")) != "DISABLED") {
    std::string group = cloudwatch.value("groupName", std::string());
    if (group.empty()) group = "/aws/codebuild/" + key.name;
    std::string prefix = cloudwatch.value("streamName", std::string());
    std::string stream = prefix.empty() ? uuid_of_build_id(id) : prefix + "/" + uuid_of_build_id(id);
    logs = {{"groupName", group},
            {"streamName", stream},
            {"deepLink", "https://console.aws.amazon.com/cloudwatch/home?region=" + key.region +
                             "#logEvent:group=" + group + ";stream=" + stream},
            {"cloudWatchLogsArn",
             "arn:aws:logs:" + key.region + ":" + key.account + ":log-group:" + group + ":log-stream:" + stream}};
  }
  logs["cloudWatchLogs"] = cloudwatch;
  logs["s3Logs"] = s3_logs;
  build["logs"] = std::move(logs);
  build["phases"] = Json::array();
  return build;
}

}  // namespace

Result<Json> CodebuildEngine::start_build(const StartBuildInput& input) {
  const ProjectKey& key = input.project;
  double now = common::to_epoch_seconds(clock_.now());
  std::vector<events::Event> events;
  Json build;
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto exists =
        Sql::exists(db_, "SELECT 1 FROM codebuild_projects WHERE account = ? AND region = ? AND name = ?",
                    [&](store::Statement& s) { s.bind(1, key.account).bind(2, key.region).bind(3, key.name); });
    if (!exists.ok()) return common::fail(exists.error());
    if (!*exists) {
      return common::fail(
          error(Errc::ResourceNotFound, "Project cannot be found: " + project_arn(key.region, key.account, key.name)));
    }
    if (!input.idempotency_token.empty()) {
      auto previous = idempotent_build(db_, input, now);
      if (!previous.ok()) return common::fail(previous.error());
      if (!previous->empty()) {
        auto row = read_build(db_, BuildRef{key.account, key.region, *previous});
        if (!row.ok()) return common::fail(row.error());
        if (*row) return (*row)->doc;
      }
    }
    auto number = next_build_number(db_, key);
    if (!number.ok()) return common::fail(number.error());
    std::string id = key.name + ":" + common::uuid4();
    build = new_build_doc(input, id, *number, now);
    open_phase(build, "SUBMITTED", now);
    close_phase(build, "SUCCEEDED", Json::array(), now, events);
    open_phase(build, "QUEUED", now);
    events.insert(events.begin(), state_change_event(build));
    auto r =
        Sql::execute(db_,
                     "INSERT INTO codebuild_builds (account, region, id, project, status, claimed, stop_requested, "
                     "doc) VALUES (?, ?, ?, ?, 'IN_PROGRESS', 0, 0, ?)",
                     [&](store::Statement& s) {
                       s.bind(1, key.account).bind(2, key.region).bind(3, id).bind(4, key.name).bind(5, build.dump());
                     });
    if (!r.ok()) return common::fail(r.error());
    if (!input.idempotency_token.empty()) {
      auto t = Sql::execute(db_,
                            "INSERT OR REPLACE INTO codebuild_idempotency (account, region, token, request, build_id, "
                            "created) VALUES (?, ?, ?, ?, ?, ?)",
                            [&](store::Statement& s) {
                              s.bind(1, key.account)
                                  .bind(2, key.region)
                                  .bind(3, input.idempotency_token)
                                  .bind(4, input.request)
                                  .bind(5, id)
                                  .bind(6, now);
                            });
      if (!t.ok()) return common::fail(t.error());
    }
    for (auto& event : events) {
      if (auto a = bus_.append(event); !a.ok()) return common::fail(internal_error(a.error()));
    }
    if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  }
  bus_.notify();
  if (runner_ != nullptr) runner_->build_queued(BuildRef{key.account, key.region, build["id"].get<std::string>()});
  return build;
}

Result<Json> CodebuildEngine::mutate_build(const BuildRef& ref, const Mutation& mutation) {
  Json build;
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto row = read_build(db_, ref);
    if (!row.ok()) return common::fail(row.error());
    if (!*row) return common::fail(build_not_found(ref));
    build = std::move((*row)->doc);
    std::vector<events::Event> events;
    if (auto m = mutation(build, events); !m.ok()) return common::fail(m.error());
    if (auto w = write_build(db_, ref, build); !w.ok()) return common::fail(w.error());
    for (auto& event : events) {
      if (auto a = bus_.append(event); !a.ok()) return common::fail(internal_error(a.error()));
    }
    if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  }
  bus_.notify();
  return build;
}

// AWS: stopping a build that already finished returns it unchanged. A build no runner claimed
// stops at once; a claimed one gets the flag and its runner finishes it STOPPED.
Result<Json> CodebuildEngine::stop_build(const BuildRef& ref) {
  bool notify_runner = false;
  auto build = mutate_build(ref, [&](Json& doc, std::vector<events::Event>& events) -> Status {
    if (doc.value("buildComplete", false)) return common::ok();
    auto flag =
        Sql::execute(db_, "UPDATE codebuild_builds SET stop_requested = 1 WHERE account = ? AND region = ? AND id = ?",
                     [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); });
    if (!flag.ok()) return flag;
    auto claimed =
        Sql::exists(db_, "SELECT 1 FROM codebuild_builds WHERE account = ? AND region = ? AND id = ? AND claimed = 1",
                    [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); });
    if (!claimed.ok()) return common::fail(claimed.error());
    if (*claimed) {
      notify_runner = true;
      return common::ok();
    }
    complete_build(doc, "STOPPED", "STOPPED", Json::array(), common::to_epoch_seconds(clock_.now()), events);
    return common::ok();
  });
  if (build.ok() && notify_runner && runner_ != nullptr) runner_->stop_requested(ref);
  return build;
}

Result<std::optional<Json>> CodebuildEngine::get_build(const BuildRef& ref) {
  auto row = read_build(db_, ref);
  if (!row.ok()) return common::fail(row.error());
  if (!*row) return std::optional<Json>();
  return std::optional<Json>((*row)->doc);
}

Result<BuildList> CodebuildEngine::list_builds(const std::string& account, const std::string& region,
                                               const std::string& project, bool ascending) {
  std::string sql = "SELECT id FROM codebuild_builds WHERE account = ? AND region = ?";
  if (!project.empty()) sql += " AND project = ?";
  sql += ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC";
  BuildList out;
  auto r = Sql::query(
      db_, sql,
      [&](store::Statement& s) {
        s.bind(1, account).bind(2, region);
        if (!project.empty()) s.bind(3, project);
      },
      [&](store::Statement& s) {
        out.ids.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<bool> CodebuildEngine::delete_build(const BuildRef& ref) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto row = read_build(db_, ref);
  if (!row.ok()) return common::fail(row.error());
  if (!*row) return common::fail(build_not_found(ref));
  if ((*row)->doc.value("buildStatus", std::string()) == "IN_PROGRESS") return false;
  auto r = Sql::execute(db_, "DELETE FROM codebuild_builds WHERE account = ? AND region = ? AND id = ?",
                        [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.id); });
  if (!r.ok()) return common::fail(r.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return true;
}

}  // namespace codebuild
