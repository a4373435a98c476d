// All of CodeCommit's engines, built on one CodeCommitEngine (repositories, branches, files,
// references), wired together: merges, approval rule templates, pull requests (which take the
// templates' rules and merge through MergeEngine) and comments (which look pull requests up).
#pragma once

#include <string>

#include "services/codecommit/engine/approval_templates.h"
#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/engine/comments.h"
#include "services/codecommit/engine/merges.h"
#include "services/codecommit/engine/pull_requests.h"

namespace codecommit {

struct Engines {
  Engines(store::Db& db, const common::Clock& clock, std::string data_dir, events::Bus& bus);
  Engines(const Engines&) = delete;
  Engines& operator=(const Engines&) = delete;

  // Every engine's tables, in dependency order; then the pushes a crash left half-recorded
  // (CodeCommitEngine::reconcile_pushes).
  common::Status<> migrate();
  void on_reset();

  CodeCommitEngine repositories;
  MergeEngine merges;
  ApprovalTemplateEngine templates;
  PullRequestEngine pull_requests;
  CommentEngine comments;
};

}  // namespace codecommit
