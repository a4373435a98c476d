// Hashes, HMAC and encodings (OpenSSL's libcrypto underneath).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace common {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view data);
std::string md5_hex(std::string_view data);

std::string hex_encode(const uint8_t* data, size_t size);
inline std::string hex_encode(const Sha256Digest& d) { return hex_encode(d.data(), d.size()); }
inline std::string_view as_string_view(const Sha256Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

std::string base64_encode(std::string_view data);
// Returns false on malformed input.
bool base64_decode(std::string_view in, std::string& out);

// Constant-time comparison of equal-length strings (false when lengths differ).
bool constant_time_equals(std::string_view a, std::string_view b);

// Cryptographically random bytes.
std::string random_bytes(size_t n);

// Incremental SHA-256 for streamed bodies.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::string_view data);
  Sha256Digest finish();

 private:
  void* ctx_;
};

}  // namespace common
