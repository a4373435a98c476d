// What the pull request handlers share (pull_requests.cc, pull_request_approvals.cc,
// pull_request_merges.cc): the PullRequest and ApprovalRule wire shapes, the pull request a
// request names, and the authorization targets of pull request operations.
#pragma once

#include <memory>

#include "services/codecommit/api/api.h"

namespace codecommit::api {

Json pull_request_json(const PullRequest& pr);
Json approval_rule_json(const PullRequestApprovalRule& rule);

// The pull request `pullRequestId` names in the caller's account and region.
PullRequestKey pull_request_key(const RequestContext& context, const Json& input);
// PullRequestIdRequiredException when the request names none.
common::Result<PullRequestKey, aws::AwsError> required_pull_request(const RequestContext& context, const Json& input);
// The engine error as CodeCommit's exception.
aws::AwsError pull_request_error(const Error& error);

// The pull request's repository ARN (the repositoryName input, else "*", when there is no such
// pull request).
dispatch::AuthzFn on_pull_request(std::shared_ptr<Api> api);
// As on_pull_request, with codecommit:References = [the destination branch] (MergePullRequestBy*),
// so branch-protection policies on Merge* apply to pull requests too.
dispatch::AuthzFn on_pull_request_destination(std::shared_ptr<Api> api);

// Handlers
HandlerResult create_pull_request(Api& api, RequestContext& context, const Json& input);
HandlerResult get_pull_request(Api& api, RequestContext& context, const Json& input);
HandlerResult list_pull_requests(Api& api, RequestContext& context, const Json& input);
HandlerResult update_pull_request_title(Api& api, RequestContext& context, const Json& input);
HandlerResult update_pull_request_description(Api& api, RequestContext& context, const Json& input);
HandlerResult update_pull_request_status(Api& api, RequestContext& context, const Json& input);
HandlerResult describe_pull_request_events(Api& api, RequestContext& context, const Json& input);
HandlerResult create_pull_request_approval_rule(Api& api, RequestContext& context, const Json& input);
HandlerResult update_pull_request_approval_rule_content(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_pull_request_approval_rule(Api& api, RequestContext& context, const Json& input);
HandlerResult update_pull_request_approval_state(Api& api, RequestContext& context, const Json& input);
HandlerResult get_pull_request_approval_states(Api& api, RequestContext& context, const Json& input);
HandlerResult evaluate_pull_request_approval_rules(Api& api, RequestContext& context, const Json& input);
HandlerResult override_pull_request_approval_rules(Api& api, RequestContext& context, const Json& input);
HandlerResult get_pull_request_override_state(Api& api, RequestContext& context, const Json& input);
HandlerResult merge_pull_request_by_fast_forward(Api& api, RequestContext& context, const Json& input);
HandlerResult merge_pull_request_by_squash(Api& api, RequestContext& context, const Json& input);
HandlerResult merge_pull_request_by_three_way(Api& api, RequestContext& context, const Json& input);

}  // namespace codecommit::api
