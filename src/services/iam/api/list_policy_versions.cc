// IAM ListPolicyVersions.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_policy_versions(IamEngine& engine, RequestContext& context, const Json& input) {
  auto versions = engine.list_policy_versions(context.account_id(), str(input, "PolicyArn"));
  if (!versions.ok()) return common::fail(to_aws_error(versions.error()));
  Json output;
  Json list = Json::array();
  for (const PolicyVersion* v :
       page(*versions, input, output, [](const PolicyVersion& p) { return version_id(p.version); })) {
    list.push_back(version_to(*v, false));
  }
  output["Versions"] = std::move(list);
  return output;
}

}  // namespace iam::api
