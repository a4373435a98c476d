#include "services/codecommit/engine/pull_requests.h"

#include "services/codecommit/engine/internal.h"

namespace codecommit {

PullRequestEngine::PullRequestEngine(CodeCommitEngine& repositories, MergeEngine& merges, TemplateSource templates)
    : repositories_(repositories), merges_(merges), templates_(std::move(templates)) {}

common::Status<> PullRequestEngine::migrate() { return common::ok(); }

Result<PullRequestCommentTarget> PullRequestEngine::comment_target(std::string_view, std::string_view,
                                                                   std::string_view id) const {
  return common::fail(error(Errc::PullRequestDoesNotExist, "Pull request " + std::string(id) + " does not exist."));
}

}  // namespace codecommit
