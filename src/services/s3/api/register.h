#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/s3/engine/s3_engine.h"

namespace s3 {

// Binds every implemented S3 operation: IAM action, resources (bucket/object ARNs with the
// bucket's owner and policy) and condition keys, and the handler.
void register_api(dispatch::Registry& registry, S3Engine& engine);

}  // namespace s3
