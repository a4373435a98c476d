// PutImageTagMutability / PutImageScanningConfiguration: one setting of a repository each.
#include "services/ecr/api/handlers.h"

namespace ecr::api {

HandlerResult put_image_tag_mutability(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  std::string mutability = str(input, "imageTagMutability");
  Json filters = input.value("imageTagMutabilityExclusionFilters", Json::array());
  if (auto error = check_mutability(mutability, filters)) return common::fail(*error);
  auto updated = api.engine.update_repository(ref, [&](Repository& r) -> Status {
    r.tag_mutability = mutability;
    r.mutability_exclusions = filters;
    return common::ok();
  });
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref));
  Json out{{"registryId", ref.account}, {"repositoryName", ref.name}, {"imageTagMutability", mutability}};
  if (!filters.empty()) out["imageTagMutabilityExclusionFilters"] = filters;
  return out;
}

HandlerResult put_image_scanning_configuration(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  bool scan_on_push = input.at("imageScanningConfiguration").value("scanOnPush", false);
  auto updated = api.engine.update_repository(ref, [&](Repository& r) -> Status {
    r.scan_on_push = scan_on_push;
    return common::ok();
  });
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref));
  return Json{{"registryId", ref.account},
              {"repositoryName", ref.name},
              {"imageScanningConfiguration", {{"scanOnPush", scan_on_push}}}};
}

}  // namespace ecr::api
