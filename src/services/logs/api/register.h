// CloudWatch Logs' API (json 1.1, X-Amz-Target Logs_20140328.*): one row per operation in the
// dispatcher's table (IAM action logs:<Operation>, the log group or stream ARN it touches,
// handler).
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/logs/engine/logs_engine.h"

namespace logs {

void register_api(dispatch::Registry& registry, LogsEngine& engine);

}  // namespace logs
