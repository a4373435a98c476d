// Object and bucket tags, and S3's rules for object tag sets.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "services/s3/model/errors.h"

namespace s3 {

struct Tag {
  std::string key;
  std::string value;
};

inline constexpr size_t kMaxObjectTags = 10;

// At most 10 tags (TooManyTags); keys 1-128 and values 0-256 characters (Unicode code points),
// unique keys, no "aws:" prefix (InvalidTag).
std::optional<Error> check_object_tags(const std::vector<Tag>& tags);

}  // namespace s3
