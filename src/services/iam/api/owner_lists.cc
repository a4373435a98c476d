// The list operations that exist once for users and once for roles: ListUserPolicies /
// ListRolePolicies, ListAttachedUserPolicies / ListAttachedRolePolicies, ListUserTags /
// ListRoleTags. Each pair differs only in the owner kind and the member naming it.
#include <algorithm>

#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"
#include "services/iam/model/arns.h"

namespace iam::api {
namespace {

Owner owner_of(OwnerKind kind, const Json& input) {
  return Owner{kind, str(input, kind == OwnerKind::Role ? "RoleName" : "UserName")};
}

HandlerResult list_inline_policies(OwnerKind kind, IamEngine& engine, RequestContext& context, const Json& input) {
  auto names = engine.list_inline_policies(context.account_id(), owner_of(kind, input));
  if (!names.ok()) return common::fail(to_aws_error(names.error()));
  Json output;
  Json list = Json::array();
  for (const std::string* name : page(*names, input, output, [](const std::string& n) { return n; })) {
    list.push_back(*name);
  }
  output["PolicyNames"] = std::move(list);
  return output;
}

HandlerResult list_attached_policies(OwnerKind kind, IamEngine& engine, RequestContext& context, const Json& input) {
  auto attached = engine.list_attached_policies(context.account_id(), owner_of(kind, input));
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

HandlerResult list_owner_tags(OwnerKind kind, IamEngine& engine, RequestContext& context, const Json& input) {
  auto tags = engine.list_tags(context.account_id(), owner_of(kind, input));
  if (!tags.ok()) return common::fail(to_aws_error(tags.error()));
  Json output;
  Json list = Json::array();
  for (const Tag* tag : page(*tags, input, output, [](const Tag& t) { return t.key; })) {
    list.push_back(Json{{"Key", tag->key}, {"Value", tag->value}});
  }
  output["Tags"] = std::move(list);
  return output;
}

}  // namespace

HandlerResult list_user_policies(IamEngine& engine, RequestContext& context, const Json& input) {
  return list_inline_policies(OwnerKind::User, engine, context, input);
}
HandlerResult list_role_policies(IamEngine& engine, RequestContext& context, const Json& input) {
  return list_inline_policies(OwnerKind::Role, engine, context, input);
}
HandlerResult list_attached_user_policies(IamEngine& engine, RequestContext& context, const Json& input) {
  return list_attached_policies(OwnerKind::User, engine, context, input);
}
HandlerResult list_attached_role_policies(IamEngine& engine, RequestContext& context, const Json& input) {
  return list_attached_policies(OwnerKind::Role, engine, context, input);
}
HandlerResult list_user_tags(IamEngine& engine, RequestContext& context, const Json& input) {
  return list_owner_tags(OwnerKind::User, engine, context, input);
}
HandlerResult list_role_tags(IamEngine& engine, RequestContext& context, const Json& input) {
  return list_owner_tags(OwnerKind::Role, engine, context, input);
}

}  // namespace iam::api
