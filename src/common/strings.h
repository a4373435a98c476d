// Small string helpers shared by codecs and services.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace common {

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
bool starts_with_icase(std::string_view s, std::string_view prefix);
std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);

// RFC 3986 percent-encoding of everything but unreserved characters (A-Za-z0-9-_.~);
// `keep_slash` leaves '/' alone (SigV4 canonical URIs, S3 keys).
std::string uri_encode(std::string_view s, bool keep_slash = false);
// The same, appended to `out` (no allocation of its own; SigV4's canonical request).
void append_uri_encoded(std::string& out, std::string_view s, bool keep_slash);
// Percent-decoding; `plus_as_space` for application/x-www-form-urlencoded.
std::string uri_decode(std::string_view s, bool plus_as_space = false);

// Parses "a=1&b=2" (form or query string) into decoded pairs, in order.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query, bool plus_as_space = true);

std::string xml_escape(std::string_view s);

}  // namespace common
