// Reading what a request says about its signature: the Authorization header or the presigned
// query parameters. Error texts follow what AWS answers, so clients print familiar messages.
#include <charconv>

#include "aws/sigv4/internal.h"
#include "aws/sigv4/sigv4.h"
#include "common/strings.h"

namespace sigv4 {
namespace {

constexpr std::string_view kOnlyOneMechanism =
    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string "
    "parameter or the Authorization header should be specified";
constexpr std::string_view kUnsupportedType = "Unsupported Authorization Type";
constexpr std::string_view kHostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
constexpr std::string_view kQueryIncomplete =
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
    "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";

ParseResult malformed(std::string problem) {
  ParseResult result;
  result.status = ParseStatus::Malformed;
  result.problem = std::move(problem);
  return result;
}

ParseResult unsupported(std::string_view problem) {
  ParseResult result;
  result.status = ParseStatus::UnsupportedAlgorithm;
  result.problem = std::string(problem);
  return result;
}

// Splits "AKID/20150830/us-east-1/ssm/aws4_request" into `info`; returns the problem text
// ("" when fine).
std::string parse_credential(std::string_view credential, SignedInfo& info) {
  std::string_view parts[5];
  size_t count = 0;
  size_t start = 0;
  while (start <= credential.size()) {
    size_t end = credential.find('/', start);
    if (end == std::string_view::npos) {
      end = credential.size();
    }
    if (count == 5) {
      count = 6;  // too many
      break;
    }
    parts[count++] = credential.substr(start, end - start);
    start = end + 1;
  }
  if (count != 5 || parts[0].empty()) {
    return "Credential should be scoped to a valid region. ";
  }
  if (parts[4] != internal::kTerminator) {
    return "Credential should be scoped with a valid terminator: 'aws4_request', not '" + std::string(parts[4]) + "'. ";
  }
  info.access_key_id = parts[0];
  info.scope_date = parts[1];
  info.region = parts[2];
  info.service = parts[3];
  return {};
}

bool host_is_signed(std::string_view signed_headers) {
  size_t start = 0;
  while (start <= signed_headers.size()) {
    size_t end = signed_headers.find(';', start);
    if (end == std::string_view::npos) {
      end = signed_headers.size();
    }
    std::string_view name = signed_headers.substr(start, end - start);
    if (common::iequals(name, "host") || name == ":authority") {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// First value of a header; Request::header without the locale-aware compare.
const std::string* find_header(const http::Request& request, std::string_view name) {
  for (const auto& header : request.headers) {
    if (common::iequals(header.name, name)) {
      return &header.value;
    }
  }
  return nullptr;
}

// X-Amz-Date wins; a Date header (RFC 1123) is converted to the basic format. An unparsable
// Date is kept as sent so verify() reports it as BadDate.
bool read_date(const http::Request& request, SignedInfo& info) {
  if (const std::string* amz_date = find_header(request, "X-Amz-Date")) {
    info.amz_date = std::string(common::trim(*amz_date));
    return true;
  }
  if (const std::string* date = find_header(request, "Date")) {
    auto parsed = common::parse_timestamp(common::trim(*date));
    info.amz_date = parsed ? common::format_amz_date(*parsed) : std::string(common::trim(*date));
    return true;
  }
  return false;
}

bool is_separator(char c) { return c == ' ' || c == ',' || c == '\t'; }

ParseResult parse_header(const http::Request& request, std::string_view header) {
  std::string_view value = common::trim(header);
  size_t algorithm_end = 0;
  while (algorithm_end < value.size() && !is_separator(value[algorithm_end])) {
    ++algorithm_end;
  }
  if (value.substr(0, algorithm_end) != kAlgorithm) {
    return unsupported(kUnsupportedType);  // "AWS AKID:sig" (SigV2), SigV4a, Basic, ...
  }

  // AWS accepts "Credential=a, SignedHeaders=b, Signature=c" with or without the spaces;
  // none of the three values can contain a space or a comma, so any run of them separates.
  std::string_view credential, signed_headers, signature;
  size_t pos = algorithm_end;
  while (pos < value.size()) {
    while (pos < value.size() && is_separator(value[pos])) {
      ++pos;
    }
    size_t end = pos;
    while (end < value.size() && !is_separator(value[end])) {
      ++end;
    }
    std::string_view token = value.substr(pos, end - pos);
    pos = end;
    size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    std::string_view key = token.substr(0, eq);
    std::string_view item = token.substr(eq + 1);
    if (key == "Credential") {
      credential = item;
    } else if (key == "SignedHeaders") {
      signed_headers = item;
    } else if (key == "Signature") {
      signature = item;
    }
  }

  ParseResult result;
  SignedInfo& info = result.info;
  bool has_date = read_date(request, info);
  if (credential.empty() || signature.empty() || signed_headers.empty() || !has_date) {
    std::string problem;
    if (credential.empty()) {
      problem += "Authorization header requires 'Credential' parameter. ";
    }
    if (signature.empty()) {
      problem += "Authorization header requires 'Signature' parameter. ";
    }
    if (signed_headers.empty()) {
      problem += "Authorization header requires 'SignedHeaders' parameter. ";
    }
    if (!has_date) {
      problem += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    problem += "Authorization=";
    problem.append(value);
    return malformed(std::move(problem));
  }
  if (std::string problem = parse_credential(credential, info); !problem.empty()) {
    return malformed(std::move(problem));
  }
  if (!host_is_signed(signed_headers)) {
    return malformed(std::string(kHostNotSigned));
  }
  info.signed_headers = signed_headers;
  info.signature = signature;
  if (const std::string* token = find_header(request, "X-Amz-Security-Token")) {
    info.security_token = std::string(common::trim(*token));
  }
  result.status = ParseStatus::Ok;
  return result;
}

ParseResult parse_presigned(const http::Request& request) {
  std::string algorithm, credential, date, expires, signed_headers, signature, token;
  bool has_algorithm = false, has_expires = false;
  for (auto& [key, value] : common::parse_query(request.query, true)) {
    if (key == "X-Amz-Algorithm") {
      algorithm = std::move(value);
      has_algorithm = true;
    } else if (key == "X-Amz-Credential") {
      credential = std::move(value);
    } else if (key == "X-Amz-Date") {
      date = std::move(value);
    } else if (key == "X-Amz-Expires") {
      expires = std::move(value);
      has_expires = true;
    } else if (key == "X-Amz-SignedHeaders") {
      signed_headers = std::move(value);
    } else if (key == "X-Amz-Signature") {
      signature = std::move(value);
    } else if (key == "X-Amz-Security-Token") {
      token = std::move(value);
    }
  }
  if (has_algorithm && algorithm != kAlgorithm) {
    return unsupported("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  if (!has_algorithm || credential.empty() || signature.empty() || date.empty() || signed_headers.empty() ||
      !has_expires) {
    return malformed(std::string(kQueryIncomplete));
  }
  ParseResult result;
  SignedInfo& info = result.info;
  info.presigned = true;
  if (std::string problem = parse_credential(credential, info); !problem.empty()) {
    return malformed(std::move(problem));
  }
  auto [end, error] = std::from_chars(expires.data(), expires.data() + expires.size(), info.expires_seconds);
  if (error != std::errc() || end != expires.data() + expires.size()) {
    return malformed("X-Amz-Expires should be a number");
  }
  if (!host_is_signed(signed_headers)) {
    return malformed(std::string(kHostNotSigned));
  }
  info.amz_date = std::move(date);
  info.signed_headers = std::move(signed_headers);
  info.signature = std::move(signature);
  info.security_token = std::move(token);
  result.status = ParseStatus::Ok;
  return result;
}

// Cheap scan of the raw query for a parameter name, without decoding anything (the hot
// path: most requests carry the header and an empty or short query).
bool query_has(std::string_view query, std::string_view name) {
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    std::string_view part = query.substr(start, end - start);
    std::string_view key = part.substr(0, part.find('='));
    if (key == name) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace

ParseResult parse(const http::Request& request) {
  const std::string* header = find_header(request, "Authorization");
  const std::string_view query = request.query;
  bool presigned = !query.empty() && (query_has(query, "X-Amz-Signature") || query_has(query, "X-Amz-Credential") ||
                                      query_has(query, "X-Amz-Algorithm"));
  if (header != nullptr && presigned) {
    return malformed(std::string(kOnlyOneMechanism));
  }
  if (header != nullptr) {
    return parse_header(request, *header);
  }
  if (presigned) {
    return parse_presigned(request);
  }
  if (!query.empty() && query_has(query, "AWSAccessKeyId") && query_has(query, "Signature")) {
    return unsupported(kUnsupportedType);  // SigV2 presigned URL
  }
  return ParseResult{};
}

}  // namespace sigv4
