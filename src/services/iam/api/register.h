// Binds every implemented IAM operation to its IAM action, resource ARNs and handler.
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/iam/engine/iam_engine.h"

namespace iam {

void register_api(dispatch::Registry& registry, IamEngine& engine);

}  // namespace iam
