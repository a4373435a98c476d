// Branches and tags: read with git for-each-ref, changed with git update-ref (with the expected
// old value, so two concurrent changes of one ref cannot both succeed), and the event each
// change publishes, appended in the same write transaction as any row it touches.
#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kTags = "refs/tags/";

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Error branch_not_found(std::string_view name) {
  return error(Errc::BranchDoesNotExist, "Could not find branch " + std::string(name));
}

// "<object id> <ref name>" lines.
std::vector<std::pair<std::string, std::string>> parse_ref_lines(const std::string& out) {
  std::vector<std::pair<std::string, std::string>> refs;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    std::string_view line(out.data() + pos, end - pos);
    size_t space = line.find(' ');
    if (space != std::string_view::npos) {
      refs.emplace_back(std::string(line.substr(space + 1)), std::string(line.substr(0, space)));
    }
    pos = end + 1;
  }
  return refs;
}

Status check_branch_name(const Repository& repo, std::string_view name) {
  auto r = git_in(repo, {"check-ref-format", "refs/heads/" + std::string(name)}, true);
  if (!r.ok()) return common::fail(r.error());
  if (name.empty() || r->exit_code != 0) {
    return common::fail(error(Errc::InvalidBranchName, "The specified reference name is not valid."));
  }
  return common::ok();
}

// The commit `commit_id` names (full id), CommitDoesNotExist when there is none.
Result<std::string> resolve_commit(const Repository& repo, std::string_view commit_id) {
  if (!looks_like_object_id(commit_id)) {
    return common::fail(error(Errc::InvalidCommitId, "The specified commit ID is not valid."));
  }
  auto r = git_in(repo, {"rev-parse", "--verify", "-q", std::string(commit_id) + "^{commit}"}, true);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code != 0 || r->out.size() < 40) {
    return common::fail(error(Errc::CommitDoesNotExist, "Could not find commit " + std::string(commit_id)));
  }
  return r->out.substr(0, 40);
}

// The default branch a batch of changes gives a repository that has none: "main" when it is
// among the branches created, else the first created.
std::string first_default(const std::vector<RefChange>& changes) {
  std::string chosen;
  for (const auto& change : changes) {
    bool created = change.new_commit != git::kZeroId && change.old_commit == git::kZeroId;
    if (!created || !starts_with(change.ref, kHeads)) continue;
    std::string name = change.ref.substr(kHeads.size());
    if (name == "main") return name;
    if (chosen.empty()) chosen = name;
  }
  return chosen;
}

}  // namespace

Status append_ref_event(events::Bus& bus, const Repository& repo, const RefChange& change,
                        std::string_view caller_arn) {
  std::string type, name;
  if (starts_with(change.ref, kHeads)) {
    type = "branch";
    name = change.ref.substr(kHeads.size());
  } else if (starts_with(change.ref, kTags)) {
    type = "tag";
    name = change.ref.substr(kTags.size());
  } else {
    return common::ok();  // refs/notes, refs/pull...: CodeCommit reports branches and tags only
  }
  bool created = change.old_commit == git::kZeroId;
  bool deleted = change.new_commit == git::kZeroId;
  common::Json detail = {
      {"event", created   ? "referenceCreated"
                : deleted ? "referenceDeleted"
                          : "referenceUpdated"},
      {"repositoryName", repo.name},
      {"repositoryId", repo.id},
      {"referenceType", type},
      {"referenceName", name},
      {"referenceFullName", change.ref},
  };
  if (!deleted) detail["commitId"] = change.new_commit;
  if (!created) detail["oldCommitId"] = change.old_commit;
  if (!caller_arn.empty()) detail["callerUserArn"] = std::string(caller_arn);
  events::Event event;
  event.source = "aws.codecommit";
  event.detail_type = "CodeCommit Repository State Change";
  event.account = repo.account;
  event.region = repo.region;
  event.resources = {repo.arn};
  event.detail = std::move(detail);
  if (auto r = bus.append(event); !r.ok()) return common::fail(internal_error(r.error()));
  return common::ok();
}

Result<std::vector<std::pair<std::string, std::string>>> CodeCommitEngine::refs(const Repository& repo) const {
  auto r = git_in(repo, {"for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags"});
  if (!r.ok()) return common::fail(r.error());
  return parse_ref_lines(r->out);
}

Result<std::vector<Branch>> CodeCommitEngine::list_branches(const Repository& repo) const {
  auto r = git_in(repo, {"for-each-ref", "--format=%(objectname) %(refname)", "refs/heads"});
  if (!r.ok()) return common::fail(r.error());
  std::vector<Branch> out;
  for (auto& [ref, id] : parse_ref_lines(r->out)) out.push_back(Branch{ref.substr(kHeads.size()), id});
  return out;
}

Result<Branch> CodeCommitEngine::get_branch(const Repository& repo, std::string_view name) const {
  if (name.empty()) return common::fail(branch_not_found(name));
  auto r = git_in(repo, {"show-ref", "--verify", "--", "refs/heads/" + std::string(name)}, true);
  if (!r.ok()) return common::fail(r.error());
  auto lines = parse_ref_lines(r->out);
  if (r->exit_code != 0 || lines.empty()) return common::fail(branch_not_found(name));
  return Branch{std::string(name), lines.front().second};
}

