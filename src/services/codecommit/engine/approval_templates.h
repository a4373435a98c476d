// Approval rule templates: account-wide rows in SQLite (name, description, content) and their
// associations with repositories; a pull request created in an associated repository gets an
// approval rule from each template whose DestinationReferences match.
//
// Templates belong to an account and region and have no ARN; ids are uuids, names are unique
// (case-sensitive) per account and region. Associations name the repository by id, and every read
// joins them with codecommit_repositories, so deleting (or recreating) a repository drops its
// associations without this engine being told. Every change publishes AWS's "CodeCommit Approval
// Rule Template Change" event in its write transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/model/approval_rule.h"

namespace codecommit {

// Where templates live: the caller's account, in the request's region.
struct TemplateScope {
  std::string account;
  std::string region;
};

struct ApprovalRuleTemplate {
  std::string id;  // uuid
  std::string name;
  std::string description;
  std::string content;         // verbatim, as the caller sent it
  std::string content_sha256;  // ruleContentSha256
  std::string last_modified_user;
  common::TimePoint created{};
  common::TimePoint modified{};
};

// One repository a batch (dis)association could not handle; `error_code` is the exception name
// AWS puts in the batch output ("RepositoryDoesNotExistException").
struct BatchRepositoryError {
  std::string repository_name;
  std::string error_code;
  std::string error_message;
};

struct BatchAssociationOutcome {
  std::vector<std::string> repositories;  // (dis)associated, in request order
  std::vector<BatchRepositoryError> errors;
};

// CodeCommit's quotas for templates.
constexpr size_t kMaxTemplatesPerRegion = 1000;
constexpr size_t kMaxTemplatesPerRepository = 25;
constexpr size_t kMaxBatchRepositoryNames = 100;

class ApprovalTemplateEngine {
 public:
  explicit ApprovalTemplateEngine(CodeCommitEngine& repositories);
  common::Status<> migrate();

  // InvalidApprovalRuleTemplateName, InvalidApprovalRuleTemplateDescription,
  // InvalidApprovalRuleTemplateContent, ApprovalRuleTemplateNameAlreadyExists,
  // NumberOfRuleTemplatesExceeded.
  Result<ApprovalRuleTemplate> create_template(const TemplateScope& scope, std::string name, std::string description,
                                               std::string content, std::string_view caller_arn);
  Result<ApprovalRuleTemplate> get_template(const TemplateScope& scope,
                                            std::string_view name) const;  // ApprovalRuleTemplateDoesNotExist
  // Every template name in the scope, sorted.
  Result<std::vector<std::string>> list_templates(const TemplateScope& scope) const;
  // The deleted template's id; nullopt when there was none (AWS answers 200 without an id).
  // ApprovalRuleTemplateInUse while a repository is associated.
  Result<std::optional<std::string>> delete_template(const TemplateScope& scope, std::string_view name,
                                                     std::string_view caller_arn);
  Result<ApprovalRuleTemplate> rename_template(const TemplateScope& scope, std::string_view old_name,
                                               std::string new_name, std::string_view caller_arn);
  Result<ApprovalRuleTemplate> set_description(const TemplateScope& scope, std::string_view name,
                                               std::string description, std::string_view caller_arn);
  // InvalidRuleContentSha256 when `existing_sha256` is given and is not the current content's.
  Result<ApprovalRuleTemplate> set_content(const TemplateScope& scope, std::string_view name, std::string content,
                                           std::string_view existing_sha256, std::string_view caller_arn);

  // Associating twice or disassociating what is not associated succeeds. RepositoryDoesNotExist,
  // ApprovalRuleTemplateDoesNotExist, MaximumRuleTemplatesAssociatedWithRepository.
  Status associate(const TemplateScope& scope, std::string_view template_name, std::string_view repository_name,
                   std::string_view caller_arn);
  Status disassociate(const TemplateScope& scope, std::string_view template_name, std::string_view repository_name,
                      std::string_view caller_arn);
  // Per-repository failures go to the outcome's errors. RepositoryNamesRequired,
  // MaximumRepositoryNamesExceeded, ApprovalRuleTemplateDoesNotExist.
  Result<BatchAssociationOutcome> batch_associate(const TemplateScope& scope, std::string_view template_name,
                                                  const std::vector<std::string>& repository_names,
                                                  std::string_view caller_arn);
  Result<BatchAssociationOutcome> batch_disassociate(const TemplateScope& scope, std::string_view template_name,
                                                     const std::vector<std::string>& repository_names,
                                                     std::string_view caller_arn);

  // Names of the templates associated with the repository (sorted); RepositoryDoesNotExist.
  Result<std::vector<std::string>> templates_for_repository(const RepoRef& repository) const;
  // Names of the repositories associated with the template (sorted).
  Result<std::vector<std::string>> repositories_for_template(const TemplateScope& scope,
                                                             std::string_view template_name) const;

  // The templates associated with `repo` (the pull request engine's TemplateSource), by name.
  Result<std::vector<TemplateRule>> associated_rules(const Repository& repo) const;

 private:
  // The one association change both the single and the batch operations make, inside the
  // caller's write transaction: nullopt when done, else the error for this repository.
  Result<std::optional<Error>> associate_in_tx(const ApprovalRuleTemplate& tmpl, const Repository& repo);

  CodeCommitEngine& repositories_;
};

}  // namespace codecommit
