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

// RFC 3986 percent-encoding (upper-case hex) appended to `out`; unreserved characters and,
// with `keep_slash`, '/' are copied as they are.
void append_uri_encoded(std::string& out, std::string_view s, bool keep_slash);

// "<date>/<region>/<service>/aws4_request" appended to `out`.
void append_scope(std::string& out, std::string_view date, std::string_view region, std::string_view service);

// Same results as common::sha256/hmac_sha256, without OpenSSL 3's per-call algorithm lookup
// (digest.cc). Thread-safe: one context per thread.
common::Sha256Digest fast_sha256(std::string_view data);
std::string fast_sha256_hex(std::string_view data);
common::Sha256Digest fast_hmac_sha256(std::string_view key, std::string_view data);

}  // namespace sigv4::internal
