#include "http/range.h"

#include <gtest/gtest.h>

namespace http {
namespace {

using Kind = RangeRequest::Kind;

struct Case {
  const char* header;
  uint64_t size;
  Kind kind;
  uint64_t first = 0;
  uint64_t length = 0;
};

TEST(HttpRange, Forms) {
  const Case cases[] = {
      {"bytes=0-9", 100, Kind::Partial, 0, 10},
      {"bytes=90-", 100, Kind::Partial, 90, 10},
      {"bytes=-5", 100, Kind::Partial, 95, 5},
      {"bytes=-500", 100, Kind::Partial, 0, 100},                 // the whole of a shorter representation
      {"bytes=50-1000", 100, Kind::Partial, 50, 50},              // clamped
      {" bytes= 3 - 4 ", 100, Kind::Partial, 3, 2},               // spaces around the numbers
      {"bytes=0-9999999999999999999", 10, Kind::Partial, 0, 10},  // 19 digits still a number
  };
  for (const Case& c : cases) {
    RangeRequest r = parse_range(c.header, c.size);
    EXPECT_EQ(r.kind, c.kind) << c.header;
    EXPECT_EQ(r.range.first, c.first) << c.header;
    EXPECT_EQ(r.range.length, c.length) << c.header;
  }
}

TEST(HttpRange, UnusableOrOutside) {
  const Case cases[] = {
      {"bytes=100-", 100, Kind::Unsatisfiable}, {"bytes=100-200", 100, Kind::Unsatisfiable},
      {"bytes=-0", 100, Kind::Unsatisfiable},   {"bytes=0-0", 0, Kind::Unsatisfiable},
      {"bytes=-5", 0, Kind::Unsatisfiable},     {"bytes=5-4", 100, Kind::Malformed},
      {"bytes=200-100", 100, Kind::Malformed},  {"items=0-1", 100, Kind::Malformed},
      {"bytes=a-b", 100, Kind::Malformed},      {"bytes=5", 100, Kind::Malformed},
      {"bytes=-x", 100, Kind::Malformed},       {"bytes=0-99999999999999999999", 100, Kind::Malformed},
      {"bytes=0-1,5-6", 100, Kind::Several},
  };
  for (const Case& c : cases) EXPECT_EQ(parse_range(c.header, c.size).kind, c.kind) << c.header;
}

}  // namespace
}  // namespace http
