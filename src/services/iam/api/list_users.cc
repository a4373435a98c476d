// IAM ListUsers.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_users(IamEngine& engine, RequestContext& context, const Json& input) {
  auto users = engine.list_users(context.account_id(), str(input, "PathPrefix", "/"));
  if (!users.ok()) return common::fail(to_aws_error(users.error()));
  Json output;
  Json list = Json::array();
  for (const User* user : page(*users, input, output, [](const User& u) { return u.name; })) {
    list.push_back(user_to(*user, false));
  }
  output["Users"] = std::move(list);
  return output;
}

}  // namespace iam::api
