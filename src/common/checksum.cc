#include "common/checksum.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <array>
#include <climits>
#include <cstring>

#include "common/crypto.h"
#include "common/strings.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace common {
namespace {

// Slicing-by-8 tables for a reflected CRC: table[0] is the classic byte table, table[k][b] the
// CRC of byte b followed by k zero bytes, so eight input bytes cost eight lookups.
template <typename T>
using SliceTables = std::array<std::array<T, 256>, 8>;

template <typename T>
constexpr SliceTables<T> make_tables(T polynomial) {
  SliceTables<T> tables{};
  for (unsigned b = 0; b < 256; ++b) {
    T crc = b;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1) ? (crc >> 1) ^ polynomial : crc >> 1;
    }
    tables[0][b] = crc;
  }
  for (unsigned b = 0; b < 256; ++b) {
    for (size_t k = 1; k < 8; ++k) {
      T previous = tables[k - 1][b];
      tables[k][b] = (previous >> 8) ^ tables[0][previous & 0xff];
    }
  }
  return tables;
}

constexpr auto kCrc32cTables = make_tables<uint32_t>(0x82F63B78u);
constexpr auto kCrc64NvmeTables = make_tables<uint64_t>(0x9a6c9329ac4bc9b5ull);

uint64_t load_le64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

// `crc` is the register (already inverted); the callers own the ~ at both ends. A 32-bit register
// only overlaps the first four of the eight bytes, which the same lookups handle.
template <typename T>
T slice8(T crc, const SliceTables<T>& t, const unsigned char* p, size_t size) {
  while (size >= 8) {
    uint64_t word = load_le64(p) ^ static_cast<uint64_t>(crc);
    crc = static_cast<T>(t[7][word & 0xff] ^ t[6][(word >> 8) & 0xff] ^ t[5][(word >> 16) & 0xff] ^
                         t[4][(word >> 24) & 0xff] ^ t[3][(word >> 32) & 0xff] ^ t[2][(word >> 40) & 0xff] ^
                         t[1][(word >> 48) & 0xff] ^ t[0][word >> 56]);
    p += 8;
    size -= 8;
  }
  while (size-- > 0) {
    crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
  }
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(uint32_t crc, const unsigned char* p, size_t size) {
  uint64_t c = crc;
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof word);
    c = _mm_crc32_u64(c, word);
    p += 8;
    size -= 8;
  }
  auto c32 = static_cast<uint32_t>(c);
  while (size-- > 0) {
    c32 = _mm_crc32_u8(c32, *p++);
  }
  return c32;
}

bool have_sse42() {
  static const bool supported = __builtin_cpu_supports("sse4.2");
  return supported;
}
#endif

// The running values below are kept finalised (as zlib's crc32() does), so 0 is the start
// value and update(a); update(b) equals update(ab).
uint32_t crc32c_update(uint32_t crc, const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
#if defined(__x86_64__)
  if (have_sse42()) {
    return ~crc32c_sse42(~crc, p, size);
  }
#endif
  return ~slice8<uint32_t>(~crc, kCrc32cTables, p, size);
}

uint64_t crc64nvme_update(uint64_t crc, const void* data, size_t size) {
  return ~slice8<uint64_t>(~crc, kCrc64NvmeTables, static_cast<const unsigned char*>(data), size);
}

uint32_t crc32_update(uint32_t crc, const void* data, size_t size) {
  const auto* p = static_cast<const Bytef*>(data);
  // zlib takes uInt lengths; feed very large buffers in pieces.
  while (size > 0) {
    auto piece = static_cast<uInt>(size > UINT_MAX ? UINT_MAX : size);
    crc = static_cast<uint32_t>(::crc32(crc, p, piece));
    p += piece;
    size -= piece;
  }
  return crc;
}

std::string big_endian(uint64_t value, size_t bytes) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) {
    out[bytes - 1 - i] = static_cast<char>(value >> (8 * i));
  }
  return out;
}

const EVP_MD* message_digest(ChecksumAlgorithm algorithm) {
  // Fetched once: OpenSSL 3 otherwise looks the algorithm up on every init.
  static const EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static const EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static const EVP_MD* md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  switch (algorithm) {
    case ChecksumAlgorithm::SHA1: return sha1 != nullptr ? sha1 : EVP_sha1();
    case ChecksumAlgorithm::SHA256: return sha256 != nullptr ? sha256 : EVP_sha256();
    case ChecksumAlgorithm::MD5: return md5 != nullptr ? md5 : EVP_md5();
    case ChecksumAlgorithm::CRC32:
    case ChecksumAlgorithm::CRC32C:
    case ChecksumAlgorithm::CRC64NVME: return nullptr;
  }
  return nullptr;
}

