#include "services/codecommit/engine/approval_templates.h"

#include "services/codecommit/engine/internal.h"

namespace codecommit {

ApprovalTemplateEngine::ApprovalTemplateEngine(CodeCommitEngine& repositories) : repositories_(repositories) {}

common::Status<> ApprovalTemplateEngine::migrate() { return common::ok(); }

Result<std::vector<TemplateRule>> ApprovalTemplateEngine::associated_rules(const Repository&) const {
  return std::vector<TemplateRule>{};
}

}  // namespace codecommit
