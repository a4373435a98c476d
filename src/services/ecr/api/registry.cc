// DescribeRegistry / GetRegistryPolicy: the caller's private registry. hakobu has no
// replication and no registry policies (PutRegistryPolicy is not implemented).
#include "gen/ecr/errors.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {

HandlerResult describe_registry(Api&, RequestContext& context, const Json&) {
  return Json{{"registryId", context.account_id()}, {"replicationConfiguration", {{"rules", Json::array()}}}};
}

HandlerResult get_registry_policy(Api&, RequestContext& context, const Json&) {
  return common::fail(errors::RegistryPolicyNotFoundException(
      "Registry policy does not exist in the registry with id '" + context.account_id() + "'"));
}

}  // namespace ecr::api
