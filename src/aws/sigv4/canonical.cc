// Canonical request and string to sign. Mirrors botocore/auth.py (SigV4Auth.canonical_request)
// from the server's side: we see the bytes botocore put on the wire, not its inputs.
#include <algorithm>
#include <utility>

#include "aws/sigv4/internal.h"
#include "aws/sigv4/sigv4.h"
#include "common/strings.h"

namespace sigv4 {
namespace internal {

void append_scope(std::string& out, std::string_view date, std::string_view region, std::string_view service) {
  out.append(date);
  out += '/';
  out.append(region);
  out += '/';
  out.append(service);
  out += '/';
  out.append(kTerminator);
}

std::optional<common::TimePoint> parse_amz_date(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') {
    return std::nullopt;
  }
  return common::parse_timestamp(s);
}

}  // namespace internal

namespace {

bool all_unreserved(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
  });
}

// botocore.utils.remove_dot_segments: empty and "." segments go, ".." pops one, a leading
// slash stays, a trailing slash stays when something is left. Works on the raw (still
// percent-encoded) path, as botocore does, so "%2E%2E" is not a dot segment.
std::string remove_dot_segments(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      size_t cut = out.rfind('/');
      out.resize(cut == std::string::npos ? 0 : cut);
    } else if (!segment.empty() && segment != ".") {
      out += '/';
      out.append(segment);
    }
    start = end + 1;
  }
  // `out` is "/a/b" for any kept segments; restore botocore's leading/trailing slash rules.
  if (out.empty()) {
    return std::string(path.front() == '/' ? "/" : "");
  }
  if (path.front() != '/') {
    out.erase(0, 1);
  }
  if (path.back() == '/') {
    out += '/';
  }
  return out;
}

void append_canonical_uri(std::string& out, std::string_view path, PathMode mode) {
  if (mode == PathMode::S3) {
    out.append(path);
    return;
  }
  if (path.empty()) {
    out += '/';
    return;
  }
  // Fast path: nothing to normalise unless there is "//" or a segment starting with '.'.
  bool plain =
      path.front() == '/' && path.find("//") == std::string_view::npos && path.find("/.") == std::string_view::npos;
  if (plain) {
    common::append_uri_encoded(out, path, true);
    return;
  }
  common::append_uri_encoded(out, remove_dot_segments(path), true);
}

// One query component in canonical form: decoded, then RFC 3986 encoded. A raw '+' is taken
// as a space (form encoding), which is what clients that send '+' mean; botocore never
// sends one (it encodes '+' as %2B).
std::string canonical_component(std::string_view raw) {
  if (all_unreserved(raw)) {
    return std::string(raw);
  }
  std::string out;
  out.reserve(raw.size() + 8);
  common::append_uri_encoded(out, common::uri_decode(raw, true), false);
  return out;
}

void append_canonical_query(std::string& out, std::string_view query, bool presigned) {
  if (query.empty()) {
    return;
  }
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(8);
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    std::string_view part = query.substr(start, end - start);
    start = end + 1;
    if (part.empty()) {
      continue;
    }
    size_t eq = part.find('=');
    std::string_view key = part.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    std::string canonical_key = canonical_component(key);
    if (presigned && canonical_key == "X-Amz-Signature") {
      continue;
    }
    pairs.emplace_back(std::move(canonical_key), canonical_component(value));
  }
  // Sorted by encoded key, then encoded value (byte order), as botocore sorts its pairs;
  // see the get-vanilla-query-order-encoded vector in sigv4_test.
  std::sort(pairs.begin(), pairs.end());
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) {
      out += '&';
    }
    out.append(pairs[i].first);
    out += '=';
    out.append(pairs[i].second);
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// Trimall: trim, and collapse internal whitespace runs to one space (botocore: ' '.join(v.split())).
void append_trimmed(std::string& out, std::string_view value) {
  // Fast path: most values have no leading/trailing whitespace and only single inner spaces.
  bool simple = !value.empty() && !is_space(value.front()) && !is_space(value.back());
  for (size_t i = 0; simple && i < value.size(); ++i) {
    char c = value[i];
    simple = (c != ' ' || value[i + 1] != ' ') && (c == ' ' || !is_space(c));
  }
  if (simple || value.empty()) {
    out.append(value);
    return;
  }
  bool pending_space = false;
  bool any = false;
  for (char c : value) {
    if (is_space(c)) {
      pending_space = any;
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
    any = true;
  }
}

void append_lower(std::string& out, std::string_view s) {
  size_t start = out.size();
  out.append(s);
  for (size_t i = start; i < out.size(); ++i) {
    if (out[i] >= 'A' && out[i] <= 'Z') {
      out[i] = static_cast<char>(out[i] + 32);
    }
  }
}

void append_canonical_headers(std::string& out, const http::Request& request, std::string_view signed_headers) {
  size_t start = 0;
  while (start <= signed_headers.size()) {
    size_t end = signed_headers.find(';', start);
    if (end == std::string_view::npos) {
      end = signed_headers.size();
    }
    std::string_view name = signed_headers.substr(start, end - start);
    start = end + 1;
    if (name.empty()) {
      continue;
    }
    append_lower(out, name);
    out += ':';
    bool first = true;
    for (const auto& header : request.headers) {
      if (!common::iequals(header.name, name)) {
        continue;
      }
      if (!first) {
        out += ',';
      }
      append_trimmed(out, header.value);
      first = false;
    }
    out += '\n';
  }
}

}  // namespace

std::string canonical_request(const http::Request& request, const SignedInfo& info, PathMode mode,
                              std::string_view payload_hash) {
  std::string out;
  out.reserve(256 + request.path.size() * 2 + request.query.size() * 2 + info.signed_headers.size() * 4);
  out.append(request.method);
  out += '\n';
  append_canonical_uri(out, request.path, mode);
  out += '\n';
  append_canonical_query(out, request.query, info.presigned);
  out += '\n';
  append_canonical_headers(out, request, info.signed_headers);
  out += '\n';
  out.append(info.signed_headers);
  out += '\n';
  out.append(payload_hash);
  return out;
}

std::string string_to_sign(const SignedInfo& info, std::string_view canonical_request) {
  std::string out;
  out.reserve(kAlgorithm.size() + info.amz_date.size() + info.region.size() + info.service.size() + 96);
  out.append(kAlgorithm);
  out += '\n';
  out.append(info.amz_date);
  out += '\n';
  internal::append_scope(out, info.scope_date, info.region, info.service);
  out += '\n';
  out.append(common::sha256_hex(canonical_request));
  return out;
}

}  // namespace sigv4
