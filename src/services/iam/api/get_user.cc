// IAM GetUser.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

// Without UserName: the caller. Root gets AWS's root shape (UserId = account, no UserName).
HandlerResult get_user(IamEngine& engine, RequestContext& context, const Json& input) {
  const dispatch::Principal& caller = context.principal;
  if (!input.contains("UserName") && caller.kind == dispatch::Principal::Kind::Root) {
    return Json{{"User", Json{{"UserId", caller.account_id}, {"Arn", caller.arn}, {"CreateDate", 1420070400}}}};
  }
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) return common::fail(name.error());
  auto user = engine.get_user(context.account_id(), *name);
  if (!user.ok()) return common::fail(to_aws_error(user.error()));
  return Json{{"User", user_to(*user, true)}};
}

}  // namespace iam::api
