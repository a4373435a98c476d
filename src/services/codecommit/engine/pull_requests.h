// Pull requests: rows in SQLite (pull requests with one target each, their approval rules,
// approval states, overrides and the events DescribePullRequestEvents lists), merged through
// MergeEngine, with the approval rule templates of the repository applied at creation, and the
// "CodeCommit Pull Request State Change" events on the bus.
//
// A pull request follows its branches: whenever one is read or changed, and whenever the bus
// reports a change of its source or destination branch (a push, a merge, a branch deletion),
// its targets are refreshed from git. A moved source gives a new revision (approvals and
// overrides belong to a revision, so they reset); a source that became part of the destination
// merges and closes the pull request; a deleted branch closes it.
// Thread-safe: one mutex serialises every change (and refresh) of pull requests.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/engine/merges.h"
#include "services/codecommit/model/approval_rule.h"

namespace codecommit {

// What comments need to know about a pull request (CommentEngine's PullRequestLookup).
struct PullRequestCommentTarget {
  std::string pull_request_id;
  std::string repository_name;
  std::string destination_commit;  // current target commits (beforeCommitId / afterCommitId)
  std::string source_commit;
  std::string status;  // OPEN | CLOSED
};

// A pull request as the API names it: its id ("1", "2"...) in an account and region.
struct PullRequestKey {
  std::string account;
  std::string region;
  std::string id;
};

struct PullRequestTarget {
  std::string repository_id;
  std::string repository_name;        // the repository's current name
  std::string source_reference;       // "refs/heads/feature"
  std::string destination_reference;  // "refs/heads/main"
  std::string source_commit;
  std::string destination_commit;
  std::string merge_base;  // "" when the branches share no history
  bool is_merged = false;
  std::string merged_by;     // "" when merged by a push nobody was recorded for
  std::string merge_commit;  // the destination's tip after the merge
  std::string merge_option;  // FAST_FORWARD_MERGE | SQUASH_MERGE | THREE_WAY_MERGE | "" (a push)
};

struct PullRequestApprovalRule {
  std::string id;  // uuid
  std::string name;
  std::string content;  // verbatim
  std::string content_sha256;
  common::TimePoint created{};
  common::TimePoint modified{};
  std::string last_modified_user;
  std::string template_id;  // "" unless the rule came from an approval rule template
  std::string template_name;
};

struct PullRequest {
  std::string id;
  std::string account;
  std::string region;
  std::string title;
  std::string description;
  std::string author_arn;
  std::string status;  // OPEN | CLOSED
  std::string client_request_token;
  std::string revision_id;
  common::TimePoint created{};
  common::TimePoint last_activity{};
  PullRequestTarget target;
  std::vector<PullRequestApprovalRule> rules;
};

struct NewPullRequest {
  std::string title;
  std::string description;
  std::string source_reference;       // "feature" or "refs/heads/feature"
  std::string destination_reference;  // "" = the repository's default branch
  std::string client_request_token;   // "" = none
};

// One row of DescribePullRequestEvents. `metadata` is the event's metadata member
// (`metadata_member`: "pullRequestCreatedEventMetadata"...), shaped as AWS's.
struct PullRequestEvent {
  std::string pull_request_id;
  std::string type;  // PULL_REQUEST_CREATED | PULL_REQUEST_STATUS_CHANGED | ...
  common::TimePoint date{};
  std::string actor;
  std::string metadata_member;
  common::Json metadata = common::Json::object();
};

struct ApprovalEvaluation {
  bool approved = false;  // every approval rule is satisfied
  bool overridden = false;
  std::vector<std::string> satisfied;
  std::vector<std::string> not_satisfied;
};

struct OverrideState {
  bool overridden = false;
  std::string overrider;
};

// A MergePullRequestBy* request: `input` carries the conflict and commit options (its source and
// destination are filled from the pull request).
struct PullRequestMerge {
  std::string repository_name;
  std::string source_commit_id;  // "" = the current source tip
  MergeOption option = MergeOption::FastForward;
  MergeInput input;
};

// Where a pull request lives, for IAM (read without refreshing).
struct PullRequestLocation {
  std::string repository_name;
  std::string destination_reference;
};

class PullRequestEngine {
 public:
  PullRequestEngine(CodeCommitEngine& repositories, MergeEngine& merges, TemplateSource templates);
  ~PullRequestEngine();
  PullRequestEngine(const PullRequestEngine&) = delete;
  PullRequestEngine& operator=(const PullRequestEngine&) = delete;
  common::Status<> migrate();

