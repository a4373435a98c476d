// Pull requests: CreatePullRequest, GetPullRequest, ListPullRequests, UpdatePullRequestTitle,
// UpdatePullRequestDescription, UpdatePullRequestStatus, DescribePullRequestEvents; the
// PullRequest wire shape; the authorization targets of every pull request operation; and
// register_pull_requests, which binds them all.
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/max_results.h"
#include "services/codecommit/api/pull_request_api.h"

namespace codecommit::api {
namespace {

constexpr size_t kDefaultListPage = 100;
constexpr size_t kMaxListPage = 1000;
constexpr size_t kMaxEventPage = 100;

Json merge_metadata_json(const PullRequestTarget& t) {
  Json out{{"isMerged", t.is_merged}};
  if (!t.merged_by.empty()) out["mergedBy"] = t.merged_by;
  if (!t.merge_commit.empty()) out["mergeCommitId"] = t.merge_commit;
  if (!t.merge_option.empty()) out["mergeOption"] = t.merge_option;
  return out;
}

bool looks_like_arn(std::string_view arn) { return arn.rfind("arn:", 0) == 0 && arn.size() > 4; }

// CreatePullRequest: the repository its (first) target names.
dispatch::AuthzFn on_repository_of_first_target() {
  return [](const RequestContext& context, const Json& input) {
    auto targets = input.find("targets");
    if (targets == input.end() || !targets->is_array() || targets->empty()) return dispatch::AuthzTarget{};
    return repository_target(context, str(targets->front(), "repositoryName"));
  };
}

}  // namespace

Json approval_rule_json(const PullRequestApprovalRule& rule) {
  Json out{{"approvalRuleId", rule.id},
           {"approvalRuleName", rule.name},
           {"approvalRuleContent", rule.content},
           {"ruleContentSha256", rule.content_sha256},
           {"lastModifiedDate", common::to_epoch_seconds(rule.modified)},
           {"creationDate", common::to_epoch_seconds(rule.created)},
           {"lastModifiedUser", rule.last_modified_user}};
  if (!rule.template_id.empty()) {
    out["originApprovalRuleTemplate"] = {{"approvalRuleTemplateId", rule.template_id},
                                         {"approvalRuleTemplateName", rule.template_name}};
  }
  return out;
}

Json pull_request_json(const PullRequest& pr) {
  const PullRequestTarget& t = pr.target;
  Json target{{"repositoryName", t.repository_name},
              {"sourceReference", t.source_reference},
              {"destinationReference", t.destination_reference},
              {"destinationCommit", t.destination_commit},
              {"sourceCommit", t.source_commit},
              {"mergeMetadata", merge_metadata_json(t)}};
  if (!t.merge_base.empty()) target["mergeBase"] = t.merge_base;
  Json rules = Json::array();
  for (const auto& rule : pr.rules) rules.push_back(approval_rule_json(rule));
  Json out{{"pullRequestId", pr.id},
           {"title", pr.title},
           {"lastActivityDate", common::to_epoch_seconds(pr.last_activity)},
           {"creationDate", common::to_epoch_seconds(pr.created)},
           {"pullRequestStatus", pr.status},
           {"authorArn", pr.author_arn},
           {"pullRequestTargets", Json::array({target})},
           {"clientRequestToken", pr.client_request_token},
           {"revisionId", pr.revision_id},
           {"approvalRules", rules}};
  if (!pr.description.empty()) out["description"] = pr.description;
  return out;
}

PullRequestKey pull_request_key(const RequestContext& context, const Json& input) {
  return PullRequestKey{context.account_id(), context.region, str(input, "pullRequestId")};
}

common::Result<PullRequestKey, aws::AwsError> required_pull_request(const RequestContext& context, const Json& input) {
  PullRequestKey key = pull_request_key(context, input);
  if (key.id.empty()) {
    return common::fail(
        errors::PullRequestIdRequiredException("A pull request ID is required, but none was provided."));
  }
  return key;
}

aws::AwsError pull_request_error(const Error& error) { return to_aws_error(error, ""); }

namespace {

dispatch::AuthzTarget pull_request_target(Api& api, const RequestContext& context, const Json& input,
                                          bool with_destination) {
  auto location = api.engines.pull_requests.location(pull_request_key(context, input));
  if (location.ok() && *location) {
    std::vector<std::string> references;
    if (with_destination) references.push_back((*location)->destination_reference);
    return repository_target(context, (*location)->repository_name, std::move(references));
  }
  std::string name = str(input, "repositoryName");
  if (!name.empty()) return repository_target(context, name);
  return dispatch::AuthzTarget{};  // "*": the call fails with PullRequestDoesNotExistException
}

}  // namespace

dispatch::AuthzFn on_pull_request(std::shared_ptr<Api> api) {
  return [api](const RequestContext& context, const Json& input) {
    return pull_request_target(*api, context, input, false);
  };
}

dispatch::AuthzFn on_pull_request_destination(std::shared_ptr<Api> api) {
  return [api](const RequestContext& context, const Json& input) {
    return pull_request_target(*api, context, input, true);
  };
}

HandlerResult create_pull_request(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "title").empty()) {
    return common::fail(
        errors::TitleRequiredException("A pull request title is required. It cannot be empty or null."));
  }
  auto targets = input.find("targets");
  if (targets == input.end() || !targets->is_array() || targets->empty()) {
    return common::fail(
        errors::TargetsRequiredException("An array of target objects is required. It cannot be "
                                         "empty or null."));
  }
  if (targets->size() > 1) {
    std::string first = str(targets->front(), "repositoryName");
    for (const auto& t : *targets) {
      if (str(t, "repositoryName") != first) {
        return common::fail(errors::MultipleRepositoriesInPullRequestException(
            "You cannot include more than one repository in a pull request."));
      }
    }
    return common::fail(
        errors::InvalidTargetsException("The targets for the pull request is not valid or not in a "
                                        "valid format. Only one target is supported."));
  }
  const Json& target = targets->front();
  if (str(target, "repositoryName").empty()) {
    return common::fail(
        errors::RepositoryNameRequiredException("A repository name is required but was not specified."));
  }
  if (str(target, "sourceReference").empty()) {
    return common::fail(errors::ReferenceNameRequiredException("A reference name is required, but none was provided."));
  }
  if (str(input, "clientRequestToken").empty()) {
    return common::fail(errors::ClientRequestTokenRequiredException(
        "A client request token is required. A client request token is an unique, client-generated idempotency "
        "token that when provided in a request, ensures the request cannot be repeated with a changed parameter."));
  }
  auto repository = find_repository(api, repo_ref(context, target));
  if (!repository.ok()) return common::fail(repository.error());
  NewPullRequest request{str(input, "title"), str(input, "description"), str(target, "sourceReference"),
                         str(target, "destinationReference"), str(input, "clientRequestToken")};
  auto created = api.engines.pull_requests.create(*repository, request, context.principal.arn);
  if (!created.ok()) return common::fail(to_aws_error(created.error(), repository->name));
  return Json{{"pullRequest", pull_request_json(*created)}};
}

