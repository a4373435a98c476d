// Authorization targets CodeCommit's operations share: the repository ARN, and the
// codecommit:References condition key for operations that change a branch.
#include "services/codecommit/api/api.h"

namespace codecommit::api {

using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;

std::string repository_arn_for(const RequestContext& context, std::string_view name) {
  return "arn:aws:codecommit:" + context.region + ":" + context.account_id() + ":" + std::string(name);
}

AuthzTarget repository_target(const RequestContext& context, std::string_view repository_name,
                              std::vector<std::string> references) {
  AuthzTarget target;
  target.resources.push_back(AuthzResource{repository_arn_for(context, repository_name), "", std::nullopt});
  std::vector<std::string> refs;
  for (auto& ref : references) {
    if (!ref.empty()) refs.push_back(std::move(ref));
  }
  if (!refs.empty()) target.keys["codecommit:references"] = std::move(refs);
  return target;
}

AuthzFn on_repository(const char* member) {
  return [member](const RequestContext& context, const Json& input) {
    return repository_target(context, str(input, member));
  };
}

AuthzFn new_repository() {
  return [](const RequestContext& context, const Json& input) {
    AuthzTarget target = repository_target(context, str(input, "repositoryName"));
    if (auto tags = input.find("tags"); tags != input.end() && !tags->empty()) {
      target.also.emplace_back("codecommit:TagResource", target.resources.front());
    }
    return target;
  };
}

AuthzFn each_repository() {
  return [](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    if (auto names = input.find("repositoryNames"); names != input.end()) {
      for (const auto& name : *names) {
        if (name.is_string()) {
          target.resources.push_back(
              AuthzResource{repository_arn_for(context, name.get<std::string>()), "", std::nullopt});
        }
      }
    }
    return target;
  };
}

AuthzFn on_branch(const char* member) {
  return [member](const RequestContext& context, const Json& input) {
    return repository_target(context, str(input, "repositoryName"), {"refs/heads/" + str(input, member)});
  };
}

}  // namespace codecommit::api
