// IAM ListAttachedRolePolicies.
#include <algorithm>

#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"
#include "services/iam/model/arns.h"

namespace iam::api {

HandlerResult list_attached_role_policies(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::Role, str(input, "RoleName")};
  auto attached = engine.list_attached_policies(context.account_id(), owner);
  if (!attached.ok()) return common::fail(to_aws_error(attached.error()));
  std::string prefix = str(input, "PathPrefix", "/");
  std::erase_if(*attached, [&](const AttachedPolicy& p) {
    auto parsed = parse_iam_arn(p.arn);
    return parsed && !parsed->path.starts_with(prefix);
  });
  Json output;
  Json list = Json::array();
  for (const AttachedPolicy* p : page(*attached, input, output, [](const AttachedPolicy& a) { return a.arn; })) {
    list.push_back(Json{{"PolicyName", p->name}, {"PolicyArn", p->arn}});
  }
  output["AttachedPolicies"] = std::move(list);
  return output;
}

}  // namespace iam::api