HandlerResult get_pull_request(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto pr = api.engines.pull_requests.get(*key);
  if (!pr.ok()) return common::fail(pull_request_error(pr.error()));
  return Json{{"pullRequest", pull_request_json(*pr)}};
}

HandlerResult list_pull_requests(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "repositoryName").empty()) {
    return common::fail(
        errors::RepositoryNameRequiredException("A repository name is required but was not specified."));
  }
  std::string author = str(input, "authorArn");
  if (!author.empty() && !looks_like_arn(author)) {
    return common::fail(
        errors::InvalidAuthorArnException("The Amazon Resource Name (ARN) is not valid. Make sure "
                                          "that you have provided the full ARN for the author of the "
                                          "pull request, and then try again."));
  }
  auto page = max_results(input, kDefaultListPage, kMaxListPage, /*clamp=*/true);
  if (!page.ok()) return common::fail(page.error());
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto ids = api.engines.pull_requests.list(*repository, author, str(input, "pullRequestStatus"));
  if (!ids.ok()) return common::fail(to_aws_error(ids.error(), repository->name));
  size_t end = std::min(ids->size(), *offset + *page);
  Json out{{"pullRequestIds", Json::array()}};
  for (size_t i = *offset; i < end; ++i) out["pullRequestIds"].push_back((*ids)[i]);
  if (end < ids->size()) out["nextToken"] = page_token(end);
  return out;
}

HandlerResult update_pull_request_title(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  if (str(input, "title").empty()) {
    return common::fail(
        errors::TitleRequiredException("A pull request title is required. It cannot be empty or null."));
  }
  auto pr = api.engines.pull_requests.update_title(*key, str(input, "title"), context.principal.arn);
  if (!pr.ok()) return common::fail(pull_request_error(pr.error()));
  return Json{{"pullRequest", pull_request_json(*pr)}};
}

