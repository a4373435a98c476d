#include "aws/dispatch/access_log.h"

#include <fmt/format.h>

#include "common/log.h"

namespace dispatch {

void write_access_log(std::string_view request_id, const Principal& principal, std::string_view service,
                      std::string_view operation, int status, std::string_view error_code,
                      std::chrono::steady_clock::time_point started) {
  if (!common::log::enabled(common::log::Level::Info)) return;
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  common::log::write(
      common::log::Level::Info,
      fmt::format("access rid={} acct={} principal={} svc={} op={} status={} error={} ms={:.3f}", request_id,
                  principal.account_id.empty() ? "-" : principal.account_id,
                  principal.arn.empty() ? "-" : principal.arn, service, operation, status, error_code, ms));
}

}  // namespace dispatch
