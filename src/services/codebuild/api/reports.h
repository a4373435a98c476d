// CodeBuild's report operations (reports.cc): report groups, reports and test cases, on the
// engine's ReportsEngine (engine/reports.h). register.cc adds them to the service's table.
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/codebuild/engine/codebuild_engine.h"

namespace codebuild::api {

// IAM: codebuild:<Operation> on the report group's ARN (a report's group for report
// operations); the account-wide listings on "*".
void register_report_operations(dispatch::Service& service, CodebuildEngine& engine);

}  // namespace codebuild::api
