// Approval rule templates: Create, Get, List, Delete, UpdateApprovalRuleTemplateName,
// UpdateApprovalRuleTemplateDescription, UpdateApprovalRuleTemplateContent, the (Batch)
// association operations and the listings in both directions.
//
// IAM (Service Authorization Reference): templates have no ARN, so the template operations are
// authorized on "*"; the ones that name repositories on those repositories' ARNs.
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"
#include "services/codecommit/api/max_results.h"

namespace codecommit::api {
namespace {

constexpr size_t kListPage = 100;

TemplateScope scope_of(const RequestContext& context) { return TemplateScope{context.account_id(), context.region}; }

Json template_json(const ApprovalRuleTemplate& t) {
  return Json{{"approvalRuleTemplateId", t.id},
              {"approvalRuleTemplateName", t.name},
              {"approvalRuleTemplateDescription", t.description},
              {"approvalRuleTemplateContent", t.content},
              {"ruleContentSha256", t.content_sha256},
              {"lastModifiedDate", common::to_epoch_seconds(t.modified)},
              {"creationDate", common::to_epoch_seconds(t.created)},
              {"lastModifiedUser", t.last_modified_user}};
}

HandlerResult template_result(const Result<ApprovalRuleTemplate>& result) {
  if (!result.ok()) return common::fail(to_aws_error(result.error(), ""));
  return Json{{"approvalRuleTemplate", template_json(*result)}};
}

// One page of `names` under `member`, with nextToken when more remain.
HandlerResult name_page(const Json& input, const std::vector<std::string>& names, const char* member) {
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto size = max_results(input, kListPage, kListPage, /*clamp=*/true);
  if (!size.ok()) return common::fail(size.error());
  Json page = Json::array();
  for (size_t i = *offset; i < names.size() && i < *offset + *size; ++i) page.push_back(names[i]);
  Json out{{member, std::move(page)}};
  if (*offset + *size < names.size()) out["nextToken"] = page_token(*offset + *size);
  return out;
}

std::vector<std::string> repository_names(const Json& input) {
  std::vector<std::string> names;
  if (auto list = input.find("repositoryNames"); list != input.end() && list->is_array()) {
    for (const auto& name : *list) {
      if (name.is_string()) names.push_back(name.get<std::string>());
    }
  }
  return names;
}

HandlerResult batch_result(const Result<BatchAssociationOutcome>& outcome, const char* done_member) {
  if (!outcome.ok()) return common::fail(to_aws_error(outcome.error(), ""));
  Json errors = Json::array();
  for (const auto& e : outcome->errors) {
    errors.push_back(
        {{"repositoryName", e.repository_name}, {"errorCode", e.error_code}, {"errorMessage", e.error_message}});
  }
  return Json{{done_member, outcome->repositories}, {"errors", std::move(errors)}};
}

HandlerResult create_approval_rule_template(Api& api, RequestContext& context, const Json& input) {
  return template_result(api.engines.templates.create_template(
      scope_of(context), str(input, "approvalRuleTemplateName"), str(input, "approvalRuleTemplateDescription"),
      str(input, "approvalRuleTemplateContent"), context.principal.arn));
}

HandlerResult get_approval_rule_template(Api& api, RequestContext& context, const Json& input) {
  return template_result(api.engines.templates.get_template(scope_of(context), str(input, "approvalRuleTemplateName")));
}

HandlerResult list_approval_rule_templates(Api& api, RequestContext& context, const Json& input) {
  auto names = api.engines.templates.list_templates(scope_of(context));
  if (!names.ok()) return common::fail(to_aws_error(names.error(), ""));
  return name_page(input, *names, "approvalRuleTemplateNames");
}

// A template that does not exist (or no longer does) is deleted without an id, as AWS answers.
HandlerResult delete_approval_rule_template(Api& api, RequestContext& context, const Json& input) {
  auto deleted = api.engines.templates.delete_template(scope_of(context), str(input, "approvalRuleTemplateName"),
                                                       context.principal.arn);
  if (!deleted.ok()) return common::fail(to_aws_error(deleted.error(), ""));
  if (!*deleted) return Json::object();
  return Json{{"approvalRuleTemplateId", **deleted}};
}

HandlerResult update_approval_rule_template_name(Api& api, RequestContext& context, const Json& input) {
  return template_result(
      api.engines.templates.rename_template(scope_of(context), str(input, "oldApprovalRuleTemplateName"),
                                            str(input, "newApprovalRuleTemplateName"), context.principal.arn));
}

HandlerResult update_approval_rule_template_description(Api& api, RequestContext& context, const Json& input) {
  return template_result(
      api.engines.templates.set_description(scope_of(context), str(input, "approvalRuleTemplateName"),
                                            str(input, "approvalRuleTemplateDescription"), context.principal.arn));
}

HandlerResult update_approval_rule_template_content(Api& api, RequestContext& context, const Json& input) {
  return template_result(api.engines.templates.set_content(
      scope_of(context), str(input, "approvalRuleTemplateName"), str(input, "newRuleContent"),
      str(input, "existingRuleContentSha256"), context.principal.arn));
}

HandlerResult associate_approval_rule_template_with_repository(Api& api, RequestContext& context, const Json& input) {
  std::string repository = str(input, "repositoryName");
  auto done = api.engines.templates.associate(scope_of(context), str(input, "approvalRuleTemplateName"), repository,
                                              context.principal.arn);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), repository));
  return Json::object();
}

