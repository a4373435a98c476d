// Projects: create, update, delete, look up, list. The Project document is stored as given
// (with the API's defaults applied) plus arn, created and lastModified.
#include "services/codebuild/engine/migrations.h"
#include "services/codebuild/engine/sql.h"
#include "services/codebuild/model/names.h"

namespace codebuild {

CodebuildEngine::CodebuildEngine(store::Db& db, const common::Clock& clock, events::Bus& bus)
    : db_(db), clock_(clock), bus_(bus) {}

common::Status<> CodebuildEngine::migrate() { return db_.migrate("codebuild", migrations()); }

namespace {

Error not_found(const ProjectKey& key) {
  return error(Errc::ResourceNotFound, "Project cannot be found: " + project_arn(key.region, key.account, key.name));
}

Result<std::optional<Json>> read_project(store::Db& db, const ProjectKey& key) {
  std::optional<Json> out;
  auto r = Sql::query(
      db, "SELECT doc FROM codebuild_projects WHERE account = ? AND region = ? AND name = ?",
      [&](store::Statement& s) { s.bind(1, key.account).bind(2, key.region).bind(3, key.name); },
      [&](store::Statement& s) {
        out = Json::parse(s.text(0), nullptr, false);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Status write_project(store::Db& db, const ProjectKey& key, const Json& doc, bool insert) {
  const char* sql = insert ? "INSERT INTO codebuild_projects (created, modified, doc, account, region, name) "
                             "VALUES (?, ?, ?, ?, ?, ?)"
                           : "UPDATE codebuild_projects SET created = ?, modified = ?, doc = ? "
                             "WHERE account = ? AND region = ? AND name = ?";
  return Sql::execute(db, sql, [&](store::Statement& s) {
    s.bind(1, doc.value("created", 0.0))
        .bind(2, doc.value("lastModified", 0.0))
        .bind(3, doc.dump())
        .bind(4, key.account)
        .bind(5, key.region)
        .bind(6, key.name);
  });
}

}  // namespace

Result<Json> CodebuildEngine::create_project(const ProjectKey& key, Json project) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto existing = read_project(db_, key);
  if (!existing.ok()) return common::fail(existing.error());
  if (*existing) {
    return common::fail(error(Errc::ResourceAlreadyExists,
                              "Project already exists: " + project_arn(key.region, key.account, key.name)));
  }
  double now = common::to_epoch_seconds(clock_.now());
  project["name"] = key.name;
  project["arn"] = project_arn(key.region, key.account, key.name);
  project["created"] = now;
  project["lastModified"] = now;
  if (auto r = write_project(db_, key, project, true); !r.ok()) return common::fail(r.error());
  if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  return project;
}

Result<Json> CodebuildEngine::update_project(const ProjectKey& key, const std::function<Result<Json>(Json)>& change) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto existing = read_project(db_, key);
  if (!existing.ok()) return common::fail(existing.error());
  if (!*existing) return common::fail(not_found(key));
  auto changed = change(**existing);
  if (!changed.ok()) return common::fail(changed.error());
  Json project = std::move(*changed);
  project["lastModified"] = common::to_epoch_seconds(clock_.now());
  if (auto r = write_project(db_, key, project, false); !r.ok()) return common::fail(r.error());
  if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  return project;
}

// AWS answers DeleteProject of a missing project with success; the project's builds stay.
Status CodebuildEngine::delete_project(const ProjectKey& key) {
  return Sql::execute(db_, "DELETE FROM codebuild_projects WHERE account = ? AND region = ? AND name = ?",
                      [&](store::Statement& s) { s.bind(1, key.account).bind(2, key.region).bind(3, key.name); });
}

Result<std::optional<Json>> CodebuildEngine::get_project(const ProjectKey& key) { return read_project(db_, key); }

Result<std::vector<std::string>> CodebuildEngine::list_projects(const std::string& account, const std::string& region,
                                                                const std::string& sort_by, bool ascending) {
  std::string column = sort_by == "CREATED_TIME" ? "created" : sort_by == "LAST_MODIFIED_TIME" ? "modified" : "name";
  std::string sql = "SELECT name FROM codebuild_projects WHERE account = ? AND region = ? ORDER BY " + column +
                    (ascending ? " ASC" : " DESC") + ", name" + (ascending ? " ASC" : " DESC");
  std::vector<std::string> names;
  auto r = Sql::query(
      db_, sql, [&](store::Statement& s) { s.bind(1, account).bind(2, region); },
      [&](store::Statement& s) {
        names.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return names;
}

}  // namespace codebuild
