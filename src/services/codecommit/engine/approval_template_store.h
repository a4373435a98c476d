// What approval_templates.cc and approval_template_associations.cc share: template rows, the
// name/description/content rules, and the "CodeCommit Approval Rule Template Change" event.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/approval_templates.h"
#include "services/codecommit/engine/internal.h"

namespace codecommit {

// The template named `name` in the scope (nullopt when absent), on the calling thread's
// connection (inside the caller's transaction when it has one).
Result<std::optional<ApprovalRuleTemplate>> read_template(store::Db& db, const TemplateScope& scope,
                                                          std::string_view name);
// The template, or ApprovalRuleTemplateDoesNotExist.
Result<ApprovalRuleTemplate> require_template(store::Db& db, const TemplateScope& scope, std::string_view name);

// CodeCommit's quotas: names are 1-100 letters, digits, periods, spaces, underscores and dashes
// (not ending in .git); descriptions at most 1000 characters; content at most 3000 characters,
// a valid template document with at most 100 destination references.
Status check_template_name(std::string_view name);
Status check_template_description(std::string_view description);
Status check_template_content(std::string_view content);

// Appends one "CodeCommit Approval Rule Template Change" event inside the caller's write
// transaction. `repositories` are the ones the change is about (resources and detail
// "repositories" {name: id}); `what` completes AWS's notificationBody ("Additional information").
Status append_template_event(events::Bus& bus, const TemplateScope& scope, const ApprovalRuleTemplate& tmpl,
                             std::string_view event_name, const std::vector<Repository>& repositories,
                             std::string_view caller_arn, std::string_view what);

}  // namespace codecommit