HandlerResult disassociate_approval_rule_template_from_repository(Api& api, RequestContext& context,
                                                                  const Json& input) {
  std::string repository = str(input, "repositoryName");
  auto done = api.engines.templates.disassociate(scope_of(context), str(input, "approvalRuleTemplateName"), repository,
                                                 context.principal.arn);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), repository));
  return Json::object();
}

HandlerResult batch_associate_approval_rule_template_with_repositories(Api& api, RequestContext& context,
                                                                       const Json& input) {
  return batch_result(api.engines.templates.batch_associate(scope_of(context), str(input, "approvalRuleTemplateName"),
                                                            repository_names(input), context.principal.arn),
                      "associatedRepositoryNames");
}

HandlerResult batch_disassociate_approval_rule_template_from_repositories(Api& api, RequestContext& context,
                                                                          const Json& input) {
  return batch_result(
      api.engines.templates.batch_disassociate(scope_of(context), str(input, "approvalRuleTemplateName"),
                                               repository_names(input), context.principal.arn),
      "disassociatedRepositoryNames");
}

HandlerResult list_associated_approval_rule_templates_for_repository(Api& api, RequestContext& context,
                                                                     const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto names = api.engines.templates.templates_for_repository(ref);
  if (!names.ok()) return common::fail(to_aws_error(names.error(), ref.name));
  return name_page(input, *names, "approvalRuleTemplateNames");
}

HandlerResult list_repositories_for_approval_rule_template(Api& api, RequestContext& context, const Json& input) {
  auto names =
      api.engines.templates.repositories_for_template(scope_of(context), str(input, "approvalRuleTemplateName"));
  if (!names.ok()) return common::fail(to_aws_error(names.error(), ""));
  return name_page(input, *names, "repositoryNames");
}

}  // namespace

void register_templates(Registrar& r) {
  r.add("CreateApprovalRuleTemplate", nullptr, create_approval_rule_template);
  r.add("GetApprovalRuleTemplate", nullptr, get_approval_rule_template);
  r.add("ListApprovalRuleTemplates", nullptr, list_approval_rule_templates);
  r.add("DeleteApprovalRuleTemplate", nullptr, delete_approval_rule_template);
  r.add("UpdateApprovalRuleTemplateName", nullptr, update_approval_rule_template_name);
  r.add("UpdateApprovalRuleTemplateDescription", nullptr, update_approval_rule_template_description);
  r.add("UpdateApprovalRuleTemplateContent", nullptr, update_approval_rule_template_content);
  r.add("ListRepositoriesForApprovalRuleTemplate", nullptr, list_repositories_for_approval_rule_template);
  r.add("AssociateApprovalRuleTemplateWithRepository", on_repository(),
        associate_approval_rule_template_with_repository);
  r.add("DisassociateApprovalRuleTemplateFromRepository", on_repository(),
        disassociate_approval_rule_template_from_repository);
  r.add("BatchAssociateApprovalRuleTemplateWithRepositories", each_repository(),
        batch_associate_approval_rule_template_with_repositories);
  r.add("BatchDisassociateApprovalRuleTemplateFromRepositories", each_repository(),
        batch_disassociate_approval_rule_template_from_repositories);
  r.add("ListAssociatedApprovalRuleTemplatesForRepository", on_repository(),
        list_associated_approval_rule_templates_for_repository);
}

}  // namespace codecommit::api
