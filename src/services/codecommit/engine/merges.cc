// Merges: the commits resolved from the specifiers, the merge computed as a plan
// (merge_plan.cc), the commit written with commit-tree (squash: the destination as only parent;
// three-way: destination then source) and the target branch moved with update-ref <new> <old>,
// so a branch that moved meanwhile fails the merge (ConcurrentReferenceUpdate) instead of losing
// a commit. A source already merged into the destination is nothing to do: the destination is
// the result and no branch moves. No merge ever deletes or moves the source branch.
#include "services/codecommit/engine/merges.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "services/codecommit/engine/merge_internal.h"

namespace codecommit {

using merge_detail::MergePlan;
using merge_detail::MergeSettings;

std::optional<MergeOption> parse_merge_option(std::string_view name) {
  if (name == "FAST_FORWARD_MERGE") return MergeOption::FastForward;
  if (name == "SQUASH_MERGE") return MergeOption::Squash;
  if (name == "THREE_WAY_MERGE") return MergeOption::ThreeWay;
  return std::nullopt;
}

std::string_view merge_option_name(MergeOption option) {
  switch (option) {
    case MergeOption::FastForward: return "FAST_FORWARD_MERGE";
    case MergeOption::Squash: return "SQUASH_MERGE";
    case MergeOption::ThreeWay: return "THREE_WAY_MERGE";
  }
  return "";
}

namespace {

constexpr std::string_view kHeads = "refs/heads/";

Error manual_merge_required() {
  return error(Errc::ManualMergeRequired,
               "The pull request cannot be merged automatically into the destination branch. You must manually "
               "merge the branches and resolve any conflicts.");
}

Error invalid_merge_option() {
  return error(Errc::InvalidMergeOption,
               "The specified merge option is not valid for this operation. Not all merge strategies are supported "
               "for all operations.");
}

Error concurrent_update() {
  return error(Errc::ConcurrentReferenceUpdate,
               "The merge cannot be completed because the target branch has been modified. Another user might have "
               "modified the target branch while the merge was in progress. Wait a few minutes, and then try again.");
}

std::string detail_level(const MergeInput& input) {
  return input.conflict_detail_level.empty() ? "FILE_LEVEL" : input.conflict_detail_level;
}

std::string strategy(const MergeInput& input) {
  return input.conflict_resolution_strategy.empty() ? "NONE" : input.conflict_resolution_strategy;
}

Status check_settings(const MergeInput& input) {
  std::string level = detail_level(input);
  if (level != "FILE_LEVEL" && level != "LINE_LEVEL") {
    return common::fail(error(Errc::InvalidConflictDetailLevel, "The specified conflict detail level is not valid."));
  }
  static const std::set<std::string> kStrategies{"NONE", "ACCEPT_SOURCE", "ACCEPT_DESTINATION", "AUTOMERGE"};
  if (kStrategies.count(strategy(input)) == 0) {
    return common::fail(
        error(Errc::InvalidConflictResolutionStrategy, "The specified conflict resolution strategy is not valid."));
  }
  return common::ok();
}

// AUTOMERGE merges the lines of files both sides changed, whatever the detail level.
MergeSettings settings_of(const MergeInput& input) {
  return MergeSettings{detail_level(input) == "LINE_LEVEL" || strategy(input) == "AUTOMERGE", strategy(input)};
}

Result<std::string> resolve(const CodeCommitEngine& engine, const Repository& repo, const std::string& specifier) {
  if (specifier.empty()) return common::fail(error(Errc::CommitRequired, "A commit was not specified."));
  return engine.resolve_commit_specifier(repo, specifier);
}

Result<std::string> tree_of(const Repository& repo, const std::string& commit) {
  return run_git(repo, {"rev-parse", "--verify", commit + "^{tree}"});
}

// The plan after the resolution strategy (conflicts left are the ones the caller must resolve).
Result<std::unique_ptr<MergePlan>> analyze(const Repository& repo, const MergeCommits& commits,
                                           const MergeInput& input) {
  auto plan = std::make_unique<MergePlan>();
  if (auto r = merge_detail::plan_merge(repo, commits, settings_of(input), *plan); !r.ok()) {
    return common::fail(r.error());
  }
  if (auto r = merge_detail::apply_strategy(repo, *plan); !r.ok()) return common::fail(r.error());
  return plan;
}

Result<std::string> commit_tree(const CodeCommitEngine& engine, const Repository& repo, const std::string& tree,
                                const std::vector<std::string>& parents, const MergeInput& input,
                                std::string_view caller_arn) {
  std::string date = std::to_string(static_cast<int64_t>(common::to_epoch_seconds(engine.clock().now()))) + " +0000";
  std::string name = input.author_name.empty() ? default_author_name(caller_arn) : input.author_name;
  std::map<std::string, std::string> env{
      {"GIT_AUTHOR_NAME", name},    {"GIT_AUTHOR_EMAIL", input.email},    {"GIT_AUTHOR_DATE", date},
      {"GIT_COMMITTER_NAME", name}, {"GIT_COMMITTER_EMAIL", input.email}, {"GIT_COMMITTER_DATE", date}};
  std::vector<std::string> args{"commit-tree", tree};
  for (const auto& parent : parents) args.insert(args.end(), {"-p", parent});
  std::string message =
      input.message.empty() ? "Merge " + input.source + " into " + input.destination + "\n" : input.message;
  return run_git(repo, args, env, std::move(message));
}

// The branch a merge moves: the target, else the destination specifier's branch.
Result<Branch> target_of(const CodeCommitEngine& engine, const Repository& repo, const MergeInput& input,
                         std::string_view target_branch) {
  std::string name(target_branch.empty() ? std::string_view(input.destination) : target_branch);
  if (name.rfind(kHeads, 0) == 0) name = name.substr(kHeads.size());
  auto valid = git_in(repo, {"check-ref-format", std::string(kHeads) + name}, true);
  if (!valid.ok()) return common::fail(valid.error());
  if (name.empty() || valid->exit_code != 0) {
    return common::fail(error(Errc::InvalidTargetBranch, "The specified target branch is not valid."));
  }
  auto branch = engine.get_branch(repo, name);
  if (branch.ok() || branch.error().code != Errc::BranchDoesNotExist) return branch;
  auto tag = git_in(repo, {"show-ref", "--verify", "-q", "refs/tags/" + name}, true);
  if (!tag.ok()) return common::fail(tag.error());
  if (tag->exit_code == 0) {
    return common::fail(
        error(Errc::BranchNameIsTagName, "The specified branch name is not valid because it is a tag name: " + name));
  }
  return branch;
}

}  // namespace

std::string default_merge_author(std::string_view caller_arn) { return default_author_name(caller_arn); }

MergeEngine::MergeEngine(CodeCommitEngine& repositories) : repositories_(repositories) {}

namespace {

struct Resolved {
  MergeCommits commits;
  bool already_merged = false;  // the source is the destination or one of its ancestors
  bool fast_forward = false;    // the destination is the source or one of its ancestors
};

Result<Resolved> resolve_commits(const CodeCommitEngine& engine, const MergeEngine& merges, const Repository& repo,
                                 const MergeInput& input) {
  if (auto r = check_settings(input); !r.ok()) return common::fail(r.error());
  auto source = resolve(engine, repo, input.source);
  if (!source.ok()) return common::fail(source.error());
  auto destination = resolve(engine, repo, input.destination);
  if (!destination.ok()) return common::fail(destination.error());
  auto base = merges.merge_base(repo, *source, *destination);
  if (!base.ok()) return common::fail(base.error());
  Resolved out;
  out.commits = MergeCommits{*source, *destination, base->value_or("")};
  out.already_merged = out.commits.base_commit_id == *source;
  out.fast_forward = out.commits.base_commit_id == *destination;
  return out;
}

// The result of merging (no commit written for a fast-forward or a source already merged).
Result<MergeOutcome> compute(const CodeCommitEngine& engine, const Repository& repo, MergeOption option,
                             const MergeInput& input, const Resolved& resolved, std::string_view caller_arn) {
  const MergeCommits& commits = resolved.commits;
  MergeOutcome outcome;
  outcome.commits = commits;
  if (resolved.already_merged || option == MergeOption::FastForward) {
    if (!resolved.already_merged && !resolved.fast_forward) return common::fail(manual_merge_required());
    outcome.commit_id = resolved.already_merged ? commits.destination_commit_id : commits.source_commit_id;
    auto tree = tree_of(repo, outcome.commit_id);
    if (!tree.ok()) return common::fail(tree.error());
    outcome.tree_id = *tree;
    return outcome;
  }
  auto plan = analyze(repo, commits, input);
  if (!plan.ok()) return common::fail(plan.error());
  if (auto r = merge_detail::apply_resolution(repo, **plan, input.resolution); !r.ok()) return common::fail(r.error());
  if (!(*plan)->conflicts.empty()) return common::fail(manual_merge_required());
  if (input.keep_empty_folders) {
    if (auto r = merge_detail::keep_empty_folders(repo, **plan); !r.ok()) return common::fail(r.error());
  }
  auto tree = write_tree(repo, (*plan)->merged);
  if (!tree.ok()) return common::fail(tree.error());
  outcome.tree_id = *tree;
  std::vector<std::string> parents{commits.destination_commit_id};
  if (option == MergeOption::ThreeWay) parents.push_back(commits.source_commit_id);
  auto commit = commit_tree(engine, repo, *tree, parents, input, caller_arn);
  if (!commit.ok()) return common::fail(commit.error());
  outcome.commit_id = *commit;
  return outcome;
}

}  // namespace

Result<MergeOutcome> MergeEngine::merge_branches(const Repository& repo, MergeOption option, const MergeInput& input,
                                                 std::string_view target_branch, std::string_view caller_arn) {
  auto resolved = resolve_commits(repositories_, *this, repo, input);
  if (!resolved.ok()) return common::fail(resolved.error());
  auto target = target_of(repositories_, repo, input, target_branch);
  if (!target.ok()) return common::fail(target.error());
  const MergeCommits& commits = resolved->commits;
  // The merge is computed against the destination commit: the branch must still be there.
  if (target->commit_id != commits.destination_commit_id) return common::fail(concurrent_update());
  auto outcome = compute(repositories_, repo, option, input, *resolved, caller_arn);
  if (!outcome.ok() || outcome->commit_id == commits.destination_commit_id) return outcome;
  RefChange change{std::string(kHeads) + target->name, commits.destination_commit_id, outcome->commit_id};
  MergeEventFields fields{commits.base_commit_id,        commits.source_commit_id,
                          commits.destination_commit_id, std::string(merge_option_name(option)),
                          detail_level(input),           strategy(input)};
  {
    store::Transaction tx(repositories_.db(), store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto moved = git_in(repo, {"update-ref", change.ref, change.new_commit, change.old_commit}, true);
    if (!moved.ok()) return common::fail(moved.error());
    if (moved->exit_code != 0) return common::fail(concurrent_update());
    if (auto r = append_merge_event(repositories_.db(), repositories_.data_dir(), repositories_.bus(), repo, change,
                                    caller_arn, fields);
        !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return outcome;
}

Result<MergeOutcome> MergeEngine::create_unreferenced_merge_commit(const Repository& repo, MergeOption option,
                                                                   const MergeInput& input) {
  if (option == MergeOption::FastForward) return common::fail(invalid_merge_option());
  auto resolved = resolve_commits(repositories_, *this, repo, input);
  if (!resolved.ok()) return common::fail(resolved.error());
  return compute(repositories_, repo, option, input, *resolved, "");
}

Result<std::optional<std::string>> MergeEngine::merge_base(const Repository& repo, std::string_view a,
                                                           std::string_view b) const {
  auto r = git_in(repo, {"merge-base", std::string(a), std::string(b)}, /*allow_failure=*/true);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code == 1) return std::optional<std::string>();  // no common ancestor
  if (r->exit_code != 0) return common::fail(error(Errc::Internal, "git merge-base: " + r->err));
  std::string base = r->out.substr(0, r->out.find('\n'));
  return std::optional<std::string>(std::move(base));
}

Result<bool> MergeEngine::is_ancestor(const Repository& repo, std::string_view ancestor,
                                      std::string_view descendant) const {
  auto r = git_in(repo, {"merge-base", "--is-ancestor", std::string(ancestor), std::string(descendant)},
                  /*allow_failure=*/true);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code == 0) return true;
  if (r->exit_code == 1) return false;
  return common::fail(error(Errc::Internal, "git merge-base --is-ancestor: " + r->err));
}

Result<MergeConflictList> MergeEngine::get_merge_conflicts(const Repository& repo, MergeOption option,
                                                           const MergeInput& input) const {
  auto resolved = resolve_commits(repositories_, *this, repo, input);
  if (!resolved.ok()) return common::fail(resolved.error());
  MergeConflictList out;
  out.commits = resolved->commits;
  if (resolved->already_merged || resolved->fast_forward || option == MergeOption::FastForward) {
    out.mergeable = resolved->already_merged || resolved->fast_forward;
    return out;
  }
  auto plan = analyze(repo, out.commits, input);
  if (!plan.ok()) return common::fail(plan.error());
  for (auto& c : (*plan)->conflicts) out.conflicts.push_back(std::move(c.metadata));
  out.mergeable = out.conflicts.empty();
  return out;
}

Result<MergeOptionList> MergeEngine::get_merge_options(const Repository& repo, const MergeInput& input) const {
  auto resolved = resolve_commits(repositories_, *this, repo, input);
  if (!resolved.ok()) return common::fail(resolved.error());
  MergeOptionList out;
  out.commits = resolved->commits;
  bool clean = resolved->already_merged || resolved->fast_forward;
  if (!clean) {
    auto plan = analyze(repo, out.commits, input);
    if (!plan.ok()) return common::fail(plan.error());
    clean = (*plan)->conflicts.empty();
  }
  if (resolved->already_merged || resolved->fast_forward) out.options.push_back(MergeOption::FastForward);
  if (clean) out.options.insert(out.options.end(), {MergeOption::Squash, MergeOption::ThreeWay});
  return out;
}

namespace {

Result<ConflictDescription> describe(const Repository& repo, const MergePlan& plan, MergeConflict metadata) {
  ConflictDescription out;
  out.conflict = std::move(metadata);
  const std::string& path = out.conflict.path;
  auto blob_of = [&](const PathMap& paths, const MergeSide& side) -> std::optional<std::string> {
    if (!side.exists) return std::string();
    auto it = paths.find(path);
    if (it == paths.end() || side.object_type != "FILE" || side.binary) return std::nullopt;
    return it->second.id;
  };
  auto base = blob_of(plan.base, out.conflict.base);
  auto source = blob_of(plan.source, out.conflict.source);
  auto destination = blob_of(plan.destination, out.conflict.destination);
  if (!base || !source || !destination) return out;  // hunks are for text files only
  auto hunks = merge_detail::merge_hunks(repo, *base, *source, *destination);
  if (!hunks.ok()) return common::fail(hunks.error());
  out.hunks = std::move(*hunks);
  return out;
}

// A path that is not in conflict, described all the same (its versions, no conflict flags).
Result<std::optional<MergeConflict>> unconflicted(const Repository& repo, const MergePlan& plan,
                                                  const std::string& path) {
  auto find = [&](const PathMap& paths) -> const TreeEntry* {
    auto it = paths.find(path);
    return it == paths.end() ? nullptr : &it->second;
  };
  const TreeEntry* base = find(plan.base);
  const TreeEntry* source = find(plan.source);
  const TreeEntry* destination = find(plan.destination);
  if (base == nullptr && source == nullptr && destination == nullptr) return std::optional<MergeConflict>();
  MergeConflict m;
  m.path = path;
  auto b = merge_detail::describe_side(repo, base);
  auto s = merge_detail::describe_side(repo, source);
  auto d = merge_detail::describe_side(repo, destination);
  if (!b.ok() || !s.ok() || !d.ok()) return common::fail(!b.ok() ? b.error() : !s.ok() ? s.error() : d.error());
  m.base = *b;
  m.source = *s;
  m.destination = *d;
  auto op = [&](const TreeEntry* side) -> std::string {
    if (side == nullptr) return base == nullptr ? "" : "D";
    if (base == nullptr) return "A";
    return side->id == base->id && side->mode == base->mode ? "" : "M";
  };
  m.source_operation = op(source);
  m.destination_operation = op(destination);
  return std::optional<MergeConflict>(std::move(m));
}

}  // namespace

Result<ConflictDescriptions> MergeEngine::describe_merge_conflicts(const Repository& repo, MergeOption option,
                                                                   const MergeInput& input,
                                                                   const std::vector<std::string>& paths) const {
  if (option == MergeOption::FastForward) return common::fail(invalid_merge_option());
  auto resolved = resolve_commits(repositories_, *this, repo, input);
  if (!resolved.ok()) return common::fail(resolved.error());
  auto plan = analyze(repo, resolved->commits, input);
  if (!plan.ok()) return common::fail(plan.error());
  ConflictDescriptions out;
  out.commits = resolved->commits;
  std::vector<MergeConflict> chosen;
  if (paths.empty()) {
    for (const auto& c : (*plan)->conflicts) chosen.push_back(c.metadata);
  }
  for (const auto& raw : paths) {
    auto path = normalize_path(raw);
    if (!path || path->empty()) {
      out.errors.emplace_back(raw, error(Errc::InvalidPath, "The specified path is not valid: " + raw));
      continue;
    }
    auto conflict = std::find_if((*plan)->conflicts.begin(), (*plan)->conflicts.end(),
                                 [&](const auto& c) { return c.metadata.path == *path; });
    if (conflict != (*plan)->conflicts.end()) {
      chosen.push_back(conflict->metadata);
      continue;
    }
    auto other = unconflicted(repo, **plan, *path);
    if (!other.ok()) return common::fail(other.error());
    if (!*other) {
      out.errors.emplace_back(raw, error(Errc::FileDoesNotExist, "The specified file does not exist: " + raw));
      continue;
    }
    chosen.push_back(std::move(**other));
  }
  for (auto& metadata : chosen) {
    auto described = describe(repo, **plan, std::move(metadata));
    if (!described.ok()) return common::fail(described.error());
    out.described.push_back(std::move(*described));
  }
  return out;
}

Result<MergedCommit> MergeEngine::get_merge_commit(const Repository& repo, const MergeInput& input) const {
  auto resolved = resolve_commits(repositories_, *this, repo, input);
  if (!resolved.ok()) return common::fail(resolved.error());
  MergedCommit out;
  out.commits = resolved->commits;
  if (!resolved->already_merged) return out;
  const std::string& source = out.commits.source_commit_id;
  const std::string& destination = out.commits.destination_commit_id;
  // The oldest commit of the destination's first-parent line that contains the source: the merge
  // commit that brought it in, or the source itself after a fast-forward.
  auto descendants = git_in(repo, {"rev-list", "--ancestry-path", source + ".." + destination});
  auto line = git_in(repo, {"rev-list", "--first-parent", destination});
  if (!descendants.ok()) return common::fail(descendants.error());
  if (!line.ok()) return common::fail(line.error());
  std::set<std::string_view> containing;
  for (size_t pos = 0; pos + 40 <= descendants->out.size(); pos += 41) {
    containing.insert(std::string_view(descendants->out).substr(pos, 40));
  }
  std::string found;
  for (size_t pos = 0; pos + 40 <= line->out.size(); pos += 41) {
    std::string_view commit = std::string_view(line->out).substr(pos, 40);
    if (commit == source || containing.count(commit) != 0) found = std::string(commit);
    if (commit == source || containing.count(commit) == 0) break;
  }
  if (!found.empty()) out.merged_commit_id = found;
  return out;
}

}  // namespace codecommit
