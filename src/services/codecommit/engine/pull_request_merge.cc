// MergePullRequestByFastForward / BySquash / ByThreeWay: the checks AWS makes (open, the source
// tip the caller saw, approval rules satisfied or overridden, the right repository), then
// MergeEngine merges the source commit into the destination branch (the source branch is never
// touched) and the pull request is closed as merged.
#include "services/codecommit/engine/pull_request_internal.h"

namespace codecommit {
namespace {

Status check_mergeable(const PullRequest& pr, const PullRequestMerge& merge, const ApprovalEvaluation& evaluation) {
  if (pr.status != kOpen) {
    return common::fail(error(Errc::PullRequestAlreadyClosed, "The pull request is closed. Pull request ID: " + pr.id));
  }
  if (!merge.source_commit_id.empty()) {
    if (merge.source_commit_id.size() != 40 || !looks_like_object_id(merge.source_commit_id)) {
      return common::fail(error(Errc::InvalidCommitId, "The specified commit ID is not valid."));
    }
    if (merge.source_commit_id != pr.target.source_commit) {
      return common::fail(error(Errc::TipOfSourceReferenceIsDifferent,
                                "The tip of the source branch in the destination repository does not match the tip of "
                                "the source branch specified in your request. The pull request might have been "
                                "updated. Make sure that you have the latest changes."));
    }
  }
  if (!evaluation.approved && !evaluation.overridden) {
    return common::fail(error(Errc::PullRequestApprovalRulesNotSatisfied,
                              "The pull request cannot be merged because one or more approval rules applied to the "
                              "pull request have conditions that have not been met."));
  }
  return common::ok();
}

}  // namespace

Result<PullRequest> PullRequestEngine::merge(const PullRequestKey& key, PullRequestMerge merge,
                                             std::string_view caller_arn) {
  Lock lock(*this);
  auto pr = require_locked(key);
  if (!pr.ok()) return common::fail(pr.error());
  store::Db& db = repositories_.db();
  auto repo = read_repository_by_id(db, repositories_.data_dir(), pr->target.repository_id);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo || (*repo)->name != merge.repository_name) {
    return common::fail(error(Errc::RepositoryNotAssociatedWithPullRequest,
                              "The repository does not contain any pull requests with that pull request ID. Use "
                              "GetPullRequest to verify the correct repository name for the pull request ID."));
  }
  auto evaluation = evaluate_rules(db, *pr, pr->revision_id);
  if (!evaluation.ok()) return common::fail(evaluation.error());
  if (auto r = check_mergeable(*pr, merge, *evaluation); !r.ok()) return common::fail(r.error());

  // The commit the caller approved, not whatever the branch points at by now.
  std::string destination_branch = pr->target.destination_reference.substr(kHeadsPrefix.size());
  merge.input.source = pr->target.source_commit;
  merge.input.destination = destination_branch;
  auto outcome = merges_.merge_branches(**repo, merge.option, merge.input, destination_branch, caller_arn);
  if (!outcome.ok()) return common::fail(outcome.error());

  pr->status = std::string(kClosed);
  PullRequestTarget& t = pr->target;
  t.is_merged = true;
  t.merged_by = std::string(caller_arn);
  t.merge_commit = outcome->commit_id;
  t.merge_option = std::string(merge_option_name(merge.option));
  if (!outcome->commits.destination_commit_id.empty()) t.destination_commit = outcome->commits.destination_commit_id;
  if (!outcome->commits.base_commit_id.empty()) t.merge_base = outcome->commits.base_commit_id;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto r = Sql::execute(db,
                          "UPDATE codecommit_pull_requests SET status = 'CLOSED', destination_commit = ?, "
                          "merge_base = ?, is_merged = 1, merged_by = ?, merge_commit = ?, merge_option = ? "
                          "WHERE account = ? AND region = ? AND id = ?",
                          [&](store::Statement& s) {
                            s.bind(1, t.destination_commit).bind(2, t.merge_base).bind(3, t.merged_by);
                            s.bind(4, t.merge_commit).bind(5, t.merge_option).bind(6, pr->account);
                            s.bind(7, pr->region).bind(8, pull_request_number(*pr));
                          });
    if (!r.ok()) return common::fail(r.error());
    PullRequestChange change{"PULL_REQUEST_MERGE_STATE_CHANGED",
                             "pullRequestMergedStateChangedEventMetadata",
                             {{"repositoryName", t.repository_name},
                              {"destinationReference", t.destination_reference},
                              {"mergeMetadata", merge_metadata_json(t)}},
                             "pullRequestMergeStatusUpdated"};
    if (auto c = record_change(repositories_, *pr, caller_arn, change); !c.ok()) return common::fail(c.error());
    if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  }
  repositories_.bus().notify();
  // The merge moved the destination: the other pull requests on it follow now.
  watch_locked();
  return require_locked(key);
}

}  // namespace codecommit
