// Approval rules and approvals of pull requests: CreatePullRequestApprovalRule,
// UpdatePullRequestApprovalRuleContent, DeletePullRequestApprovalRule,
// UpdatePullRequestApprovalState, GetPullRequestApprovalStates, EvaluatePullRequestApprovalRules,
// OverridePullRequestApprovalRules, GetPullRequestOverrideState.
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/pull_request_api.h"

namespace codecommit::api {
namespace {

common::Result<std::string, aws::AwsError> required_rule_name(const Json& input) {
  std::string name = str(input, "approvalRuleName");
  if (name.empty()) {
    return common::fail(
        errors::ApprovalRuleNameRequiredException("An approval rule name is required, but was not specified."));
  }
  return name;
}

common::Result<std::string, aws::AwsError> required_content(const Json& input, const char* member) {
  std::string content = str(input, member);
  if (content.empty()) {
    return common::fail(errors::ApprovalRuleContentRequiredException(
        "The content for the approval rule is empty. You must provide some content for an approval rule. The "
        "content cannot be null."));
  }
  return content;
}

common::Result<std::string, aws::AwsError> required_revision(const Json& input) {
  std::string revision = str(input, "revisionId");
  if (revision.empty()) {
    return common::fail(errors::RevisionIdRequiredException("A revision ID is required, but was not provided."));
  }
  return revision;
}

}  // namespace

HandlerResult create_pull_request_approval_rule(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto name = required_rule_name(input);
  if (!name.ok()) return common::fail(name.error());
  auto content = required_content(input, "approvalRuleContent");
  if (!content.ok()) return common::fail(content.error());
  auto rule = api.engines.pull_requests.create_rule(*key, *name, *content, context.principal.arn);
  if (!rule.ok()) return common::fail(pull_request_error(rule.error()));
  return Json{{"approvalRule", approval_rule_json(*rule)}};
}

HandlerResult update_pull_request_approval_rule_content(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto name = required_rule_name(input);
  if (!name.ok()) return common::fail(name.error());
  auto content = required_content(input, "newRuleContent");
  if (!content.ok()) return common::fail(content.error());
  auto rule = api.engines.pull_requests.update_rule(*key, *name, str(input, "existingRuleContentSha256"), *content,
                                                    context.principal.arn);
  if (!rule.ok()) return common::fail(pull_request_error(rule.error()));
  return Json{{"approvalRule", approval_rule_json(*rule)}};
}

HandlerResult delete_pull_request_approval_rule(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto name = required_rule_name(input);
  if (!name.ok()) return common::fail(name.error());
  auto id = api.engines.pull_requests.delete_rule(*key, *name, context.principal.arn);
  if (!id.ok()) return common::fail(pull_request_error(id.error()));
  return Json{{"approvalRuleId", *id}};
}

HandlerResult update_pull_request_approval_state(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto revision = required_revision(input);
  if (!revision.ok()) return common::fail(revision.error());
  std::string state = str(input, "approvalState");
  if (state.empty()) {
    return common::fail(errors::ApprovalStateRequiredException("An approval state must be specified."));
  }
  if (state != "APPROVE" && state != "REVOKE") {
    return common::fail(errors::InvalidApprovalStateException(
        "The state for the approval is not valid. Valid values include APPROVE and REVOKE."));
  }
  auto done =
      api.engines.pull_requests.update_approval_state(*key, *revision, state == "APPROVE", context.principal.arn);
  if (!done.ok()) return common::fail(pull_request_error(done.error()));
  return Json::object();
}

HandlerResult get_pull_request_approval_states(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto revision = required_revision(input);
  if (!revision.ok()) return common::fail(revision.error());
  auto approvers = api.engines.pull_requests.approvals(*key, *revision);
  if (!approvers.ok()) return common::fail(pull_request_error(approvers.error()));
  Json approvals = Json::array();
  for (const auto& arn : *approvers) approvals.push_back(Json{{"userArn", arn}, {"approvalState", "APPROVE"}});
  return Json{{"approvals", approvals}};
}

HandlerResult evaluate_pull_request_approval_rules(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto revision = required_revision(input);
  if (!revision.ok()) return common::fail(revision.error());
  auto evaluation = api.engines.pull_requests.evaluate(*key, *revision);
  if (!evaluation.ok()) return common::fail(pull_request_error(evaluation.error()));
  return Json{{"evaluation",
               {{"approved", evaluation->approved},
                {"overridden", evaluation->overridden},
                {"approvalRulesSatisfied", evaluation->satisfied},
                {"approvalRulesNotSatisfied", evaluation->not_satisfied}}}};
}

HandlerResult override_pull_request_approval_rules(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto revision = required_revision(input);
  if (!revision.ok()) return common::fail(revision.error());
  std::string status = str(input, "overrideStatus");
  if (status.empty()) {
    return common::fail(
        errors::OverrideStatusRequiredException("An override status is required, but no value was "
                                                "provided. Valid values include OVERRIDE and REVOKE."));
  }
  if (status != "OVERRIDE" && status != "REVOKE") {
    return common::fail(errors::InvalidOverrideStatusException(
        "The override status is not valid. Valid statuses are OVERRIDE and REVOKE."));
  }
  auto done = api.engines.pull_requests.override_rules(*key, *revision, status == "OVERRIDE", context.principal.arn);
  if (!done.ok()) return common::fail(pull_request_error(done.error()));
  return Json::object();
}

HandlerResult get_pull_request_override_state(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto revision = required_revision(input);
  if (!revision.ok()) return common::fail(revision.error());
  auto state = api.engines.pull_requests.override_state(*key, *revision);
  if (!state.ok()) return common::fail(pull_request_error(state.error()));
  Json out{{"overridden", state->overridden}};
  if (state->overridden) out["overrider"] = state->overrider;
  return out;
}

}  // namespace codecommit::api
