// The engine's schema, start-up and reset, and the git helpers its parts share.
#include <filesystem>
#include <unordered_set>

#include "common/log.h"
#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

namespace fs = std::filesystem;

// Times are REAL epoch seconds; a repository's git directory is <data_dir>/repos/<id>.git.
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE codecommit_repositories (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  default_branch TEXT NOT NULL,
  created REAL NOT NULL,
  modified REAL NOT NULL,
  UNIQUE (account, region, name)
) WITHOUT ROWID;
CREATE TABLE codecommit_repository_tags (
  repo_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (repo_id, key)
) WITHOUT ROWID;
)sql"},
      // Triggers are replaced as a whole and read as a whole, so a repository's list is one
      // JSON document; the SQL trigger drops it with its repository.
      {2, R"sql(
ALTER TABLE codecommit_repositories ADD COLUMN kms_key_id TEXT NOT NULL DEFAULT '';
CREATE TABLE codecommit_repository_triggers (
  repo_id TEXT PRIMARY KEY,
  configuration_id TEXT NOT NULL,
  triggers TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER codecommit_repository_triggers_cleanup AFTER DELETE ON codecommit_repositories
BEGIN
  DELETE FROM codecommit_repository_triggers WHERE repo_id = OLD.id;
END;
)sql"},
      // A push between the moment it is let through and its recording (engine/pushes.cc):
      // refs is a JSON array of {"ref", "before", "new"}. AUTOINCREMENT: an id is never
      // reused, not even after a reset, so a push still running then cannot settle another's row.
      {3, R"sql(
CREATE TABLE codecommit_pending_pushes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  repo_id TEXT NOT NULL,
  caller_arn TEXT NOT NULL,
  refs TEXT NOT NULL
);
CREATE TRIGGER codecommit_pending_pushes_cleanup AFTER DELETE ON codecommit_repositories
BEGIN
  DELETE FROM codecommit_pending_pushes WHERE repo_id = OLD.id;
END;
)sql"},
  };
  return kMigrations;
}

std::string absolute(const std::string& dir) {
  std::error_code ec;
  fs::path path = fs::absolute(dir, ec);
  return ec ? dir : path.lexically_normal().string();
}

}  // namespace

CodeCommitEngine::CodeCommitEngine(store::Db& db, const common::Clock& clock, std::string data_dir, events::Bus& bus)
    : db_(db), clock_(clock), data_dir_(absolute(data_dir)), bus_(bus) {}

common::Status<> CodeCommitEngine::migrate() {
  if (auto r = db_.migrate("codecommit", migrations()); !r.ok()) return r;
  std::error_code ec;
  fs::create_directories(data_dir_ + "/repos", ec);
  if (ec)
    return common::fail(
        common::make_error(common::ErrorKind::Internal, "cannot create " + data_dir_ + "/repos: " + ec.message()));
  // A git directory without a row: a creation a crash interrupted before it committed.
  std::unordered_set<std::string> ids;
  auto listed = Sql::query(
      db_, "SELECT id FROM codecommit_repositories", [](store::Statement&) {},
      [&](store::Statement& s) {
        ids.insert(s.text(0) + ".git");
        return true;
      });
  if (!listed.ok()) return common::fail(common::make_error(common::ErrorKind::Internal, listed.error().message));
  for (const auto& entry : fs::directory_iterator(data_dir_ + "/repos", ec)) {
    if (ids.count(entry.path().filename().string()) == 0) {
      fs::remove_all(entry.path(), ec);
      continue;
    }
    // A push a crash interrupted leaves git's quarantine (objects/tmp_objdir-incoming-*): objects
    // no ref points to, which git would never clean up itself. No push runs during start-up.
    for (const auto& object_dir : fs::directory_iterator(entry.path() / "objects", ec)) {
      if (object_dir.path().filename().string().rfind("tmp_objdir-incoming-", 0) == 0) {
        fs::remove_all(object_dir.path(), ec);
      }
    }
  }
  return common::ok();
}

void CodeCommitEngine::on_reset() {
  std::error_code ec;
  fs::remove_all(data_dir_ + "/repos", ec);
  fs::create_directories(data_dir_ + "/repos", ec);
  if (ec) common::log::warn("codecommit: cannot recreate {}/repos: {}", data_dir_, ec.message());
}

std::string repository_arn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:codecommit:" + std::string(region) + ":" + std::string(account) + ":" + std::string(name);
}

Result<git::RunResult> git_in(const Repository& repo, const std::vector<std::string>& args, bool allow_failure,
                              std::string input) {
  git::RunOptions options;
  options.git_dir = repo.git_dir;
  options.input = std::move(input);
  auto r = git::run(args, options);
  if (!r.ok()) return common::fail(internal_error(r.error()));
  if (!allow_failure && r->exit_code != 0) {
    return common::fail(error(Errc::Internal, "git " + (args.empty() ? std::string() : args[0]) + ": " + r->err));
  }
  return std::move(*r);
}

Status set_head(const Repository& repo, std::string_view branch) {
  auto r = git_in(repo, {"symbolic-ref", "HEAD", "refs/heads/" + std::string(branch)});
  if (!r.ok()) return common::fail(r.error());
  return common::ok();
}

bool looks_like_object_id(std::string_view id) {
  if (id.size() < 4 || id.size() > 40) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace codecommit
