// Repository tags (TagResource / UntagResource): rows of codecommit_repository_tags, changed in
// one write transaction each so the 50-tag quota holds under concurrent calls.
#include <set>

#include "common/strings.h"

#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

constexpr size_t kMaxTags = 50;
constexpr size_t kMaxKeyLength = 128;
constexpr size_t kMaxValueLength = 256;

bool system_key(std::string_view key) { return common::starts_with_icase(key, "aws:"); }

Status check_key(std::string_view key, Errc invalid) {
  if (system_key(key)) {
    return common::fail(error(Errc::InvalidSystemTagUsage,
                              "The tag key contains a prefix that is reserved for system use: " + std::string(key)));
  }
  if (key.empty() || key.size() > kMaxKeyLength) {
    return common::fail(error(invalid, "Tag keys must be between 1 and 128 characters long: " + std::string(key)));
  }
  return common::ok();
}

// The repository named by `ref`, read inside the caller's write transaction.
Result<Repository> locked_repository(store::Db& db, const std::string& data_dir, const RepoRef& ref) {
  auto found = read_repository(db, data_dir, ref);
  if (!found.ok()) return common::fail(found.error());
  if (!*found) return common::fail(repository_not_found(ref.name));
  return std::move(**found);
}

Result<Repository> reread(store::Db& db, const std::string& data_dir, std::string_view id) {
  auto found = read_repository_by_id(db, data_dir, id);
  if (!found.ok()) return common::fail(found.error());
  if (!*found) return common::fail(error(Errc::Internal, "repository vanished inside its transaction"));
  return std::move(**found);
}

}  // namespace

Result<Repository> CodeCommitEngine::tag_repository(const RepoRef& ref,
                                                    const std::vector<std::pair<std::string, std::string>>& tags) {
  if (tags.empty()) return common::fail(error(Errc::TagsMapRequired, "A map of tags is required."));
  for (const auto& [key, value] : tags) {
    if (auto r = check_key(key, Errc::InvalidTagsMap); !r.ok()) return common::fail(r.error());
    if (value.size() > kMaxValueLength) {
      return common::fail(error(Errc::InvalidTagsMap, "Tag values can be at most 256 characters long: " + key));
    }
  }
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto repo = locked_repository(db_, data_dir_, ref);
  if (!repo.ok()) return common::fail(repo.error());
  std::set<std::string> keys;
  for (const auto& [key, value] : repo->tags) keys.insert(key);
  for (const auto& [key, value] : tags) keys.insert(key);
  if (keys.size() > kMaxTags) {
    return common::fail(error(Errc::TooManyTags,
                              "The maximum number of tags for a repository has been exceeded: a repository can have "
                              "up to 50 tags."));
  }
  for (const auto& [key, value] : tags) {
    auto r =
        Sql::execute(db_, "INSERT OR REPLACE INTO codecommit_repository_tags (repo_id, key, value) VALUES (?, ?, ?)",
                     [&](store::Statement& s) { s.bind(1, repo->id).bind(2, key).bind(3, value); });
    if (!r.ok()) return common::fail(r.error());
  }
  auto tagged = reread(db_, data_dir_, repo->id);
  if (!tagged.ok()) return common::fail(tagged.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return tagged;
}

Result<Repository> CodeCommitEngine::untag_repository(const RepoRef& ref, const std::vector<std::string>& keys) {
  if (keys.empty()) {
    return common::fail(error(Errc::TagKeysListRequired, "A list of tag keys is required. The list cannot be empty."));
  }
  for (const auto& key : keys) {
    if (auto r = check_key(key, Errc::InvalidTagKeysList); !r.ok()) return common::fail(r.error());
  }
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto repo = locked_repository(db_, data_dir_, ref);
  if (!repo.ok()) return common::fail(repo.error());
  for (const auto& key : keys) {
    auto r = Sql::execute(db_, "DELETE FROM codecommit_repository_tags WHERE repo_id = ? AND key = ?",
                          [&](store::Statement& s) { s.bind(1, repo->id).bind(2, key); });
    if (!r.ok()) return common::fail(r.error());
  }
  auto untagged = reread(db_, data_dir_, repo->id);
  if (!untagged.ok()) return common::fail(untagged.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return untagged;
}

}  // namespace codecommit
