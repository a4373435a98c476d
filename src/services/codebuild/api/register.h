// CodeBuild's API (json 1.1, X-Amz-Target CodeBuild_20161006.*): one row per operation in the
// dispatcher's table (IAM action codebuild:<Operation> on the project ARN it touches, handler).
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/codebuild/engine/codebuild_engine.h"

namespace codebuild {

void register_api(dispatch::Registry& registry, CodebuildEngine& engine);

}  // namespace codebuild
