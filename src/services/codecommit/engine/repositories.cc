// Repositories: a row each (name, description, default branch, tags) and a bare git
// repository under <data_dir>/repos/<id>.git that git-http-backend serves.
#include <filesystem>

#include "common/ids.h"
#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxNameLength = 100;

constexpr std::string_view kColumns =
    "id, account, region, name, description, default_branch, created, modified, kms_key_id";

std::string select_repository(std::string_view where) {
  return "SELECT " + std::string(kColumns) + " FROM codecommit_repositories WHERE " + std::string(where);
}

double to_column(common::TimePoint t) { return common::to_epoch_seconds(t); }

Repository decode(const store::Statement& s, const std::string& data_dir) {
  Repository r;
  r.id = s.text(0);
  r.account = s.text(1);
  r.region = s.text(2);
  r.name = s.text(3);
  r.description = s.text(4);
  r.default_branch = s.text(5);
  r.created = common::from_epoch_seconds(s.real(6));
  r.modified = common::from_epoch_seconds(s.real(7));
  r.arn = repository_arn(r.region, r.account, r.name);
  r.git_dir = data_dir + "/repos/" + r.id + ".git";
  r.kms_key_id = s.text(8);
  return r;
}

Status read_tags(store::Db& db, Repository& repo) {
  return Sql::query(
      db, "SELECT key, value FROM codecommit_repository_tags WHERE repo_id = ? ORDER BY key",
      [&](store::Statement& s) { s.bind(1, repo.id); },
      [&](store::Statement& s) {
        repo.tags.emplace_back(s.text(0), s.text(1));
        return true;
      });
}

template <class Bind>
Result<std::optional<Repository>> read_one(store::Db& db, const std::string& data_dir, const std::string& sql,
                                           Bind&& bind) {
  std::optional<Repository> out;
  auto r = Sql::query(db, sql, std::forward<Bind>(bind), [&](store::Statement& s) {
    out = decode(s, data_dir);
    return false;
  });
  if (!r.ok()) return common::fail(r.error());
  if (out) {
    if (auto t = read_tags(db, *out); !t.ok()) return common::fail(t.error());
  }
  return out;
}

bool name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// CodeCommit's rule: [\w.-]+, at most 100 characters, not ending in ".git".
Status check_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength;
  for (char c : name) ok = ok && name_character(c);
  if (ok && name.size() >= 4 && name.substr(name.size() - 4) == ".git") ok = false;
  if (!ok) {
    return common::fail(error(Errc::InvalidRepositoryName,
                              "A valid repository name is required. Repository names must be between 1 and 100 "
                              "characters long, can contain only letters, numbers, periods, underscores, and "
                              "dashes, and cannot end in .git."));
  }
  return common::ok();
}

Error name_exists(std::string_view name) {
  return error(Errc::RepositoryNameExists, "Repository named " + std::string(name) + " already exists");
}

Result<Repository> require(store::Db& db, const std::string& data_dir, const RepoRef& ref) {
  auto found = read_repository(db, data_dir, ref);
  if (!found.ok()) return common::fail(found.error());
  if (!*found) return common::fail(repository_not_found(ref.name));
  return std::move(**found);
}

// A bare repository git-http-backend accepts pushes to, where a push may delete the branch
// HEAD names (CodeCommit refuses that only for the default branch, through its API).
Status init_git_dir(const Repository& repo) {
  git::RunOptions options;
  auto r = git::run({"init", "--bare", "-q", "--initial-branch=main", repo.git_dir}, options);
  if (!r.ok()) return common::fail(internal_error(r.error()));
  if (r->exit_code != 0) return common::fail(error(Errc::Internal, "git init: " + r->err));
  for (auto [key, value] : {std::pair{"http.receivepack", "true"}, std::pair{"receive.denyDeleteCurrent", "false"}}) {
    auto c = git_in(repo, {"config", key, value});
    if (!c.ok()) return common::fail(c.error());
  }
  return common::ok();
}

}  // namespace

Error repository_not_found(std::string_view name) {
  return error(Errc::RepositoryDoesNotExist, std::string(name) + " does not exist");
}

Result<std::optional<Repository>> read_repository(store::Db& db, const std::string& data_dir, const RepoRef& ref) {
  static const std::string sql = select_repository("account = ? AND region = ? AND name = ?");
  return read_one(db, data_dir, sql,
                  [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.name); });
}

Result<std::optional<Repository>> read_repository_by_id(store::Db& db, const std::string& data_dir,
                                                        std::string_view id) {
  static const std::string sql = select_repository("id = ?");
  return read_one(db, data_dir, sql, [&](store::Statement& s) { s.bind(1, id); });
}

