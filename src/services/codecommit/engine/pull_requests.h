// Pull requests: rows in SQLite (pull requests with one target each, their approval rules,
// approval states, overrides and the events DescribePullRequestEvents lists), merged through
// MergeEngine, with the approval rule templates of the repository applied at creation, and the
// "CodeCommit Pull Request State Change" events on the bus.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

class PullRequestEngine {
 public:
  PullRequestEngine(CodeCommitEngine& repositories, MergeEngine& merges, TemplateSource templates);
  common::Status<> migrate();

  // The pull request `id` in the account and region (PullRequestDoesNotExist; InvalidPullRequestId
  // when `id` is not a pull request id).
  Result<PullRequestCommentTarget> comment_target(std::string_view account, std::string_view region,
                                                  std::string_view id) const;

 private:
  CodeCommitEngine& repositories_;
  MergeEngine& merges_;
  TemplateSource templates_;
};

}  // namespace codecommit
