// Repositories: create, look up (cached), list, update, delete; their resource tags; the
// tag-immutability rule.
#include <algorithm>

#include "common/log.h"
#include "services/ecr/engine/internal.h"
#include "services/ecr/engine/sql.h"
#include "services/ecr/model/uri.h"
#include "services/ecr/model/wildcard.h"

namespace ecr {
namespace {

constexpr size_t kMaxResourceTags = 50;

constexpr std::string_view kRepositoryColumns =
    "id, account, region, name, created, tag_mutability, mutability_exclusions, scan_on_push, encryption_type, "
    "kms_key, policy, lifecycle_policy, lifecycle_updated, lifecycle_evaluated";

std::string select_repository(std::string_view where) {
  return "SELECT " + std::string(kRepositoryColumns) + " FROM ecr_repositories WHERE " + std::string(where);
}

Repository decode_repository(const store::Statement& s) {
  Repository r;
  r.id = s.integer(0);
  r.account = s.text(1);
  r.region = s.text(2);
  r.name = s.text(3);
  r.arn = repository_arn(r.region, r.account, r.name);
  r.created = time_column(s, 4);
  r.tag_mutability = s.text(5);
  r.mutability_exclusions = common::Json::parse(s.text(6), nullptr, false);
  if (!r.mutability_exclusions.is_array()) r.mutability_exclusions = common::Json::array();
  r.scan_on_push = s.integer(7) != 0;
  r.encryption_type = s.text(8);
  r.kms_key = s.text(9);
  r.policy = s.optional_text(10);
  r.lifecycle_policy = s.optional_text(11);
  r.lifecycle_updated = optional_time_column(s, 12);
  r.lifecycle_evaluated = optional_time_column(s, 13);
  return r;
}

template <class Bind>
Result<std::optional<Repository>> read_one(store::Db& db, const std::string& sql, Bind&& bind) {
  std::optional<Repository> out;
  auto r = Sql::query(db, sql, std::forward<Bind>(bind), [&](store::Statement& s) {
    out = decode_repository(s);
    return false;
  });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<std::optional<Repository>> read_repository(store::Db& db, const RepoRef& ref) {
  static const std::string sql = select_repository("account = ? AND region = ? AND name = ?");
  return read_one(db, sql, [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.name); });
}

void bind_optional_time(store::Statement& s, int index, const std::optional<common::TimePoint>& t) {
  if (t) {
    s.bind(index, to_column(*t));
  } else {
    s.bind_null(index);
  }
}

Status write_tags(store::Db& db, int64_t repo_id, const Tags& tags) {
  for (const auto& [key, value] : tags) {
    auto r = Sql::execute(db, "INSERT OR REPLACE INTO ecr_repo_tags (repo_id, key, value) VALUES (?, ?, ?)",
                          [&](store::Statement& s) { s.bind(1, repo_id).bind(2, key).bind(3, value); });
    if (!r.ok()) return r;
  }
  return common::ok();
}

Result<int64_t> count_tags(store::Db& db, int64_t repo_id) {
  int64_t count = 0;
  auto r = Sql::query(
      db, "SELECT COUNT(*) FROM ecr_repo_tags WHERE repo_id = ?", [&](store::Statement& s) { s.bind(1, repo_id); },
      [&](store::Statement& s) {
        count = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return count;
}

Error too_many_tags() {
  return error(Errc::TooManyTags, "The number of tags on the resource would exceed the limit of " +
                                      std::to_string(kMaxResourceTags) + " tags");
}

bool matches_exclusion(const common::Json& exclusions, std::string_view tag) {
  if (!exclusions.is_array()) return false;
  for (const auto& filter : exclusions) {
    if (!filter.is_object()) continue;
    auto it = filter.find("filter");
    if (it == filter.end() || !it->is_string()) continue;
    auto type = filter.find("filterType");
    if (type != filter.end() && type->is_string() && type->get<std::string>() != "WILDCARD") continue;
    if (wildcard_match(it->get<std::string>(), tag)) return true;
  }
  return false;
}

}  // namespace

bool Repository::tag_immutable(std::string_view tag) const {
  if (tag_mutability == "IMMUTABLE") return true;
  if (tag_mutability == "IMMUTABLE_WITH_EXCLUSION") return !matches_exclusion(mutability_exclusions, tag);
  if (tag_mutability == "MUTABLE_WITH_EXCLUSION") return matches_exclusion(mutability_exclusions, tag);
  return false;
}

Error repository_not_found(std::string_view account, std::string_view name) {
  return error(Errc::RepositoryNotFound, "The repository with name '" + std::string(name) +
                                             "' does not exist in the registry with id '" + std::string(account) + "'");
}

Result<std::optional<Repository>> read_repository(store::Db& db, int64_t id) {
  static const std::string sql = select_repository("id = ?");
  return read_one(db, sql, [&](store::Statement& s) { s.bind(1, id); });
}

Result<Repository> find_repository(EngineState& state, const RepoRef& ref) {
  std::string key = RepoCache::key(ref.account, ref.region, ref.name);
  if (auto cached = state.repos.get(key)) return std::move(*cached);
  uint64_t generation = state.repos.generation();
  auto repo = read_repository(state.db, ref);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(repository_not_found(ref.account, ref.name));
  state.repos.put(generation, **repo);
  return std::move(**repo);
}

Result<Repository> find_repository(EngineState& state, int64_t id) {
  if (auto cached = state.repos.get(id)) return std::move(*cached);
  uint64_t generation = state.repos.generation();
  auto repo = read_repository(state.db, id);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(error(Errc::RepositoryNotFound, "The repository does not exist"));
  state.repos.put(generation, **repo);
  return std::move(**repo);
}

Result<Repository> EcrEngine::create_repository(const CreateRepositoryInput& input) {
  if (input.tags.size() > kMaxResourceTags) return common::fail(too_many_tags());
  auto& state = *internals_;
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto existing = read_repository(db_, input.ref);
  if (!existing.ok()) return common::fail(existing.error());
  if (*existing) {
    return common::fail(error(Errc::RepositoryAlreadyExists, "The repository with name '" + input.ref.name +
                                                                 "' already exists in the registry with id '" +
                                                                 input.ref.account + "'"));
  }
  auto inserted = Sql::execute(db_,
                               "INSERT INTO ecr_repositories (account, region, name, created, tag_mutability, "
                               "mutability_exclusions, scan_on_push, encryption_type, kms_key) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [&](store::Statement& s) {
                                 s.bind(1, input.ref.account).bind(2, input.ref.region).bind(3, input.ref.name);
                                 s.bind(4, to_column(clock_.now())).bind(5, input.tag_mutability);
                                 s.bind(6, input.mutability_exclusions.dump()).bind(7, input.scan_on_push);
                                 s.bind(8, input.encryption_type).bind(9, input.kms_key);
                               });
  if (!inserted.ok()) return common::fail(inserted.error());
  int64_t id = sqlite3_last_insert_rowid(db_.handle());
  if (auto r = write_tags(db_, id, input.tags); !r.ok()) return common::fail(r.error());
  auto repo = read_repository(db_, id);
  if (!repo.ok()) return common::fail(repo.error());
  if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  state.repos.invalidate();
  return std::move(**repo);
}

Result<Repository> EcrEngine::get_repository(const RepoRef& ref) const { return find_repository(*internals_, ref); }

Result<std::vector<Repository>> EcrEngine::list_repositories(std::string_view account, std::string_view region) const {
  static const std::string sql = select_repository("account = ? AND region = ? ORDER BY name");
  std::vector<Repository> out;
  auto r = Sql::query(
      db_, sql, [&](store::Statement& s) { s.bind(1, account).bind(2, region); },
      [&](store::Statement& s) {
        out.push_back(decode_repository(s));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

namespace {

// Every row of the repository but the repository's own; collects the files to remove once
// committed: upload files, and blobs no other repository links.
Status delete_repository_rows(store::Db& db, int64_t id, std::vector<std::string>& uploads,
                              std::vector<std::string>& unlinked_blobs) {
  auto bind_id = [&](store::Statement& s) { s.bind(1, id); };
  auto r = Sql::query(db, "SELECT uuid FROM ecr_uploads WHERE repo_id = ?", bind_id, [&](store::Statement& s) {
    uploads.push_back(s.text(0));
    return true;
  });
  if (!r.ok()) return r;
  std::vector<std::string> linked;
  r = Sql::query(db, "SELECT digest FROM ecr_repo_blobs WHERE repo_id = ?", bind_id, [&](store::Statement& s) {
    linked.push_back(s.text(0));
    return true;
  });
  if (!r.ok()) return r;
  for (std::string_view table :
       {"ecr_images", "ecr_tags", "ecr_image_children", "ecr_uploads", "ecr_repo_blobs", "ecr_repo_tags"}) {
    r = Sql::execute(db, "DELETE FROM " + std::string(table) + " WHERE repo_id = ?", bind_id);
    if (!r.ok()) return r;
  }
  for (const std::string& digest : linked) {
    auto still = Sql::exists(db, "SELECT 1 FROM ecr_repo_blobs WHERE digest = ?",
                             [&](store::Statement& s) { s.bind(1, digest); });
    if (!still.ok()) return common::fail(still.error());
    if (*still) continue;
    r = Sql::execute(db, "DELETE FROM ecr_blobs WHERE digest = ?", [&](store::Statement& s) { s.bind(1, digest); });
    if (!r.ok()) return r;
    unlinked_blobs.push_back(digest);
  }
  return Sql::execute(db, "DELETE FROM ecr_repositories WHERE id = ?", bind_id);
}

}  // namespace

Result<Repository> EcrEngine::delete_repository(const RepoRef& ref, bool force) {
  auto& state = *internals_;
  std::unique_lock files_lock(state.blob_files_lock);
  std::vector<std::string> uploads, unlinked;
  Repository repo;
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto found = read_repository(db_, ref);
    if (!found.ok()) return common::fail(found.error());
    if (!*found) return common::fail(repository_not_found(ref.account, ref.name));
    repo = std::move(**found);
    if (!force) {
      auto has_images = Sql::exists(db_, "SELECT 1 FROM ecr_images WHERE repo_id = ?",
                                    [&](store::Statement& s) { s.bind(1, repo.id); });
      if (!has_images.ok()) return common::fail(has_images.error());
      if (*has_images) {
        return common::fail(
            error(Errc::RepositoryNotEmpty, "The repository with name '" + repo.name + "' in registry with id '" +
                                                repo.account + "' cannot be deleted because it still contains images"));
      }
    }
    if (auto r = delete_repository_rows(db_, repo.id, uploads, unlinked); !r.ok()) return common::fail(r.error());
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  state.repos.invalidate();
  state.uploads.erase_repository(repo.id);
  for (const std::string& uuid : uploads) state.files.remove_upload(uuid);
  for (const std::string& digest : unlinked) {
    if (digest.size() > 7) state.files.remove_blob(std::string_view(digest).substr(7));
  }
  return repo;
}

Result<Repository> EcrEngine::update_repository(const RepoRef& ref, const std::function<Status(Repository&)>& change) {
  auto& state = *internals_;
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto found = read_repository(db_, ref);
  if (!found.ok()) return common::fail(found.error());
  if (!*found) return common::fail(repository_not_found(ref.account, ref.name));
  const Repository before = **found;
  Repository repo = before;
  if (auto r = change(repo); !r.ok()) return common::fail(r.error());
  // Identity is not the change's to make.
  repo.id = before.id;
  repo.account = before.account;
  repo.region = before.region;
  repo.name = before.name;
  repo.arn = before.arn;
  repo.created = before.created;
  if (repo.lifecycle_policy != before.lifecycle_policy && repo.lifecycle_updated == before.lifecycle_updated) {
    repo.lifecycle_updated = repo.lifecycle_policy ? std::optional(clock_.now()) : std::nullopt;
  }
  auto updated =
      Sql::execute(db_,
                   "UPDATE ecr_repositories SET tag_mutability = ?, mutability_exclusions = ?, scan_on_push = ?, "
                   "encryption_type = ?, kms_key = ?, policy = ?, lifecycle_policy = ?, lifecycle_updated = ?, "
                   "lifecycle_evaluated = ? WHERE id = ?",
                   [&](store::Statement& s) {
                     s.bind(1, repo.tag_mutability).bind(2, repo.mutability_exclusions.dump());
                     s.bind(3, repo.scan_on_push).bind(4, repo.encryption_type).bind(5, repo.kms_key);
                     s.bind(6, repo.policy).bind(7, repo.lifecycle_policy);
                     bind_optional_time(s, 8, repo.lifecycle_updated);
                     bind_optional_time(s, 9, repo.lifecycle_evaluated);
                     s.bind(10, repo.id);
                   });
  if (!updated.ok()) return common::fail(updated.error());
  if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  state.repos.invalidate();
  return repo;
}

Result<Tags> EcrEngine::resource_tags(const RepoRef& ref) const {
  auto repo = find_repository(*internals_, ref);
  if (!repo.ok()) return common::fail(repo.error());
  Tags out;
  auto r = Sql::query(
      db_, "SELECT key, value FROM ecr_repo_tags WHERE repo_id = ? ORDER BY key",
      [&](store::Statement& s) { s.bind(1, repo->id); },
      [&](store::Statement& s) {
        out.emplace_back(s.text(0), s.text(1));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Status EcrEngine::tag_resource(const RepoRef& ref, const Tags& tags) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto repo = read_repository(db_, ref);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(repository_not_found(ref.account, ref.name));
  if (auto r = write_tags(db_, (*repo)->id, tags); !r.ok()) return r;
  auto count = count_tags(db_, (*repo)->id);
  if (!count.ok()) return common::fail(count.error());
  if (*count > static_cast<int64_t>(kMaxResourceTags)) return common::fail(too_many_tags());
  return Sql::commit(tx);
}

Status EcrEngine::untag_resource(const RepoRef& ref, const std::vector<std::string>& keys) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto repo = read_repository(db_, ref);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(repository_not_found(ref.account, ref.name));
  for (const std::string& key : keys) {
    auto r = Sql::execute(db_, "DELETE FROM ecr_repo_tags WHERE repo_id = ? AND key = ?",
                          [&](store::Statement& s) { s.bind(1, (*repo)->id).bind(2, key); });
    if (!r.ok()) return r;
  }
  return Sql::commit(tx);
}

}  // namespace ecr
