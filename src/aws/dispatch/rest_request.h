// Pieces of the rest-xml (S3) path of the lifecycle: where the bucket and key are (path style
// or virtual-host style), and body readers that check what the signature promised.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "http/request.h"

namespace dispatch {

// The bucket and key a request names. Virtual-host style when the Host is
// "<bucket>.s3.<anything>" (port ignored); otherwise path style "/<bucket>/<key>".
// Both are percent-decoded; `labels` counts what is present (0 "/", 1 bucket, 2 bucket+key).
struct S3Target {
  std::string bucket;
  std::string key;
  int labels = 0;
  bool virtual_host = false;
};
S3Target parse_s3_target(const http::Request& request);

// Passes a body through while hashing it; at its end, compares the SHA-256 with what
// X-Amz-Content-SHA256 declared and returns -1 (mismatch() true) instead of 0 when they differ.
class Sha256CheckingReader final : public http::BodyReader {
 public:
  Sha256CheckingReader(http::BodyReader& inner, std::string expected_hex);
  long read(char* buffer, size_t size) override;
  bool mismatch() const { return mismatch_; }
  const std::string& computed() const { return computed_; }

 private:
  http::BodyReader& inner_;
  std::string expected_;
  std::string computed_;
  common::Sha256Stream hash_;
  bool mismatch_ = false;
  bool done_ = false;
};

// Reads a whole (small) body. False when it is larger than `max_bytes` or reading failed.
bool read_all(http::BodyReader& reader, std::string& out, size_t max_bytes, bool* too_large);

bool is_sha256_hex(std::string_view s);

}  // namespace dispatch

namespace dispatch {

// S3's legacy query-string authentication (SigV2), what `aws s3 presign` and boto3's default
// generate_presigned_url produce: ?AWSAccessKeyId=..&Signature=..&Expires=<epoch>.
struct SigV2Query {
  std::string access_key_id;
  std::string signature;  // base64 HMAC-SHA1
  int64_t expires = 0;
  std::string security_token;  // x-amz-security-token
};
// nullopt when the query string carries no SigV2 parameters.
std::optional<SigV2Query> parse_sigv2_query(const std::vector<std::pair<std::string, std::string>>& query);
// "GET\n<content-md5>\n<content-type>\n<expires>\n[x-amz-*:v\n...]/<bucket>/<key>[?subresources]".
std::string sigv2_string_to_sign(const http::Request& request, const S3Target& target,
                                 const std::vector<std::pair<std::string, std::string>>& query, int64_t expires);
// base64(HMAC-SHA1(secret, string_to_sign)).
std::string sigv2_sign(std::string_view secret, std::string_view string_to_sign);

}  // namespace dispatch
