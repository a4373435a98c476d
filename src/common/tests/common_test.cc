#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/strings.h"

namespace {

TEST(Crypto, Sha256KnownAnswers) {
  EXPECT_EQ(common::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(common::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 4231 test cases 2 (short key) and 6 (key longer than the block).
TEST(Crypto, HmacSha256Rfc4231) {
  EXPECT_EQ(common::hex_encode(common::hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(common::hex_encode(common::hmac_sha256(std::string(131, '\xaa'),
                                                   "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Crypto, StreamMatchesOneShot) {
  common::Sha256Stream s;
  s.update("a");
  s.update("bc");
  EXPECT_EQ(common::hex_encode(s.finish()), common::sha256_hex("abc"));
}

TEST(Crypto, Base64RoundTripAndRejectsGarbage) {
  for (std::string data : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    std::string decoded;
    ASSERT_TRUE(common::base64_decode(common::base64_encode(data), decoded));
    EXPECT_EQ(decoded, data);
  }
  EXPECT_EQ(common::base64_encode("foobar"), "Zm9vYmFy");
  std::string out;
  EXPECT_FALSE(common::base64_decode("Zm9v!", out));
  EXPECT_FALSE(common::base64_decode("Zg==Zg", out));
}

TEST(Strings, UriEncodeAndDecode) {
  EXPECT_EQ(common::uri_encode("a b/c~d"), "a%20b%2Fc~d");
  EXPECT_EQ(common::uri_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(common::uri_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(common::uri_decode("100%"), "100%");
  EXPECT_EQ(common::uri_decode("%zz"), "%zz");
  auto q = common::parse_query("b=2&a=&c&d=x%3Dy");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"a", ""}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>{"d", "x=y"}));
}

TEST(Clock, FormatsAndParsesTimestamps) {
  auto t = common::from_epoch_seconds(1704164645);  // 2024-01-02T03:04:05Z
  EXPECT_EQ(common::format_iso8601(t), "2024-01-02T03:04:05Z");
  EXPECT_EQ(common::format_amz_date(t), "20240102T030405Z");
  EXPECT_EQ(common::format_http_date(t), "Tue, 02 Jan 2024 03:04:05 GMT");
  for (const char* s :
       {"2024-01-02T03:04:05Z", "20240102T030405Z", "Tue, 02 Jan 2024 03:04:05 GMT", "2024-01-02T04:04:05+01:00"}) {
    auto parsed = common::parse_timestamp(s);
    ASSERT_TRUE(parsed.has_value()) << s;
    EXPECT_EQ(common::to_epoch_seconds(*parsed), 1704164645) << s;
  }
  EXPECT_NEAR(common::to_epoch_seconds(*common::parse_timestamp("2024-01-02T03:04:05.250Z")), 1704164645.25, 1e-6);
  EXPECT_FALSE(common::parse_timestamp("yesterday").has_value());
  EXPECT_FALSE(common::parse_timestamp("2024-13-02T03:04:05Z").has_value());
}

TEST(Ids, Uuid4Shape) {
  std::string id = common::uuid4();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_NE(common::uuid4(), id);
}

}  // namespace
