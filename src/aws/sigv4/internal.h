// Helpers shared by the sigv4 .cc files; not part of the module's interface.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/crypto.h"

namespace sigv4::internal {

inline constexpr std::string_view kTerminator = "aws4_request";

// ASCII case-insensitive equality (header names); no locale lookups, unlike std::tolower.
inline bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) {
      return false;
    }
  }
  return true;
}

// Strict "yyyymmddThhmmssZ" (the only form AWS accepts for X-Amz-Date); nullopt otherwise.
std::optional<common::TimePoint> parse_amz_date(std::string_view s);

// RFC 3986 percent-encoding (upper-case hex) appended to `out`; unreserved characters and,
// with `keep_slash`, '/' are copied as they are.
void append_uri_encoded(std::string& out, std::string_view s, bool keep_slash);

// "<date>/<region>/<service>/aws4_request" appended to `out`.
void append_scope(std::string& out, std::string_view date, std::string_view region, std::string_view service);

inline std::string fast_sha256_hex(std::string_view data) { return common::sha256_hex(data); }
inline common::Sha256Digest fast_hmac_sha256(std::string_view key, std::string_view data) {
  return common::hmac_sha256(key, data);
}

}  // namespace sigv4::internal
