#include "services/codecommit/engine/comments.h"

#include "services/codecommit/engine/internal.h"

namespace codecommit {

CommentEngine::CommentEngine(CodeCommitEngine& repositories, PullRequestLookup pull_requests)
    : repositories_(repositories), pull_requests_(std::move(pull_requests)) {}

common::Status<> CommentEngine::migrate() { return common::ok(); }

}  // namespace codecommit
