// S3's naming rules: bucket names, object keys, version and upload ids, user metadata, tags.
// Pure functions; the engine turns a failed check into an s3::Error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/s3/model/errors.h"

namespace s3 {

inline constexpr size_t kMaxKeyBytes = 1024;
inline constexpr size_t kMaxMetadataBytes = 2048;
inline constexpr size_t kVersionIdLength = 32;
inline constexpr size_t kUploadIdLength = 64;
// URL-safe: a version or upload id needs no escaping in a query string or XML.
inline constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

// General-purpose bucket naming rules: 3-63 characters of a-z 0-9 . -, starting and ending
// with a letter or digit, no "..", not an IPv4 address, none of the reserved prefixes
// (xn--, sthree-, amzn-s3-demo-) or suffixes (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3).
bool valid_bucket_name(std::string_view name);

// A version id the engine could have issued: "null" or kVersionIdLength characters of kIdAlphabet.
bool valid_version_id(std::string_view id);
std::string new_version_id();
std::string new_upload_id();

// Key: 1..1024 bytes (KeyTooLong / InvalidArgument).
std::optional<Error> check_key(std::string_view key);
// User metadata: names and values together at most 2 KiB (MetadataTooLarge).
std::optional<Error> check_metadata(const std::vector<std::pair<std::string, std::string>>& metadata);

// The smallest string greater than every string starting with `prefix` ("" when there is
// none: `prefix` is empty or all 0xff bytes). Listing seeks past a common prefix with it.
std::string prefix_successor(std::string_view prefix);

}  // namespace s3
