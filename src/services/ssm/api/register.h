// Binds every implemented SSM operation into the operation table with its IAM action and
// the parameter ARN(s) it touches.
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/ssm/engine/ssm_engine.h"

namespace ssm {

void register_api(dispatch::Registry& registry, SsmEngine& engine);

}  // namespace ssm
