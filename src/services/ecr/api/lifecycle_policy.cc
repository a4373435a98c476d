// PutLifecyclePolicy / GetLifecyclePolicy / DeleteLifecyclePolicy.
#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

Json policy_output(const RepoRef& ref, const Repository& repository, const std::string& text) {
  Json out{{"registryId", ref.account}, {"repositoryName", ref.name}, {"lifecyclePolicyText", text}};
  if (repository.lifecycle_evaluated) out["lastEvaluatedAt"] = epoch(*repository.lifecycle_evaluated);
  return out;
}

}  // namespace

// AWS applies a new policy within 24 hours; hakobu applies it at once (and the server's
// sweep keeps applying it), so its effect is visible right after the call.
HandlerResult put_lifecycle_policy(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  std::string text = str(input, "lifecyclePolicyText");
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  auto parsed = parse_lifecycle_policy(text);
  if (!parsed.ok()) return common::fail(to_aws_error(parsed.error(), ref));
  common::TimePoint updated_at = now(api, context);
  auto updated = api.engine.update_repository(ref, [&](Repository& r) -> Status {
    r.lifecycle_policy = text;
    r.lifecycle_updated = updated_at;
    return common::ok();
  });
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref));
  auto applied = api.engine.apply_lifecycle(updated->id);
  if (!applied.ok()) return common::fail(to_aws_error(applied.error(), ref));
  return Json{{"registryId", ref.account}, {"repositoryName", ref.name}, {"lifecyclePolicyText", text}};
}

HandlerResult get_lifecycle_policy(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  if (!repository->lifecycle_policy) {
    return common::fail(to_aws_error(error(Errc::LifecyclePolicyNotFound, ""), ref));
  }
  return policy_output(ref, *repository, *repository->lifecycle_policy);
}

HandlerResult delete_lifecycle_policy(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  std::string deleted;
  std::optional<common::TimePoint> evaluated;
  auto updated = api.engine.update_repository(ref, [&](Repository& r) -> Status {
    if (!r.lifecycle_policy) return common::fail(error(Errc::LifecyclePolicyNotFound, ""));
    deleted = *r.lifecycle_policy;
    evaluated = r.lifecycle_evaluated;
    r.lifecycle_policy.reset();
    r.lifecycle_updated.reset();
    return common::ok();
  });
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref));
  Repository before = *updated;
  before.lifecycle_evaluated = evaluated;
  return policy_output(ref, before, deleted);
}

}  // namespace ecr::api
