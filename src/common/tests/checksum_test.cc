#include "common/checksum.h"

#include <gtest/gtest.h>

#include <string>

#include "common/crypto.h"

namespace {

using common::Checksum;
using common::ChecksumAlgorithm;

std::string hex_digest(ChecksumAlgorithm algorithm, std::string_view data) {
  Checksum checksum(algorithm);
  checksum.update(data);
  std::string raw = checksum.digest();
  return common::hex_encode(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
}

// Bytes with no short period, so a slicing bug cannot hide behind repetition.
std::string varied_bytes(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    out[i] = static_cast<char>((i * 131 + 7 * (i >> 3)) & 0xff);
  }
  return out;
}

constexpr ChecksumAlgorithm kAll[] = {ChecksumAlgorithm::CRC32, ChecksumAlgorithm::CRC32C, ChecksumAlgorithm::CRC64NVME,
                                      ChecksumAlgorithm::SHA1,  ChecksumAlgorithm::SHA256, ChecksumAlgorithm::MD5};

// The CRC catalogue's check values ("123456789"): CRC-32/ISO-HDLC, CRC-32/ISCSI, CRC-64/NVME.
TEST(Checksum, CrcCatalogueCheckValues) {
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC32, "123456789"), "cbf43926");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC32C, "123456789"), "e3069283");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC64NVME, "123456789"), "ae8b14860a799888");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC32, ""), "00000000");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC32C, ""), "00000000");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC64NVME, ""), "0000000000000000");
}

// What S3 and botocore put in x-amz-checksum-*: base64 of the big-endian digest. "hello world"
// is the S3 documentation's example and what botocore 1.43 sends (Crc32Checksum); the 65 KiB of
// 'a' is the CRC32C trailer of the S3 "sigv4-streaming-trailers" example. The other values were
// cross-checked with a bit-at-a-time Python implementation.
TEST(Checksum, S3Base64Values) {
  using common::checksum_base64;
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC32, "hello world"), "DUoRhQ==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC32C, "hello world"), "yZRlqg==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC64NVME, "hello world"), "jSnVw/bqjr4=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC32, "123456789"), "y/Q5Jg==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC32C, "123456789"), "4waSgw==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC64NVME, "123456789"), "rosUhgp5mIg=");
  std::string a(66560, 'a');
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC32C, a), "sOO8/Q==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC32, a), "sK4Y7A==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::CRC64NVME, a), "pRf+emrnL+A=");
  std::string varied = varied_bytes(1000);
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC32, varied), "94815654");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC32C, varied), "03c114fb");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::CRC64NVME, varied), "c00818644f3966e1");
}

// FIPS 180 and RFC 1321 answers for "" and "abc".
TEST(Checksum, HashKnownAnswers) {
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::SHA256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::SHA256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::SHA1, ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::SHA1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::MD5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_digest(ChecksumAlgorithm::MD5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Checksum, DigestSizes) {
  const std::pair<ChecksumAlgorithm, size_t> sizes[] = {
      {ChecksumAlgorithm::CRC32, 4}, {ChecksumAlgorithm::CRC32C, 4},  {ChecksumAlgorithm::CRC64NVME, 8},
      {ChecksumAlgorithm::SHA1, 20}, {ChecksumAlgorithm::SHA256, 32}, {ChecksumAlgorithm::MD5, 16},
  };
  for (auto [algorithm, size] : sizes) {
    Checksum checksum(algorithm);
    checksum.update("x");
    EXPECT_EQ(checksum.digest().size(), size) << common::checksum_name(algorithm);
  }
}

// Streaming must not depend on how the body was split: 1-byte pieces, odd sizes that straddle
// the 8-byte slicing stride and unaligned starts.
TEST(Checksum, PiecewiseUpdatesMatchOneShot) {
  std::string data = varied_bytes(4099);
  for (ChecksumAlgorithm algorithm : kAll) {
    std::string expected = hex_digest(algorithm, data);
    for (size_t piece : {size_t{1}, size_t{3}, size_t{7}, size_t{13}, size_t{1000}}) {
      Checksum checksum(algorithm);
      for (size_t offset = 0; offset < data.size(); offset += piece) {
        checksum.update(std::string_view(data).substr(offset, piece));
      }
      std::string raw = checksum.digest();
      EXPECT_EQ(common::hex_encode(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()), expected)
          << common::checksum_name(algorithm) << " in pieces of " << piece;
    }
  }
}

// On SSE4.2 machines the one-shot path uses the crc32 instruction; the table fallback must agree.
TEST(Checksum, Crc32cTableFallbackMatchesHardwarePath) {
  EXPECT_EQ(common::crc32c_table_for_test(0, "123456789"), 0xE3069283u);
  std::string data = varied_bytes(10007);
  for (size_t size : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{64}, size_t{10007}}) {
    for (size_t start : {size_t{0}, size_t{1}, size_t{5}}) {
      std::string_view slice = std::string_view(data).substr(start, size);
      Checksum checksum(ChecksumAlgorithm::CRC32C);
      checksum.update(slice);
      std::string raw = checksum.digest();
      uint32_t hardware = (uint32_t(uint8_t(raw[0])) << 24) | (uint32_t(uint8_t(raw[1])) << 16) |
                          (uint32_t(uint8_t(raw[2])) << 8) | uint32_t(uint8_t(raw[3]));
      EXPECT_EQ(common::crc32c_table_for_test(0, slice), hardware) << size << "@" << start;
    }
  }
  // Chaining through a previous result.
  EXPECT_EQ(common::crc32c_table_for_test(common::crc32c_table_for_test(0, "12345"), "6789"), 0xE3069283u);
}

