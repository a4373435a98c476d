// STS GetSessionToken: temporary credentials acting as the calling user (or root).
#include "services/sts/api/handlers.h"

namespace sts::api {

HandlerResult get_session_token(iam::IamEngine& engine, RequestContext& context, const Json& input) {
  const dispatch::Principal& caller = context.principal;
  if (caller.kind == dispatch::Principal::Kind::AssumedRole || caller.access_key_id.starts_with("ASIA")) {
    return common::fail(access_denied("Cannot call GetSessionToken with session credentials"));
  }
  bool root = caller.kind == dispatch::Principal::Kind::Root;
  int64_t duration = input.value("DurationSeconds", root ? 3600 : 43200);
  if (root && duration > 3600) {
    // AWS caps root sessions at one hour rather than failing.
    duration = 3600;
  }
  int64_t now = static_cast<int64_t>(common::to_epoch_seconds(context.now()));
  dispatch::Principal principal;
  principal.kind = caller.kind;
  principal.account_id = caller.account_id;
  principal.arn = caller.arn;
  principal.user_id = caller.user_id;
  principal.name = caller.name;
  auto session = engine.create_session(std::move(principal), now + duration);
  if (!session.ok()) return common::fail(aws::make_aws_error("InternalFailure", 500, session.error().message, false));
  return Json{{"Credentials", credentials_to(*session)}};
}

}  // namespace sts::api