Result<Branch> CodeCommitEngine::create_branch(const Repository& repo, std::string_view name,
                                               std::string_view commit_id, std::string_view caller_arn) {
  if (auto r = check_branch_name(repo, name); !r.ok()) return common::fail(r.error());
  auto commit = resolve_commit(repo, commit_id);
  if (!commit.ok()) return common::fail(commit.error());
  std::string ref = "refs/heads/" + std::string(name);
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    // The zero id as the expected old value: fails when the branch exists (or appeared meanwhile).
    auto updated = git_in(repo, {"update-ref", ref, *commit, std::string(git::kZeroId)}, true);
    if (!updated.ok()) return common::fail(updated.error());
    if (updated->exit_code != 0) {
      return common::fail(error(Errc::BranchNameExists,
                                "Cannot create branch. A branch named " + std::string(name) + " already exists."));
    }
    std::vector<RefChange> changes{RefChange{ref, std::string(git::kZeroId), *commit}};
    if (auto r = record_in_tx(db_, data_dir_, bus_, repo, changes, caller_arn); !r.ok()) return common::fail(r.error());
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  bus_.notify();
  return Branch{std::string(name), *commit};
}

Result<Branch> CodeCommitEngine::delete_branch(const Repository& repo, std::string_view name,
                                               std::string_view caller_arn) {
  Branch deleted;
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    // The default branch as committed now, not as the caller's copy of the row says.
    auto current = read_repository_by_id(db_, data_dir_, repo.id);
    if (!current.ok()) return common::fail(current.error());
    if (!*current) return common::fail(repository_not_found(repo.name));
    auto branch = get_branch(repo, name);
    if (!branch.ok()) return common::fail(branch.error());
    if ((*current)->default_branch == name) {
      return common::fail(
          error(Errc::DefaultBranchCannotBeDeleted, "The default branch of a repository cannot be deleted."));
    }
    std::string ref = "refs/heads/" + std::string(name);
    auto updated = git_in(repo, {"update-ref", "-d", ref, branch->commit_id}, true);
    if (!updated.ok()) return common::fail(updated.error());
    if (updated->exit_code != 0) return common::fail(branch_not_found(name));
    std::vector<RefChange> changes{RefChange{ref, branch->commit_id, std::string(git::kZeroId)}};
    if (auto r = record_in_tx(db_, data_dir_, bus_, **current, changes, caller_arn); !r.ok())
      return common::fail(r.error());
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
    deleted = std::move(*branch);
  }
  bus_.notify();
  return deleted;
}

Status record_in_tx(store::Db& db, const std::string& data_dir, events::Bus& bus, const Repository& repo,
                    const std::vector<RefChange>& changes, std::string_view caller_arn) {
  auto current = read_repository_by_id(db, data_dir, repo.id);
  if (!current.ok()) return common::fail(current.error());
  if (!*current) return common::fail(repository_not_found(repo.name));
  const Repository& row = **current;
  if (row.default_branch.empty()) {
    if (std::string chosen = first_default(changes); !chosen.empty()) {
      auto r = Sql::execute(db, "UPDATE codecommit_repositories SET default_branch = ? WHERE id = ?",
                            [&](store::Statement& s) { s.bind(1, chosen).bind(2, row.id); });
      if (!r.ok()) return r;
      if (auto h = set_head(row, chosen); !h.ok()) return h;
    }
  }
  for (const auto& change : changes) {
    if (auto r = append_ref_event(bus, row, change, caller_arn); !r.ok()) return r;
  }
  return common::ok();
}

Status append_merge_event(store::Db& db, const std::string& data_dir, events::Bus& bus, const Repository& repo,
                          const RefChange& change, std::string_view caller_arn, const MergeEventFields& merge) {
  auto current = read_repository_by_id(db, data_dir, repo.id);
  if (!current.ok()) return common::fail(current.error());
  if (!*current) return common::fail(repository_not_found(repo.name));
  const Repository& row = **current;
  common::Json detail = {
      {"event", "referenceUpdated"},
      {"repositoryName", row.name},
      {"repositoryId", row.id},
      {"referenceType", "branch"},
      {"referenceName", change.ref.substr(std::min(change.ref.size(), kHeads.size()))},
      {"referenceFullName", change.ref},
      {"commitId", change.new_commit},
      {"oldCommitId", change.old_commit},
      {"sourceCommitId", merge.source_commit_id},
      {"destinationCommitId", merge.destination_commit_id},
      {"mergeOption", merge.merge_option},
      {"conflictDetailsLevel", merge.conflict_detail_level},
      {"conflictResolutionStrategy", merge.conflict_resolution_strategy},
  };
  if (!merge.base_commit_id.empty()) detail["baseCommitId"] = merge.base_commit_id;
  if (!caller_arn.empty()) detail["callerUserArn"] = std::string(caller_arn);
  events::Event event;
  event.source = "aws.codecommit";
  event.detail_type = "CodeCommit Repository State Change";
  event.account = row.account;
  event.region = row.region;
  event.resources = {row.arn};
  event.detail = std::move(detail);
  if (auto r = bus.append(event); !r.ok()) return common::fail(internal_error(r.error()));
  return common::ok();
}

}  // namespace codecommit