TEST(Checksum, DigestTwiceIsStable) {
  for (ChecksumAlgorithm algorithm : kAll) {
    Checksum checksum(algorithm);
    checksum.update("abc");
    std::string first = checksum.digest();
    EXPECT_EQ(checksum.digest(), first) << common::checksum_name(algorithm);
  }
}

TEST(Checksum, MoveKeepsState) {
  Checksum checksum(ChecksumAlgorithm::SHA256);
  checksum.update("a");
  Checksum moved(std::move(checksum));
  moved.update("bc");
  EXPECT_EQ(moved.base64(), common::base64_encode(common::as_string_view(common::sha256("abc"))));
  Checksum crc(ChecksumAlgorithm::CRC32);
  crc.update("hello ");
  Checksum assigned(ChecksumAlgorithm::MD5);
  assigned = std::move(crc);
  assigned.update("world");
  EXPECT_EQ(assigned.algorithm(), ChecksumAlgorithm::CRC32);
  EXPECT_EQ(assigned.base64(), "DUoRhQ==");
}

TEST(Checksum, ParseNamesCaseInsensitively) {
  using common::parse_checksum_algorithm;
  EXPECT_EQ(parse_checksum_algorithm("CRC32"), ChecksumAlgorithm::CRC32);
  EXPECT_EQ(parse_checksum_algorithm("crc32"), ChecksumAlgorithm::CRC32);
  EXPECT_EQ(parse_checksum_algorithm("crc32c"), ChecksumAlgorithm::CRC32C);
  EXPECT_EQ(parse_checksum_algorithm("Crc64Nvme"), ChecksumAlgorithm::CRC64NVME);
  EXPECT_EQ(parse_checksum_algorithm("sha1"), ChecksumAlgorithm::SHA1);
  EXPECT_EQ(parse_checksum_algorithm("SHA256"), ChecksumAlgorithm::SHA256);
  for (std::string_view bad : {"", "CRC", "CRC32 ", " CRC32", "CRC64", "SHA-256", "sha512", "MD5", "crc32cc"}) {
    EXPECT_EQ(parse_checksum_algorithm(bad), std::nullopt) << "'" << bad << "'";
  }
}

TEST(Checksum, NamesAndHeaders) {
  EXPECT_EQ(common::checksum_name(ChecksumAlgorithm::CRC64NVME), "CRC64NVME");
  EXPECT_EQ(common::checksum_header(ChecksumAlgorithm::CRC32), "x-amz-checksum-crc32");
  EXPECT_EQ(common::checksum_header(ChecksumAlgorithm::CRC32C), "x-amz-checksum-crc32c");
  EXPECT_EQ(common::checksum_header(ChecksumAlgorithm::CRC64NVME), "x-amz-checksum-crc64nvme");
  EXPECT_EQ(common::checksum_header(ChecksumAlgorithm::SHA1), "x-amz-checksum-sha1");
  EXPECT_EQ(common::checksum_header(ChecksumAlgorithm::SHA256), "x-amz-checksum-sha256");
  for (ChecksumAlgorithm algorithm : kAll) {
    if (algorithm != ChecksumAlgorithm::MD5) {
      EXPECT_EQ(common::parse_checksum_algorithm(common::checksum_name(algorithm)), algorithm);
    }
  }
}

}  // namespace
