// IAM ListPolicies.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_policies(IamEngine& engine, RequestContext& context, const Json& input) {
  bool only_attached = input.value("OnlyAttached", false);
  auto policies = engine.list_policies(context.account_id(), str(input, "Scope", "All"), only_attached,
                                       str(input, "PathPrefix", "/"));
  if (!policies.ok()) return common::fail(to_aws_error(policies.error()));
  Json output;
  Json list = Json::array();
  for (const ManagedPolicy* p : page(*policies, input, output, [](const ManagedPolicy& m) { return m.arn; })) {
    Json item = policy_to(*p);
    item.erase("Description");  // ListPolicies leaves descriptions and tags out, as AWS does
    item.erase("Tags");
    list.push_back(std::move(item));
  }
  output["Policies"] = std::move(list);
  return output;
}

}  // namespace iam::api
