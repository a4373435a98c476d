// Wire timestamps <-> epoch seconds (the codecs' in-memory form, see codec.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aws::protocol {

// Parses ISO-8601 ("2024-01-02T03:04:05Z", fractional seconds, "+hh:mm" offsets, a bare date)
// or a decimal epoch-seconds string ("1700000000.5"). nullopt when it is neither.
std::optional<double> parse_timestamp(std::string_view text);

// An HTTP date in any of the three forms HTTP/1.1 recipients accept: RFC 822/1123
// ("Tue, 02 Jan 2024 03:04:05 GMT"), RFC 850 ("Tuesday, 02-Jan-24 03:04:05 GMT") and asctime
// ("Tue Jan  2 03:04:05 2024"). nullopt otherwise.
std::optional<double> parse_http_date(std::string_view text);

// Any form a rest protocol may carry: ISO-8601, an HTTP date, or epoch seconds.
std::optional<double> parse_any_timestamp(std::string_view text);

// "2024-01-02T03:04:05Z"; milliseconds are kept when non-zero ("...05.123Z").
std::string format_iso8601(double epoch_seconds);

// "2024-01-02T03:04:05.000Z": always with milliseconds, as S3 writes XML timestamps.
std::string format_iso8601_millis(double epoch_seconds);

// RFC 822 / IMF-fixdate as HTTP headers carry it: "Tue, 02 Jan 2024 03:04:05 GMT".
std::string format_rfc822(double epoch_seconds);

}  // namespace aws::protocol
