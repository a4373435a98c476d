// Comments on pull requests and on compared commits: rows in SQLite (content, location, replies,
// reactions), and the "CodeCommit Comment on Pull Request" / "CodeCommit Comment on Commit"
// events on the bus.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/engine/pull_requests.h"

namespace codecommit {

// The pull request a comment is about (PullRequestEngine::comment_target).
using PullRequestLookup = std::function<Result<PullRequestCommentTarget>(
    std::string_view account, std::string_view region, std::string_view pull_request_id)>;

class CommentEngine {
 public:
  CommentEngine(CodeCommitEngine& repositories, PullRequestLookup pull_requests);
  common::Status<> migrate();

 private:
  CodeCommitEngine& repositories_;
  PullRequestLookup pull_requests_;
};

}  // namespace codecommit
