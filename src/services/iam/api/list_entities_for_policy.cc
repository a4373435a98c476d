// IAM ListEntitiesForPolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_entities_for_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  auto entities = engine.list_entities_for_policy(context.account_id(), str(input, "PolicyArn"));
  if (!entities.ok()) return common::fail(to_aws_error(entities.error()));
  std::string filter = str(input, "EntityFilter");
  Json users = Json::array();
  Json roles = Json::array();
  if (filter.empty() || filter == "User") {
    for (const auto& [name, id] : entities->users) users.push_back(Json{{"UserName", name}, {"UserId", id}});
  }
  if (filter.empty() || filter == "Role") {
    for (const auto& [name, id] : entities->roles) roles.push_back(Json{{"RoleName", name}, {"RoleId", id}});
  }
  return Json{{"PolicyGroups", Json::array()},
              {"PolicyUsers", std::move(users)},
              {"PolicyRoles", std::move(roles)},
              {"IsTruncated", false}};
}

}  // namespace iam::api
