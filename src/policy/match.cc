// Wildcard and ARN matching. Runs on every authorised request, so it works on string_views
// and never allocates.
#include <array>
#include <string_view>

#include "policy/internal.h"
#include "policy/policy.h"

namespace policy {
namespace internal {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool chars_equal(char a, char b, bool case_insensitive) { return case_insensitive ? fold(a) == fold(b) : a == b; }

constexpr size_t kArnFields = 6;

// Splits an ARN into its six fields; the resource (last) field keeps any further ':'.
// False when there are fewer than five separators.
bool split_arn(std::string_view arn, std::array<std::string_view, kArnFields>& fields) {
  for (size_t i = 0; i + 1 < kArnFields; ++i) {
    size_t colon = arn.find(':');
    if (colon == std::string_view::npos) {
      return false;
    }
    fields[i] = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  fields[kArnFields - 1] = arn;
  return true;
}

}  // namespace

// Greedy matching that remembers the last '*' and backtracks to it: linear for typical IAM
// patterns, O(pattern * value) worst case, no recursion.
bool pattern_match(std::string_view pattern, std::string_view value, bool case_insensitive, bool escaped) {
  constexpr size_t kNone = std::string_view::npos;
  size_t p = 0;
  size_t v = 0;
  size_t star_p = kNone;
  size_t star_v = 0;
  while (v < value.size()) {
    if (p < pattern.size()) {
      char pc = pattern[p];
      bool literal = false;
      size_t width = 1;
      if (escaped && pc == '\\' && p + 1 < pattern.size()) {
        pc = pattern[p + 1];
        literal = true;
        width = 2;
      }
      if (!literal && pc == '*') {
        star_p = p;
        star_v = v;
        ++p;
        continue;
      }
      if ((!literal && pc == '?') || chars_equal(pc, value[v], case_insensitive)) {
        p += width;
        ++v;
        continue;
      }
    }
    if (star_p == kNone) {
      return false;
    }
    p = star_p + 1;
    v = ++star_v;
  }
  // At a token boundary an unescaped '*' is a real wildcard; "\*" starts with '\' and stops here.
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

// A pattern without the six ARN fields ("*", "arn:aws:s3:::*" is fine) is matched as a whole.
bool arn_match(std::string_view pattern, std::string_view arn, bool escaped) {
  std::array<std::string_view, kArnFields> pattern_fields;
  if (!split_arn(pattern, pattern_fields)) {
    return pattern_match(pattern, arn, false, escaped);
  }
  std::array<std::string_view, kArnFields> arn_fields;
  if (!split_arn(arn, arn_fields)) {
    return false;
  }
  for (size_t i = 0; i < kArnFields; ++i) {
    if (!pattern_match(pattern_fields[i], arn_fields[i], false, escaped)) {
      return false;
    }
  }
  return true;
}

}  // namespace internal

bool wildcard_match(std::string_view pattern, std::string_view value, bool case_insensitive) {
  return internal::pattern_match(pattern, value, case_insensitive, false);
}

bool arn_like(std::string_view pattern, std::string_view arn) { return internal::arn_match(pattern, arn, false); }

}  // namespace policy
