// ECR's API (json 1.1, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.*): one row per
// operation in the dispatcher's table (IAM action, resource = the repository ARN with its
// policy as resource policy, handler).
#pragma once

#include <string>

#include "aws/dispatch/operation_table.h"
#include "common/clock.h"
#include "services/ecr/engine/auth_token.h"
#include "services/ecr/engine/ecr_engine.h"

namespace ecr {

struct ApiOptions {
  std::string default_region = "us-east-1";
  std::string registry_host;  // --registry-host; "" = the API request's Host header
  int64_t token_lifetime_seconds = 12 * 3600;
  // The engines' clock (moved by --clock-control), for token expiry and lifecycle previews so
  // they agree with the registry and the engine; null = the request's clock.
  const common::Clock* clock = nullptr;
};

void register_api(dispatch::Registry& registry, EcrEngine& engine, const TokenIssuer& tokens, ApiOptions options);

}  // namespace ecr
