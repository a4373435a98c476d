// Binds the STS operations (identity and temporary credentials over iam::IamEngine).
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/iam/engine/iam_engine.h"

namespace sts {

void register_api(dispatch::Registry& registry, iam::IamEngine& engine);

}  // namespace sts
