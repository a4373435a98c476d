// CodeCommit's API (json 1.1, X-Amz-Target CodeCommit_20150413.*): one row per operation in
// the dispatcher's table (IAM action codecommit:<Op> on the repository ARN, with the
// codecommit:References condition key where a branch changes, and the handler).
#pragma once

#include <string>

#include "aws/dispatch/operation_table.h"
#include "services/codecommit/engine/engines.h"

namespace codecommit {

struct ApiOptions {
  std::string default_region = "us-east-1";
  std::string clone_host;  // host[:port] in clone URLs; "" = the API request's Host header
};

void register_api(dispatch::Registry& registry, Engines& engines, ApiOptions options);

}  // namespace codecommit
