// Pieces of the rest-xml (S3) path of the lifecycle: where the bucket and key are (path style
// or virtual-host style), and body readers that check what the signature promised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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
  ~Sha256CheckingReader() override;
  long read(char* buffer, size_t size) override;
  bool mismatch() const { return mismatch_; }
  const std::string& computed() const { return computed_; }

 private:
  http::BodyReader& inner_;
  std::string expected_;
  std::string computed_;
  void* hash_ = nullptr;  // EVP_MD_CTX
  bool mismatch_ = false;
  bool done_ = false;
};

// Reads a whole (small) body. False when it is larger than `max_bytes` or reading failed.
bool read_all(http::BodyReader& reader, std::string& out, size_t max_bytes, bool* too_large);

bool is_sha256_hex(std::string_view s);

}  // namespace dispatch
