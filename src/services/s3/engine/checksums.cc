#include "services/s3/engine/checksums.h"

#include <array>

#include "common/crypto.h"

namespace s3 {
namespace {

struct CrcModel {
  int width;
  uint64_t polynomial;           // reflected
  std::array<uint64_t, 64> x2n;  // x^(2^k) modulo the polynomial
};

uint64_t multiply_mod(const CrcModel& crc, uint64_t a, uint64_t b) {
  if (a == 0) return 0;
  uint64_t m = uint64_t{1} << (crc.width - 1);
  uint64_t p = 0;
  while (true) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ crc.polynomial : b >> 1;
  }
  return p;
}

CrcModel make_model(int width, uint64_t polynomial) {
  CrcModel crc{width, polynomial, {}};
  crc.x2n[0] = uint64_t{1} << (width - 2);  // x^1 (x^0 is the top bit: the registers are reflected)
  for (size_t k = 1; k < crc.x2n.size(); ++k) crc.x2n[k] = multiply_mod(crc, crc.x2n[k - 1], crc.x2n[k - 1]);
  return crc;
}

const CrcModel& model(common::ChecksumAlgorithm algorithm) {
  static const CrcModel kCrc32 = make_model(32, 0xEDB88320u);
  static const CrcModel kCrc32c = make_model(32, 0x82F63B78u);
  static const CrcModel kCrc64Nvme = make_model(64, 0x9A6C9329AC4BC9B5ull);
  switch (algorithm) {
    case common::ChecksumAlgorithm::CRC32C: return kCrc32c;
    case common::ChecksumAlgorithm::CRC64NVME: return kCrc64Nvme;
    default: return kCrc32;
  }
}

// x^(8 * bytes) modulo the polynomial.
uint64_t x_to_bytes(const CrcModel& crc, uint64_t bytes) {
  uint64_t p = uint64_t{1} << (crc.width - 1);
  for (size_t k = 3; bytes != 0; bytes >>= 1, ++k) {
    if (bytes & 1) p = multiply_mod(crc, crc.x2n[k % crc.x2n.size()], p);
  }
  return p;
}

Error bad_part_checksum(common::ChecksumAlgorithm algorithm) {
  return make_error(Reason::InvalidRequest, "The upload was created using a " +
                                                std::string(common::checksum_name(algorithm)) +
                                                " checksum. The complete request must include the checksum for each "
                                                "part.");
}

}  // namespace

bool is_crc(common::ChecksumAlgorithm algorithm) {
  return algorithm == common::ChecksumAlgorithm::CRC32 || algorithm == common::ChecksumAlgorithm::CRC32C ||
         algorithm == common::ChecksumAlgorithm::CRC64NVME;
}

uint64_t crc_combine(common::ChecksumAlgorithm algorithm, uint64_t crc_a, uint64_t crc_b, uint64_t length_b) {
  const CrcModel& crc = model(algorithm);
  return multiply_mod(crc, x_to_bytes(crc, length_b), crc_a) ^ crc_b;
}

Result<std::string> multipart_checksum(common::ChecksumAlgorithm algorithm, std::string_view type,
                                       const std::vector<std::string>& part_checksums,
                                       const std::vector<uint64_t>& part_sizes) {
  std::vector<std::string> raw(part_checksums.size());
  for (size_t i = 0; i < part_checksums.size(); ++i) {
    if (part_checksums[i].empty() || !common::base64_decode(part_checksums[i], raw[i])) {
      return common::fail(bad_part_checksum(algorithm));
    }
  }
  if (type == "FULL_OBJECT") {
    if (!is_crc(algorithm)) {
      return common::fail(make_error(Reason::InvalidRequest, "The FULL_OBJECT checksum type cannot be used with the " +
                                                                 std::string(common::checksum_name(algorithm)) +
                                                                 " checksum algorithm."));
    }
    size_t width = algorithm == common::ChecksumAlgorithm::CRC64NVME ? 8 : 4;
    uint64_t combined = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i].size() != width) return common::fail(bad_part_checksum(algorithm));
      uint64_t value = 0;
      for (unsigned char c : raw[i]) value = (value << 8) | c;
      combined = i == 0 ? value : crc_combine(algorithm, combined, value, part_sizes[i]);
    }
    std::string out(width, '\0');
    for (size_t i = 0; i < width; ++i) out[width - 1 - i] = static_cast<char>((combined >> (8 * i)) & 0xff);
    return common::base64_encode(out);
  }
  common::Checksum checksum(algorithm);
  for (const std::string& r : raw) checksum.update(r);
  return checksum.base64() + "-" + std::to_string(raw.size());
}

}  // namespace s3
