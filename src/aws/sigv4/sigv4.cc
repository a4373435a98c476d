// Signing keys, signatures, verification and client-side signing.
#include "aws/sigv4/sigv4.h"

#include <algorithm>
#include <chrono>

#include "aws/sigv4/internal.h"
#include "common/strings.h"

namespace sigv4 {
namespace {

constexpr auto kMaxSkew = std::chrono::minutes(15);
constexpr int64_t kMaxExpiresSeconds = 604800;  // one week
constexpr size_t kMaxCachedKeys = 1024;

constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";

VerifyResult failure(VerifyStatus status, std::string message) {
  VerifyResult result;
  result.status = status;
  result.message = std::move(message);
  return result;
}

}  // namespace

common::Sha256Digest derive_signing_key(std::string_view secret, std::string_view date, std::string_view region,
                                        std::string_view service) {
  std::string first_key;
  first_key.reserve(4 + secret.size());
  first_key.append("AWS4").append(secret);
  common::Sha256Digest key = common::hmac_sha256(first_key, date);
  key = common::hmac_sha256(common::as_string_view(key), region);
  key = common::hmac_sha256(common::as_string_view(key), service);
  return common::hmac_sha256(common::as_string_view(key), internal::kTerminator);
}

common::Sha256Digest SigningKeyCache::get(std::string_view secret, std::string_view date, std::string_view region,
                                          std::string_view service) {
  // Reused per thread so a cache hit allocates nothing.
  thread_local std::string cache_key;
  cache_key.clear();
  cache_key.append(secret).append(1, '\0').append(date).append(1, '\0').append(region).append(1, '\0').append(service);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = keys_.find(cache_key);
    if (it != keys_.end()) {
      return it->second;
    }
  }
  // Four HMACs outside the lock; two threads may derive the same key, which is harmless.
  common::Sha256Digest key = derive_signing_key(secret, date, region, service);
  std::lock_guard<std::mutex> lock(mutex_);
  if (keys_.size() >= kMaxCachedKeys) {
    keys_.clear();  // crude but bounded; keys change once a day per credential
  }
  keys_.emplace(cache_key, key);
  return key;
}

std::string sign(const common::Sha256Digest& signing_key, std::string_view string_to_sign) {
  return common::hex_encode(common::hmac_sha256(common::as_string_view(signing_key), string_to_sign));
}

std::string chunk_string_to_sign(const SignedInfo& info, std::string_view previous_signature,
                                 std::string_view chunk_sha256_hex) {
  std::string out;
  out.reserve(300);
  out.append("AWS4-HMAC-SHA256-PAYLOAD\n").append(info.amz_date).append("\n");
  internal::append_scope(out, info.scope_date, info.region, info.service);
  out.append("\n").append(previous_signature).append("\n").append(kEmptyPayloadSha256).append("\n");
  out.append(chunk_sha256_hex);
  return out;
}

std::string trailer_string_to_sign(const SignedInfo& info, std::string_view previous_signature,
                                   std::string_view trailer_sha256_hex) {
  std::string out;
  out.reserve(240);
  out.append("AWS4-HMAC-SHA256-TRAILER\n").append(info.amz_date).append("\n");
  internal::append_scope(out, info.scope_date, info.region, info.service);
  out.append("\n").append(previous_signature).append("\n").append(trailer_sha256_hex);
  return out;
}

VerifyResult verify(const http::Request& request, const SignedInfo& info, std::string_view secret_access_key,
                    PathMode mode, std::string_view payload_hash, common::TimePoint now, SigningKeyCache* cache) {
  auto date = internal::parse_amz_date(info.amz_date);
  if (!date) {
    return failure(VerifyStatus::BadDate, "Date must be in ISO-8601 'basic format'. Got '" + info.amz_date +
                                              "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  std::string_view day = std::string_view(info.amz_date).substr(0, 8);
  if (info.scope_date != day) {
    return failure(VerifyStatus::BadDate,
                   "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                       info.scope_date + "' != '" + std::string(day) + "', from '" + info.amz_date + "'.");
  }
  if (info.presigned) {
    if (info.expires_seconds < 1 || info.expires_seconds > kMaxExpiresSeconds) {
      return failure(VerifyStatus::BadDate, "X-Amz-Expires must be less than a week (in seconds) that is 604800");
    }
    if (now > *date + std::chrono::seconds(info.expires_seconds)) {
      return failure(VerifyStatus::Expired, "Request has expired");
    }
    if (*date > now + kMaxSkew) {
      return failure(VerifyStatus::NotYetValid, "Request is not valid yet");
    }
  } else if (now - *date > kMaxSkew) {
    return failure(VerifyStatus::Skewed, "Signature expired: " + info.amz_date + " is now earlier than " +
                                             common::format_amz_date(now - kMaxSkew) + " (" +
                                             common::format_amz_date(now) + " - 15 min.)");
  } else if (*date - now > kMaxSkew) {
    return failure(VerifyStatus::Skewed, "Signature not yet current: " + info.amz_date + " is still later than " +
                                             common::format_amz_date(now + kMaxSkew) + " (" +
                                             common::format_amz_date(now) + " + 15 min.)");
  }

  VerifyResult result;
  result.canonical_request = canonical_request(request, info, mode, payload_hash);
  result.string_to_sign = string_to_sign(info, result.canonical_request);
  common::Sha256Digest key = cache != nullptr
                                 ? cache->get(secret_access_key, info.scope_date, info.region, info.service)
                                 : derive_signing_key(secret_access_key, info.scope_date, info.region, info.service);
  if (common::constant_time_equals(sign(key, result.string_to_sign), info.signature)) {
    result.status = VerifyStatus::Ok;
  } else {
    result.status = VerifyStatus::SignatureMismatch;
    result.message = std::string(kMismatch);
  }
  return result;
}

std::string authorization_header(const http::Request& request, std::string_view access_key_id,
                                 std::string_view secret_access_key, std::string_view amz_date, std::string_view region,
                                 std::string_view service, const std::vector<std::string>& signed_header_names,
                                 PathMode mode, std::string_view payload_hash) {
  std::vector<std::string> names;
  names.reserve(signed_header_names.size());
  for (const auto& name : signed_header_names) {
    names.push_back(common::to_lower(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  SignedInfo info;
  info.access_key_id = access_key_id;
  info.amz_date = amz_date;
  info.scope_date = amz_date.substr(0, 8);
  info.region = region;
  info.service = service;
  for (const auto& name : names) {
    if (!info.signed_headers.empty()) {
      info.signed_headers += ';';
    }
    info.signed_headers += name;
  }
  std::string to_sign = string_to_sign(info, canonical_request(request, info, mode, payload_hash));
  std::string signature = sign(derive_signing_key(secret_access_key, info.scope_date, region, service), to_sign);

  std::string out(kAlgorithm);
  out.append(" Credential=").append(access_key_id).append("/");
  internal::append_scope(out, info.scope_date, region, service);
  out.append(", SignedHeaders=").append(info.signed_headers).append(", Signature=").append(signature);
  return out;
}

}  // namespace sigv4
