#include "aws/dispatch/rest_request.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "common/strings.h"

namespace dispatch {

S3Target parse_s3_target(const http::Request& request) {
  S3Target target;
  std::string_view path = request.path;
  if (const std::string* host = request.header("host")) {
    std::string_view h = *host;
    if (!h.empty() && h.front() != '[') {
      size_t colon = h.rfind(':');
      if (colon != std::string_view::npos) h = h.substr(0, colon);
    }
    size_t at = h.find(".s3.");
    if (at == std::string_view::npos && h.size() > 3 && h.substr(h.size() - 3) == ".s3") at = h.size() - 3;
    if (at != std::string_view::npos && at > 0) {
      target.bucket = common::to_lower(h.substr(0, at));
      target.virtual_host = true;
    }
  }
  std::string_view rest = path;
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  if (!target.virtual_host) {
    size_t slash = rest.find('/');
    std::string_view bucket = slash == std::string_view::npos ? rest : rest.substr(0, slash);
    target.bucket = common::uri_decode(bucket, false);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  if (target.bucket.empty()) return target;
  target.labels = 1;
  if (!rest.empty()) {
    target.key = common::uri_decode(rest, false);
    target.labels = 2;
  }
  return target;
}

Sha256CheckingReader::Sha256CheckingReader(http::BodyReader& inner, std::string expected_hex)
    : inner_(inner), expected_(common::to_lower(expected_hex)) {}

long Sha256CheckingReader::read(char* buffer, size_t size) {
  if (mismatch_) return -1;
  if (done_) return 0;
  long n = inner_.read(buffer, size);
  if (n > 0) {
    hash_.update(std::string_view(buffer, static_cast<size_t>(n)));
    return n;
  }
  if (n < 0) return n;
  computed_ = common::hex_encode(hash_.finish());
  done_ = true;
  if (computed_ != expected_) {
    mismatch_ = true;
    return -1;
  }
  return 0;
}

bool read_all(http::BodyReader& reader, std::string& out, size_t max_bytes, bool* too_large) {
  out.clear();
  char buffer[16384];
  while (true) {
    long n = reader.read(buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) return false;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      if (too_large != nullptr) *too_large = true;
      return false;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace dispatch

namespace dispatch {

std::optional<SigV2Query> parse_sigv2_query(const std::vector<std::pair<std::string, std::string>>& query) {
  SigV2Query q;
  bool has_key = false, has_signature = false, has_expires = false;
  for (const auto& [k, v] : query) {
    if (k == "AWSAccessKeyId") {
      q.access_key_id = v;
      has_key = true;
    } else if (k == "Signature") {
      q.signature = v;
      has_signature = true;
    } else if (k == "Expires") {
      char* end = nullptr;
      q.expires = std::strtoll(v.c_str(), &end, 10);
      has_expires = end != v.c_str() && *end == '\0';
    } else if (common::iequals(k, "x-amz-security-token")) {
      q.security_token = v;
    }
  }
  if (!has_key || !has_signature || !has_expires) return std::nullopt;
  return q;
}

std::string sigv2_string_to_sign(const http::Request& request, const S3Target& target,
                                 const std::vector<std::pair<std::string, std::string>>& query, int64_t expires) {
  // The sub-resources botocore (HmacV1Auth.QSAOfInterest) and S3 sign.
  static constexpr std::string_view kSubresources[] = {"accelerate",
                                                       "acl",
                                                       "cors",
                                                       "defaultObjectAcl",
                                                       "location",
                                                       "logging",
                                                       "partNumber",
                                                       "policy",
                                                       "requestPayment",
                                                       "torrent",
                                                       "versioning",
                                                       "versionId",
                                                       "versions",
                                                       "website",
                                                       "uploads",
                                                       "uploadId",
                                                       "response-content-type",
                                                       "response-content-language",
                                                       "response-expires",
                                                       "response-cache-control",
                                                       "response-content-disposition",
                                                       "response-content-encoding",
                                                       "delete",
                                                       "lifecycle",
                                                       "tagging",
                                                       "restore",
                                                       "storageClass",
                                                       "notification",
                                                       "replication",
                                                       "analytics",
                                                       "metrics",
                                                       "inventory",
                                                       "select",
                                                       "select-type",
                                                       "object-lock"};
  auto value_of = [&](std::string_view name) -> std::string {
    for (const auto& [k, v] : query) {
      if (common::iequals(k, name)) return v;
    }
    if (const std::string* h = request.header(name)) return std::string(common::trim(*h));
    return {};
  };
  std::string out;
  out.append(request.method).append("\n");
  out.append(value_of("content-md5")).append("\n");
  out.append(value_of("content-type")).append("\n");
  out.append(std::to_string(expires)).append("\n");
  // x-amz-* from the query (where presigning moved them) and the headers, sorted, joined by ','.
  std::map<std::string, std::string> amz;
  auto add_amz = [&amz](std::string name, std::string_view value) {
    if (name.rfind("x-amz-", 0) != 0) return;
    std::string& slot = amz[name];
    if (!slot.empty()) slot.push_back(',');
    slot.append(value);
  };
  for (const auto& [k, v] : query) add_amz(common::to_lower(k), v);
  for (const auto& h : request.headers) add_amz(common::to_lower(h.name), common::trim(h.value));
  for (const auto& [k, v] : amz) out.append(k).append(":").append(v).append("\n");
  if (target.virtual_host) out.append("/").append(target.bucket);
  out.append(request.path);
  std::vector<std::pair<std::string, std::optional<std::string>>> sub;
  for (auto part : common::split(request.query, '&')) {
    size_t eq = part.find('=');
    std::string_view key = part.substr(0, eq);
    for (std::string_view s : kSubresources) {
      if (key != s) continue;
      std::optional<std::string> value;
      if (eq != std::string_view::npos) value = common::uri_decode(part.substr(eq + 1), false);
      sub.emplace_back(std::string(key), std::move(value));
    }
  }
  std::stable_sort(sub.begin(), sub.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < sub.size(); ++i) {
    out.push_back(i == 0 ? '?' : '&');
    out.append(sub[i].first);
    if (sub[i].second) out.append("=").append(*sub[i].second);
  }
  return out;
}

std::string sigv2_sign(std::string_view secret, std::string_view string_to_sign) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(), digest, &length);
  return common::base64_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace dispatch
