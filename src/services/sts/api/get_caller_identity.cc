// STS GetCallerIdentity: never denied; answers who signed the request.
#include "services/sts/api/handlers.h"

namespace sts::api {

HandlerResult get_caller_identity(iam::IamEngine&, RequestContext& context, const Json&) {
  const dispatch::Principal& caller = context.principal;
  return Json{{"UserId", caller.user_id}, {"Account", caller.account_id}, {"Arn", caller.arn}};
}

Json credentials_to(const iam::Session& session) {
  return Json{{"AccessKeyId", session.access_key_id},
              {"SecretAccessKey", session.secret_access_key},
              {"SessionToken", session.session_token},
              {"Expiration", session.expires_epoch}};
}

aws::AwsError access_denied(const std::string& message) { return aws::make_aws_error("AccessDenied", 403, message); }

aws::AwsError validation_error(const std::string& message) {
  return aws::make_aws_error("ValidationError", 400, message);
}

}  // namespace sts::api
