#include "http/range.h"

#include "common/strings.h"

namespace http {
namespace {

// Decimal digits only, at most 19 (so any value fits in uint64_t).
bool parse_number(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

RangeRequest partial(uint64_t first, uint64_t length) {
  return RangeRequest{RangeRequest::Kind::Partial, ByteRange{first, length}};
}

}  // namespace

RangeRequest parse_range(std::string_view header, uint64_t size) {
  using Kind = RangeRequest::Kind;
  std::string_view text = common::trim(header);
  if (text.rfind("bytes=", 0) != 0) return {Kind::Malformed, {}};
  text.remove_prefix(6);
  if (text.find(',') != std::string_view::npos) return {Kind::Several, {}};
  size_t dash = text.find('-');
  if (dash == std::string_view::npos) return {Kind::Malformed, {}};
  std::string_view a = common::trim(text.substr(0, dash));
  std::string_view b = common::trim(text.substr(dash + 1));
  if (a.empty()) {
    // Suffix: the last n bytes.
    uint64_t suffix = 0;
    if (!parse_number(b, suffix)) return {Kind::Malformed, {}};
    if (suffix == 0 || size == 0) return {Kind::Unsatisfiable, {}};
    if (suffix > size) suffix = size;
    return partial(size - suffix, suffix);
  }
  uint64_t first = 0;
  uint64_t last = 0;
  if (!parse_number(a, first)) return {Kind::Malformed, {}};
  if (b.empty()) {
    last = size == 0 ? 0 : size - 1;
  } else if (!parse_number(b, last) || last < first) {
    return {Kind::Malformed, {}};
  }
  if (first >= size) return {Kind::Unsatisfiable, {}};
  if (last >= size) last = size - 1;
  return partial(first, last - first + 1);
}

}  // namespace http
