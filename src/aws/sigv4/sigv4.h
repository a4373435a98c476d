// AWS Signature Version 4: parsing and verifying signed requests (Authorization header and
// presigned query strings), the signing-key chain with a cache, and the CodeCommit git
// password scheme. Pure functions of their inputs plus an injected "now": no I/O.
// S3's streaming (aws-chunked) chunk signatures reuse derive_signing_key/chunk_string_to_sign.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/crypto.h"
#include "http/request.h"

namespace sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// What the request says about its signature.
struct SignedInfo {
  bool presigned = false;  // from the query string (X-Amz-Signature) vs the header
  std::string access_key_id;
  std::string scope_date;  // yyyymmdd from the credential scope
  std::string region;
  std::string service;
  std::string signed_headers;   // "host;x-amz-date" as sent
  std::string signature;        // 64 hex
  std::string amz_date;         // X-Amz-Date (or Date header converted), "20150830T123600Z"
  std::string security_token;   // X-Amz-Security-Token, "" when absent
  int64_t expires_seconds = 0;  // presigned: X-Amz-Expires
};

enum class ParseStatus {
  Ok,
  Missing,               // no Authorization header and no X-Amz-Signature/X-Amz-Credential in the query
  Malformed,             // present but incomplete/garbled (IncompleteSignature / AuthorizationHeaderMalformed)
  UnsupportedAlgorithm,  // e.g. AWS (v2) "AWS AKID:sig" or another algorithm
};

struct ParseResult {
  ParseStatus status = ParseStatus::Missing;
  SignedInfo info;
  std::string problem;  // human-readable reason for Malformed, AWS-like text
};

// Reads the Authorization header ("AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=...") or the presigned query parameters. X-Amz-Date wins over Date.
ParseResult parse(const http::Request& request);

// Path handling differs between S3 (raw path, no normalisation) and every other service
// (normalised, then URI-encoded again).
enum class PathMode { Normalize, S3 };

// The canonical request, exactly as AWS builds it. `payload_hash` is the hex SHA-256 of the
// body, or the X-Amz-Content-SHA256 value (UNSIGNED-PAYLOAD, STREAMING-...), or for presigned
// S3 requests "UNSIGNED-PAYLOAD".
std::string canonical_request(const http::Request& request, const SignedInfo& info, PathMode mode,
                              std::string_view payload_hash);
std::string string_to_sign(const SignedInfo& info, std::string_view canonical_request);

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
common::Sha256Digest derive_signing_key(std::string_view secret, std::string_view date, std::string_view region,
                                        std::string_view service);

// Thread-safe cache of signing keys keyed by (secret, date, region, service); bounded.
class SigningKeyCache {
 public:
  common::Sha256Digest get(std::string_view secret, std::string_view date, std::string_view region,
                           std::string_view service);

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, common::Sha256Digest> keys_;
};

// Hex signature of `string_to_sign` with `signing_key`.
std::string sign(const common::Sha256Digest& signing_key, std::string_view string_to_sign);

// S3 aws-chunked (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]): the string to sign of one
// chunk, "AWS4-HMAC-SHA256-PAYLOAD\n<amz_date>\n<scope>\n<previous signature>\n<sha256("")>\n
// <chunk sha256 hex>". The first chunk's previous signature is the request's (seed) signature.
std::string chunk_string_to_sign(const SignedInfo& info, std::string_view previous_signature,
                                 std::string_view chunk_sha256_hex);
// The signed trailer: "AWS4-HMAC-SHA256-TRAILER\n<amz_date>\n<scope>\n<previous signature>\n
// <sha256 hex of the trailer lines>".
std::string trailer_string_to_sign(const SignedInfo& info, std::string_view previous_signature,
                                   std::string_view trailer_sha256_hex);

enum class VerifyStatus {
  Ok,
  SignatureMismatch,
  Skewed,       // header auth: |now - X-Amz-Date| > 15 minutes
  Expired,      // presigned: now > X-Amz-Date + X-Amz-Expires
  NotYetValid,  // presigned: X-Amz-Date in the future (beyond 15 min skew)
  BadDate,      // X-Amz-Date unparsable or not matching the scope date
};

struct VerifyResult {
  VerifyStatus status = VerifyStatus::SignatureMismatch;
  std::string message;            // AWS-like text ("Signature expired: 20150830T123600Z is now earlier than ...")
  std::string canonical_request;  // for SignatureDoesNotMatch messages/debug logs
  std::string string_to_sign;
};

// Verifies time validity first, then the signature (constant-time compare).
VerifyResult verify(const http::Request& request, const SignedInfo& info, std::string_view secret_access_key,
                    PathMode mode, std::string_view payload_hash, common::TimePoint now,
                    SigningKeyCache* cache = nullptr);

// Signs a request (client side): returns the Authorization header value for `request`
// with `amz_date` and the given signed header names (lower case). Used by tests and by
// hakobu when it calls itself nowhere else; kept next to verify so both share one code path.
std::string authorization_header(const http::Request& request, std::string_view access_key_id,
                                 std::string_view secret_access_key, std::string_view amz_date, std::string_view region,
                                 std::string_view service, const std::vector<std::string>& signed_header_names,
                                 PathMode mode, std::string_view payload_hash);

// CodeCommit git over HTTPS (aws codecommit credential-helper): password is
// "<yyyymmddThhmmss>Z<hex sig>" signing "GIT\n<path>\n\nhost:<host>\n\nhost\n" with a
// timestamp without the Z in the string to sign. `path` is the remote URL path ("/v1/repos/x"),
// `host` without port.
std::string git_password(std::string_view secret_access_key, std::string_view region, std::string_view host,
                         std::string_view path, common::TimePoint t);
VerifyResult verify_git_password(std::string_view password, std::string_view secret_access_key, std::string_view region,
                                 std::string_view host, std::string_view path, common::TimePoint now);

}  // namespace sigv4