  // The pull request `id` in the account and region (PullRequestDoesNotExist; InvalidPullRequestId
  // when `id` is not a pull request id).
  Result<PullRequestCommentTarget> comment_target(std::string_view account, std::string_view region,
                                                  std::string_view id) const;

  // Opens a pull request from `request.source_reference` into the destination (branches only:
  // ReferenceTypeNotSupported, InvalidReferenceName, ReferenceDoesNotExist,
  // SourceAndDestinationAreSame), with a rule from each matching template of the repository. A
  // repeated client request token returns the first pull request, or fails with
  // IdempotencyParameterMismatch when the parameters differ.
  Result<PullRequest> create(const Repository& repo, const NewPullRequest& request, std::string_view caller_arn);
  Result<PullRequest> get(const PullRequestKey& key) const;
  // Ids in the repository, most recent activity first; "" filters match everything.
  Result<std::vector<std::string>> list(const Repository& repo, std::string_view author_arn,
                                        std::string_view status) const;
  Result<std::optional<PullRequestLocation>> location(const PullRequestKey& key) const;

  // PullRequestAlreadyClosed for a closed pull request.
  Result<PullRequest> update_title(const PullRequestKey& key, std::string title, std::string_view caller_arn);
  Result<PullRequest> update_description(const PullRequestKey& key, std::string description,
                                         std::string_view caller_arn);
  // OPEN -> CLOSED only (InvalidPullRequestStatusUpdate).
  Result<PullRequest> update_status(const PullRequestKey& key, std::string_view status, std::string_view caller_arn);
  // Oldest first; "" filters match everything.
  Result<std::vector<PullRequestEvent>> events(const PullRequestKey& key, std::string_view type,
                                               std::string_view actor_arn) const;

  // Approval rules (pull_request_approvals.cc). Changes need an open pull request.
  Result<PullRequestApprovalRule> create_rule(const PullRequestKey& key, std::string name, std::string content,
                                              std::string_view caller_arn);
  // `existing_sha256` "" = do not check (InvalidRuleContentSha256 when it differs).
  Result<PullRequestApprovalRule> update_rule(const PullRequestKey& key, std::string_view name,
                                              std::string_view existing_sha256, std::string content,
                                              std::string_view caller_arn);
  // The deleted rule's id; "" when there was none.
  Result<std::string> delete_rule(const PullRequestKey& key, std::string_view name, std::string_view caller_arn);

  // Approvals and overrides belong to a revision (InvalidRevisionId when it is not one of the
  // pull request's; RevisionNotCurrent where only the current one is allowed).
  Status update_approval_state(const PullRequestKey& key, std::string_view revision_id, bool approve,
                               std::string_view caller_arn);
  // The principals whose approval stands (REVOKE is not stored).
  Result<std::vector<std::string>> approvals(const PullRequestKey& key, std::string_view revision_id) const;
  Result<ApprovalEvaluation> evaluate(const PullRequestKey& key, std::string_view revision_id) const;
  Status override_rules(const PullRequestKey& key, std::string_view revision_id, bool override_rules,
                        std::string_view caller_arn);
  Result<OverrideState> override_state(const PullRequestKey& key, std::string_view revision_id) const;

  // Merges the source into the destination branch with `merge.option` (never deleting the
  // source branch) and closes the pull request (pull_request_merge.cc).
  Result<PullRequest> merge(const PullRequestKey& key, PullRequestMerge merge, std::string_view caller_arn);

 private:
  class Lock;

  // Reads the pull request (nullopt when absent or its repository is gone) after bringing an
  // open one up to date with its branches; `actor` and `merge_option` describe the change that
  // moved them when known. Caller holds the lock.
  Result<std::optional<PullRequest>> refresh_locked(int64_t id, const std::string& account, const std::string& region,
                                                    std::string_view actor, std::string_view merge_option) const;
  // refresh_locked, PullRequestDoesNotExist when absent.
  Result<PullRequest> require_locked(const PullRequestKey& key) const;
  // Applies the repository state changes the bus reported since the last call (a push to a
  // source or destination branch, a merge, a deleted branch) to the open pull requests.
  void watch_locked() const;
  void apply_ref_event(const events::Event& event) const;
  void on_bus_notify() const;

  CodeCommitEngine& repositories_;
  MergeEngine& merges_;
  TemplateSource templates_;
  mutable std::mutex mutex_;
  mutable int64_t watch_cursor_ = -1;    // last bus sequence applied; -1 before migrate()
  mutable std::string watch_cursor_id_;  // that event's id ("" when none): a reset log reuses seqs
  int subscription_ = 0;
};

}  // namespace codecommit
