// Approval rule templates: account-wide rows in SQLite (name, description, content) and their
// associations with repositories; a pull request created in an associated repository gets an
// approval rule from each template whose DestinationReferences match.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/model/approval_rule.h"

namespace codecommit {

class ApprovalTemplateEngine {
 public:
  explicit ApprovalTemplateEngine(CodeCommitEngine& repositories);
  common::Status<> migrate();

  // The templates associated with `repo` (the pull request engine's TemplateSource).
  Result<std::vector<TemplateRule>> associated_rules(const Repository& repo) const;

 private:
  CodeCommitEngine& repositories_;
};

}  // namespace codecommit
