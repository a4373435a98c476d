// Streaming checksums as S3 names them: CRC32, CRC32C, CRC64NVME, SHA1, SHA256 (and MD5 for
// ETags). Digests are the raw big-endian bytes; S3 headers carry them base64-encoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace common {

enum class ChecksumAlgorithm { CRC32, CRC32C, CRC64NVME, SHA1, SHA256, MD5 };

// "CRC32", "crc32c", "SHA256"... (case-insensitive); nullopt for anything else, MD5 included:
// it is not one of S3's ChecksumAlgorithm values (x-amz-checksum-algorithm / -sdk-checksum-algorithm).
std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name);
// Upper-case name: "CRC32".
std::string_view checksum_name(ChecksumAlgorithm algorithm);
// The S3 header carrying it: "x-amz-checksum-crc32".
std::string checksum_header(ChecksumAlgorithm algorithm);

class Checksum {
 public:
  explicit Checksum(ChecksumAlgorithm algorithm);
  ~Checksum();
  Checksum(Checksum&&) noexcept;
  Checksum& operator=(Checksum&&) noexcept;
  Checksum(const Checksum&) = delete;
  Checksum& operator=(const Checksum&) = delete;

  ChecksumAlgorithm algorithm() const { return algorithm_; }
  void update(const void* data, size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // Raw digest bytes (4 for CRC32/CRC32C, 8 for CRC64NVME, 20 SHA1, 32 SHA256, 16 MD5).
  // Call once, after the last update.
  std::string digest();
  std::string base64() { return base64_of(digest()); }

 private:
  static std::string base64_of(const std::string& raw);
  ChecksumAlgorithm algorithm_;
  uint64_t crc_ = 0;
  struct Hash;
  std::unique_ptr<Hash> hash_;  // SHA1/SHA256/MD5
};

// One-shot helpers.
std::string checksum_base64(ChecksumAlgorithm algorithm, std::string_view data);

// CRC32C through the slicing-by-8 tables even where SSE4.2 is used (so tests cover both paths).
// `crc` is a previous result (0 to start).
uint32_t crc32c_table_for_test(uint32_t crc, std::string_view data);

}  // namespace common
