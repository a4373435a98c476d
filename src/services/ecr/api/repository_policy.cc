// SetRepositoryPolicy / GetRepositoryPolicy / DeleteRepositoryPolicy.
#include "common/strings.h"
#include "policy/policy.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

aws::AwsError invalid_policy() {
  return invalid_parameter(
      "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
}

// ECR names only its own actions in repository policies ("ecr:*", "ecr:BatchGetImage", "*").
bool ecr_action(const std::string& action) {
  return action == "*" || (action.size() > 4 && common::iequals(std::string_view(action).substr(0, 4), "ecr:"));
}

// A repository policy must parse as a resource policy (a Principal in every statement) and
// name only ECR actions; AWS answers every flaw with the same message.
bool valid_policy(const std::string& text) {
  auto parsed = policy::parse(text, policy::PolicyKind::Resource);
  if (!parsed.ok() || parsed->statements.empty()) return false;
  for (const auto& statement : parsed->statements) {
    if (!statement.principal && !statement.not_principal) return false;
    if (statement.actions.empty()) return false;
    for (const auto& action : statement.actions) {
      if (!ecr_action(action)) return false;
    }
  }
  return true;
}

Json policy_output(const RepoRef& ref, const std::string& text) {
  return Json{{"registryId", ref.account}, {"repositoryName", ref.name}, {"policyText", text}};
}

}  // namespace

// `force` (set even if it locks the caller out) is accepted; hakobu does not check lock-outs.
HandlerResult set_repository_policy(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  std::string text = str(input, "policyText");
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  if (!valid_policy(text)) return common::fail(invalid_policy());
  auto updated = api.engine.update_repository(ref, [&](Repository& r) -> Status {
    r.policy = text;
    return common::ok();
  });
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref));
  return policy_output(ref, text);
}

HandlerResult get_repository_policy(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  if (!repository->policy) return common::fail(to_aws_error(error(Errc::PolicyNotFound, ""), ref));
  return policy_output(ref, *repository->policy);
}

HandlerResult delete_repository_policy(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  std::string deleted;
  auto updated = api.engine.update_repository(ref, [&](Repository& r) -> Status {
    if (!r.policy) return common::fail(error(Errc::PolicyNotFound, ""));
    deleted = *r.policy;
    r.policy.reset();
    return common::ok();
  });
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref));
  return policy_output(ref, deleted);
}

}  // namespace ecr::api
