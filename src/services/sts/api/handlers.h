// The STS operation handlers, one per file; bound in register.cc.
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/iam/engine/iam_engine.h"

namespace sts::api {

using common::Json;
using dispatch::HandlerResult;
using dispatch::RequestContext;

HandlerResult assume_role(iam::IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_caller_identity(iam::IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_session_token(iam::IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_access_key_info(iam::IamEngine& engine, RequestContext& context, const Json& input);

// Credentials{AccessKeyId, SecretAccessKey, SessionToken, Expiration} of a new session.
Json credentials_to(const iam::Session& session);
// Errors STS answers that its model does not list.
aws::AwsError access_denied(const std::string& message);
aws::AwsError validation_error(const std::string& message);

}  // namespace sts::api
