// Helpers shared by the sigv4 .cc files; not part of the module's interface.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/crypto.h"

namespace sigv4::internal {

inline constexpr std::string_view kTerminator = "aws4_request";

// Strict "yyyymmddThhmmssZ" (the only form AWS accepts for X-Amz-Date); nullopt otherwise.
std::optional<common::TimePoint> parse_amz_date(std::string_view s);

// "<date>/<region>/<service>/aws4_request" appended to `out`.
void append_scope(std::string& out, std::string_view date, std::string_view region, std::string_view service);

}  // namespace sigv4::internal