constexpr std::pair<std::string_view, ChecksumAlgorithm> kParsable[] = {
    {"CRC32", ChecksumAlgorithm::CRC32},         {"CRC32C", ChecksumAlgorithm::CRC32C},
    {"CRC64NVME", ChecksumAlgorithm::CRC64NVME}, {"SHA1", ChecksumAlgorithm::SHA1},
    {"SHA256", ChecksumAlgorithm::SHA256},
};

}  // namespace

struct Checksum::Hash {
  EVP_MD_CTX* context = nullptr;
  std::string digest;  // kept after the first digest() so a second call is harmless
  bool finished = false;
  ~Hash() { EVP_MD_CTX_free(context); }
};

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) {
  for (const auto& [known, algorithm] : kParsable) {
    if (iequals(name, known)) {
      return algorithm;
    }
  }
  return std::nullopt;
}

std::string_view checksum_name(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::CRC32: return "CRC32";
    case ChecksumAlgorithm::CRC32C: return "CRC32C";
    case ChecksumAlgorithm::CRC64NVME: return "CRC64NVME";
    case ChecksumAlgorithm::SHA1: return "SHA1";
    case ChecksumAlgorithm::SHA256: return "SHA256";
    case ChecksumAlgorithm::MD5: return "MD5";
  }
  return "";
}

std::string checksum_header(ChecksumAlgorithm algorithm) {
  return "x-amz-checksum-" + to_lower(checksum_name(algorithm));
}

Checksum::Checksum(ChecksumAlgorithm algorithm) : algorithm_(algorithm) {
  const EVP_MD* md = message_digest(algorithm);
  if (md == nullptr) {
    return;
  }
  hash_ = std::make_unique<Hash>();
  hash_->context = EVP_MD_CTX_new();
  if (hash_->context != nullptr) {
    EVP_DigestInit_ex(hash_->context, md, nullptr);
  }
}

Checksum::~Checksum() = default;
Checksum::Checksum(Checksum&&) noexcept = default;
Checksum& Checksum::operator=(Checksum&&) noexcept = default;

void Checksum::update(const void* data, size_t size) {
  switch (algorithm_) {
    case ChecksumAlgorithm::CRC32: crc_ = crc32_update(static_cast<uint32_t>(crc_), data, size); return;
    case ChecksumAlgorithm::CRC32C: crc_ = crc32c_update(static_cast<uint32_t>(crc_), data, size); return;
    case ChecksumAlgorithm::CRC64NVME: crc_ = crc64nvme_update(crc_, data, size); return;
    case ChecksumAlgorithm::SHA1:
    case ChecksumAlgorithm::SHA256:
    case ChecksumAlgorithm::MD5:
      if (hash_ != nullptr && hash_->context != nullptr && !hash_->finished) {
        EVP_DigestUpdate(hash_->context, data, size);
      }
      return;
  }
}

std::string Checksum::digest() {
  switch (algorithm_) {
    case ChecksumAlgorithm::CRC32:
    case ChecksumAlgorithm::CRC32C: return big_endian(crc_, 4);
    case ChecksumAlgorithm::CRC64NVME: return big_endian(crc_, 8);
    case ChecksumAlgorithm::SHA1:
    case ChecksumAlgorithm::SHA256:
    case ChecksumAlgorithm::MD5: break;
  }
  if (hash_ == nullptr || hash_->context == nullptr) {
    return {};
  }
  if (!hash_->finished) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(hash_->context, out, &size);
    hash_->digest.assign(reinterpret_cast<const char*>(out), size);
    hash_->finished = true;
  }
  return hash_->digest;
}

std::string Checksum::base64_of(const std::string& raw) { return base64_encode(raw); }

uint32_t crc32c_table_for_test(uint32_t crc, std::string_view data) {
  return ~slice8<uint32_t>(~crc, kCrc32cTables, reinterpret_cast<const unsigned char*>(data.data()), data.size());
}

std::string checksum_base64(ChecksumAlgorithm algorithm, std::string_view data) {
  Checksum checksum(algorithm);
  checksum.update(data);
  return checksum.base64();
}

}  // namespace common
