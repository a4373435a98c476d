#include "services/s3/model/tag.h"

#include <set>
#include <string_view>

namespace s3 {
namespace {

// Characters as S3 counts them: UTF-8 code points (continuation bytes are not counted).
size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

}  // namespace

std::optional<Error> check_object_tags(const std::vector<Tag>& tags) {
  if (tags.size() > kMaxObjectTags) return make_error(Reason::TooManyTags, "Object tags cannot be greater than 10");
  std::set<std::string_view> seen;
  for (const Tag& tag : tags) {
    size_t key_length = code_points(tag.key);
    if (key_length == 0 || key_length > 128) {
      return make_error(Reason::InvalidTag, "The TagKey you have provided is invalid");
    }
    if (code_points(tag.value) > 256)
      return make_error(Reason::InvalidTag, "The TagValue you have provided is invalid");
    if (tag.key.rfind("aws:", 0) == 0) {
      return make_error(Reason::InvalidTag, "Your TagKey cannot be prefixed with aws:");
    }
    if (!seen.insert(tag.key).second) {
      return make_error(Reason::InvalidTag, "Cannot provide multiple Tags with the same key");
    }
  }
  return std::nullopt;
}

}  // namespace s3
