// S3 model rules and the engine's row encoding.
#include <gtest/gtest.h>

#include "services/s3/engine/row_codec.h"
#include "services/s3/model/names.h"
#include "services/s3/model/tag.h"

namespace s3 {
namespace {

TEST(VersionIds, AreUrlSafeAndRecognised) {
  std::string id = new_version_id();
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(valid_version_id(id));
  EXPECT_TRUE(valid_version_id("null"));
  EXPECT_FALSE(valid_version_id(""));
  EXPECT_FALSE(valid_version_id("Null"));
  EXPECT_FALSE(valid_version_id(std::string(31, 'a')));
  EXPECT_FALSE(valid_version_id(std::string(31, 'a') + "/"));
  EXPECT_NE(new_version_id(), id);
  EXPECT_EQ(new_upload_id().size(), 64u);
}

TEST(ObjectTags, CountCharactersNotBytes) {
  std::string e_acute = "\xc3\xa9";
  std::string key;
  for (int i = 0; i < 128; ++i) key += e_acute;
  EXPECT_FALSE(check_object_tags({{key, "v"}}).has_value());
  EXPECT_TRUE(check_object_tags({{key + e_acute, "v"}}).has_value());
  EXPECT_EQ(check_object_tags({{"", "v"}})->reason, Reason::InvalidTag);
}

TEST(RowCodec, RoundTripsAnyBytes) {
  std::vector<std::pair<std::string, std::string>> pairs = {
      {"a", ""}, {"", "b"}, {std::string("\0:1:", 4), "12:x"}, {"\xff\xfe", std::string(300, 'z')}};
  EXPECT_EQ(decode_pairs(encode_pairs(pairs)), pairs);
  EXPECT_TRUE(decode_pairs("").empty());
  EXPECT_TRUE(decode_pairs("9:short").empty());  // malformed: stops
  ObjectHeaders h;
  h.content_type = std::string("text/plain; charset=utf-8");
  h.website_redirect_location = std::string("/another/page.html");
  ObjectHeaders back = decode_headers(encode_headers(h));
  EXPECT_EQ(back.content_type, h.content_type);
  EXPECT_EQ(back.website_redirect_location, h.website_redirect_location);
  EXPECT_EQ(back.cache_control, "");
  std::vector<uint64_t> sizes = {5242880, 0, 18446744073709551615ull};
  EXPECT_EQ(decode_sizes(encode_sizes(sizes)), sizes);
  std::map<std::string, std::string> map = {{"CRC32", "DUoRhQ=="}, {"SHA1", "x"}};
  EXPECT_EQ(decode_map(encode_map(map)), map);
}

}  // namespace
}  // namespace s3
