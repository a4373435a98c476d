#pragma once

#include <functional>
#include <string>

#include "aws/dispatch/operation_table.h"
#include "services/s3/engine/s3_engine.h"

namespace s3 {

// Binds every implemented S3 operation: IAM action, resources (bucket/object ARNs with the
// bucket's owner and policy) and condition keys, and the handler.
// `principal_exists` answers whether an IAM user/role ARN named in a bucket policy exists (AWS
// refuses policies naming unknown principals); unset = every principal is accepted.
void register_api(dispatch::Registry& registry, S3Engine& engine,
                  std::function<bool(const std::string& arn)> principal_exists = {});

}  // namespace s3
