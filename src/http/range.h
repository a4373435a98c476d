// The Range request header (RFC 9110 §14.2) for one representation of known size: one parser
// for S3's GetObject and the registry's blob GETs, which differ only in what they do with a
// header they cannot use (S3 serves the whole object; the registry, as Distribution does,
// answers 416).
#pragma once

#include <cstdint>
#include <string_view>

namespace http {

struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
};

struct RangeRequest {
  enum class Kind {
    Partial,        // `range` is the (clamped) part to send
    Unsatisfiable,  // well formed, but starts at or past the end (or asks for no bytes): 416
    Malformed,      // not "bytes=a-b", "bytes=a-" or "bytes=-n" with decimal a <= b
    Several,        // a list of ranges (we send no multipart bodies)
  };
  Kind kind = Kind::Malformed;
  ByteRange range;
};

// `header` is the Range header's value; `size` the representation's length.
RangeRequest parse_range(std::string_view header, uint64_t size);

}  // namespace http