HandlerResult update_pull_request_description(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  auto pr = api.engines.pull_requests.update_description(*key, str(input, "description"), context.principal.arn);
  if (!pr.ok()) return common::fail(pull_request_error(pr.error()));
  return Json{{"pullRequest", pull_request_json(*pr)}};
}

HandlerResult update_pull_request_status(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  if (str(input, "pullRequestStatus").empty()) {
    return common::fail(
        errors::PullRequestStatusRequiredException("A pull request status is required, but none was "
                                                   "provided."));
  }
  auto pr = api.engines.pull_requests.update_status(*key, str(input, "pullRequestStatus"), context.principal.arn);
  if (!pr.ok()) return common::fail(pull_request_error(pr.error()));
  return Json{{"pullRequest", pull_request_json(*pr)}};
}

HandlerResult describe_pull_request_events(Api& api, RequestContext& context, const Json& input) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  std::string actor = str(input, "actorArn");
  if (!actor.empty() && !looks_like_arn(actor)) {
    return common::fail(
        errors::InvalidActorArnException("The Amazon Resource Name (ARN) is not valid. Make sure that "
                                         "you have provided the full ARN for the user who initiated "
                                         "the change for the pull request, and then try again."));
  }
  auto page = max_results(input, kMaxEventPage, kMaxEventPage, /*clamp=*/false);
  if (!page.ok()) return common::fail(page.error());
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto events = api.engines.pull_requests.events(*key, str(input, "pullRequestEventType"), actor);
  if (!events.ok()) return common::fail(pull_request_error(events.error()));
  size_t end = std::min(events->size(), *offset + *page);
  Json out{{"pullRequestEvents", Json::array()}};
  for (size_t i = *offset; i < end; ++i) {
    const PullRequestEvent& e = (*events)[i];
    Json item{{"pullRequestId", e.pull_request_id},
              {"eventDate", common::to_epoch_seconds(e.date)},
              {"pullRequestEventType", e.type}};
    if (!e.actor.empty()) item["actorArn"] = e.actor;
    if (!e.metadata_member.empty()) item[e.metadata_member] = e.metadata;
    out["pullRequestEvents"].push_back(std::move(item));
  }
  if (end < events->size()) out["nextToken"] = page_token(end);
  return out;
}

void register_pull_requests(Registrar& r) {
  auto on_pr = on_pull_request(r.api);
  auto on_destination = on_pull_request_destination(r.api);
  r.add("CreatePullRequest", on_repository_of_first_target(), create_pull_request);
  r.add("GetPullRequest", on_pr, get_pull_request);
  r.add("ListPullRequests", on_repository(), list_pull_requests);
  r.add("UpdatePullRequestTitle", on_pr, update_pull_request_title);
  r.add("UpdatePullRequestDescription", on_pr, update_pull_request_description);
  r.add("UpdatePullRequestStatus", on_pr, update_pull_request_status);
  r.add("DescribePullRequestEvents", on_pr, describe_pull_request_events);
  // Approval rules, approvals and overrides (pull_request_approvals.cc)
  r.add("CreatePullRequestApprovalRule", on_pr, create_pull_request_approval_rule);
  r.add("UpdatePullRequestApprovalRuleContent", on_pr, update_pull_request_approval_rule_content);
  r.add("DeletePullRequestApprovalRule", on_pr, delete_pull_request_approval_rule);
  r.add("UpdatePullRequestApprovalState", on_pr, update_pull_request_approval_state);
  r.add("GetPullRequestApprovalStates", on_pr, get_pull_request_approval_states);
  r.add("EvaluatePullRequestApprovalRules", on_pr, evaluate_pull_request_approval_rules);
  r.add("OverridePullRequestApprovalRules", on_pr, override_pull_request_approval_rules);
  r.add("GetPullRequestOverrideState", on_pr, get_pull_request_override_state);
  // Merges carry codecommit:References = the destination branch (pull_request_merges.cc)
  r.add("MergePullRequestByFastForward", on_destination, merge_pull_request_by_fast_forward);
  r.add("MergePullRequestBySquash", on_destination, merge_pull_request_by_squash);
  r.add("MergePullRequestByThreeWay", on_destination, merge_pull_request_by_three_way);
}

}  // namespace codecommit::api