Result<Repository> CodeCommitEngine::create_repository(const RepoRef& ref, std::string description,
                                                       std::vector<std::pair<std::string, std::string>> tags) {
  if (auto r = check_name(ref.name); !r.ok()) return common::fail(r.error());
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto existing = read_repository(db_, data_dir_, ref);
  if (!existing.ok()) return common::fail(existing.error());
  if (*existing) return common::fail(name_exists(ref.name));
  Repository repo;
  repo.id = common::uuid4();
  repo.account = ref.account;
  repo.region = ref.region;
  repo.name = ref.name;
  repo.description = std::move(description);
  repo.created = repo.modified = clock_.now();
  repo.arn = repository_arn(repo.region, repo.account, repo.name);
  repo.git_dir = data_dir_ + "/repos/" + repo.id + ".git";
  auto inserted = Sql::execute(db_,
                               "INSERT INTO codecommit_repositories (id, account, region, name, description, "
                               "default_branch, created, modified) VALUES (?, ?, ?, ?, ?, '', ?, ?)",
                               [&](store::Statement& s) {
                                 s.bind(1, repo.id).bind(2, repo.account).bind(3, repo.region).bind(4, repo.name);
                                 s.bind(5, repo.description).bind(6, to_column(repo.created));
                                 s.bind(7, to_column(repo.modified));
                               });
  if (!inserted.ok()) return common::fail(inserted.error());
  for (const auto& [key, value] : tags) {
    auto r =
        Sql::execute(db_, "INSERT OR REPLACE INTO codecommit_repository_tags (repo_id, key, value) VALUES (?, ?, ?)",
                     [&](store::Statement& s) { s.bind(1, repo.id).bind(2, key).bind(3, value); });
    if (!r.ok()) return common::fail(r.error());
  }
  // The directory exists before the row commits; migrate() removes one whose row never did.
  if (auto r = init_git_dir(repo); !r.ok()) {
    std::error_code ec;
    fs::remove_all(repo.git_dir, ec);
    return common::fail(r.error());
  }
  if (auto r = Sql::commit(tx); !r.ok()) {
    std::error_code ec;
    fs::remove_all(repo.git_dir, ec);
    return common::fail(r.error());
  }
  std::sort(tags.begin(), tags.end());
  repo.tags = std::move(tags);
  return repo;
}

Result<Repository> CodeCommitEngine::get_repository(const RepoRef& ref) const { return require(db_, data_dir_, ref); }

Result<std::vector<Repository>> CodeCommitEngine::list_repositories(std::string_view account,
                                                                    std::string_view region) const {
  static const std::string sql = select_repository("account = ? AND region = ? ORDER BY name");
  std::vector<Repository> out;
  auto r = Sql::query(
      db_, sql, [&](store::Statement& s) { s.bind(1, account).bind(2, region); },
      [&](store::Statement& s) {
        out.push_back(decode(s, data_dir_));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<Repository> CodeCommitEngine::delete_repository(const RepoRef& ref) {
  Repository repo;
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto found = require(db_, data_dir_, ref);
    if (!found.ok()) return common::fail(found.error());
    repo = std::move(*found);
    auto bind_id = [&](store::Statement& s) { s.bind(1, repo.id); };
    if (auto r = Sql::execute(db_, "DELETE FROM codecommit_repository_tags WHERE repo_id = ?", bind_id); !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::execute(db_, "DELETE FROM codecommit_repositories WHERE id = ?", bind_id); !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  // After the commit: a crash before this line leaves a directory migrate() removes.
  std::error_code ec;
  fs::remove_all(repo.git_dir, ec);
  return repo;
}

Result<Repository> CodeCommitEngine::rename_repository(const RepoRef& ref, std::string new_name) {
  if (auto r = check_name(new_name); !r.ok()) return common::fail(r.error());
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto found = require(db_, data_dir_, ref);
  if (!found.ok()) return common::fail(found.error());
  if (new_name == ref.name) return std::move(*found);
  auto clash = read_repository(db_, data_dir_, RepoRef{ref.account, ref.region, new_name});
  if (!clash.ok()) return common::fail(clash.error());
  if (*clash) return common::fail(name_exists(new_name));
  auto r = Sql::execute(
      db_, "UPDATE codecommit_repositories SET name = ?, modified = ? WHERE id = ?",
      [&](store::Statement& s) { s.bind(1, new_name).bind(2, to_column(clock_.now())).bind(3, found->id); });
  if (!r.ok()) return common::fail(r.error());
  auto renamed = read_repository_by_id(db_, data_dir_, found->id);
  if (!renamed.ok()) return common::fail(renamed.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return std::move(**renamed);
}

Result<Repository> CodeCommitEngine::set_description(const RepoRef& ref, std::string description) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto found = require(db_, data_dir_, ref);
  if (!found.ok()) return common::fail(found.error());
  auto r = Sql::execute(
      db_, "UPDATE codecommit_repositories SET description = ?, modified = ? WHERE id = ?",
      [&](store::Statement& s) { s.bind(1, description).bind(2, to_column(clock_.now())).bind(3, found->id); });
  if (!r.ok()) return common::fail(r.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  found->description = std::move(description);
  found->modified = clock_.now();
  return std::move(*found);
}

Result<Repository> CodeCommitEngine::set_default_branch(const RepoRef& ref, std::string branch) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto found = require(db_, data_dir_, ref);
  if (!found.ok()) return common::fail(found.error());
  auto current = get_branch(*found, branch);
  if (!current.ok()) return common::fail(current.error());
  auto r =
      Sql::execute(db_, "UPDATE codecommit_repositories SET default_branch = ?, modified = ? WHERE id = ?",
                   [&](store::Statement& s) { s.bind(1, branch).bind(2, to_column(clock_.now())).bind(3, found->id); });
  if (!r.ok()) return common::fail(r.error());
  if (auto h = set_head(*found, branch); !h.ok()) return common::fail(h.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  found->default_branch = std::move(branch);
  found->modified = clock_.now();
  return std::move(*found);
}

}  // namespace codecommit
