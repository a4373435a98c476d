// Checksums of multipart objects, computed from the parts' checksums without reading data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/checksum.h"
#include "services/s3/model/errors.h"

namespace s3 {

// CRC32, CRC32C and CRC64NVME: the algorithms that have a FULL_OBJECT multipart checksum.
bool is_crc(common::ChecksumAlgorithm algorithm);

// crc(A || B) from crc(A), crc(B) and the length of B, for S3's CRCs (reflected, initial value
// and final xor all ones): multiplies crc(A) by x^(8 * length_b) modulo the polynomial, as
// zlib's crc32_combine does.
uint64_t crc_combine(common::ChecksumAlgorithm algorithm, uint64_t crc_a, uint64_t crc_b, uint64_t length_b);

// The object checksum of a completed multipart upload from its parts' base64 checksums:
// COMPOSITE = base64(checksum(concatenated raw part checksums)) + "-<parts>";
// FULL_OBJECT (CRCs only) = base64 of the whole object's CRC, combined from the parts' CRCs and
// sizes. InvalidRequest when a part checksum is missing or malformed.
Result<std::string> multipart_checksum(common::ChecksumAlgorithm algorithm, std::string_view type,
                                       const std::vector<std::string>& part_checksums,
                                       const std::vector<uint64_t>& part_sizes);

}  // namespace s3
