// The access-log line every front writes once per request (the AWS API dispatcher, the ECR
// registry, the CodeCommit git front), so that one grep reads them all alike.
#pragma once

#include <chrono>
#include <string_view>

#include "aws/dispatch/principal.h"

namespace dispatch {

// Writes "access rid=... acct=... principal=... svc=... op=... status=... error=... ms=..." at
// Info (nothing when Info is off); an unauthenticated principal shows as "-". `ms` is measured
// from `started` to now.
void write_access_log(std::string_view request_id, const Principal& principal, std::string_view service,
                      std::string_view operation, int status, std::string_view error_code,
                      std::chrono::steady_clock::time_point started);

}  // namespace dispatch
