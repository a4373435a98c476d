#include "aws/dispatch/rest_request.h"

#include <gtest/gtest.h>

#include <string>

#include "common/crypto.h"
#include "common/strings.h"

namespace dispatch {
namespace {

http::Request make(std::string host, std::string path) {
  http::Request r;
  r.method = "GET";
  r.path = std::move(path);
  r.headers.push_back({"Host", std::move(host)});
  return r;
}

TEST(S3Target, PathStyle) {
  auto t = parse_s3_target(make("127.0.0.1:4566", "/my-bucket/a/b%20c.txt"));
  EXPECT_EQ(t.bucket, "my-bucket");
  EXPECT_EQ(t.key, "a/b c.txt");
  EXPECT_EQ(t.labels, 2);
  EXPECT_FALSE(t.virtual_host);
}

TEST(S3Target, PathStyleBucketOnlyAndRoot) {
  auto t = parse_s3_target(make("localhost:4566", "/b"));
  EXPECT_EQ(t.bucket, "b");
  EXPECT_EQ(t.labels, 1);
  t = parse_s3_target(make("localhost:4566", "/b/"));
  EXPECT_EQ(t.labels, 1);
  t = parse_s3_target(make("localhost:4566", "/"));
  EXPECT_EQ(t.labels, 0);
}

TEST(S3Target, KeysKeepSlashesAndPlus) {
  auto t = parse_s3_target(make("localhost", "/b//x/%2B+y"));
  EXPECT_EQ(t.key, "/x/++y");
}

TEST(S3Target, VirtualHost) {
  auto t = parse_s3_target(make("my.bucket.s3.localhost:4566", "/k%C3%A9y"));
  EXPECT_TRUE(t.virtual_host);
  EXPECT_EQ(t.bucket, "my.bucket");
  EXPECT_EQ(t.key, "k\xC3\xA9y");
  EXPECT_EQ(t.labels, 2);
  t = parse_s3_target(make("b.s3.us-east-1.amazonaws.com", "/"));
  EXPECT_EQ(t.bucket, "b");
  EXPECT_EQ(t.labels, 1);
  t = parse_s3_target(make("s3.localhost:4566", "/b/k"));
  EXPECT_FALSE(t.virtual_host);
  EXPECT_EQ(t.bucket, "b");
}

class StringReader final : public http::BodyReader {
 public:
  explicit StringReader(std::string s) : s_(std::move(s)) {}
  long read(char* buffer, size_t size) override {
    size_t n = std::min(size, s_.size() - pos_);
    std::copy_n(s_.data() + pos_, n, buffer);
    pos_ += n;
    return static_cast<long>(n);
  }

 private:
  std::string s_;
  size_t pos_ = 0;
};

TEST(Sha256CheckingReader, PassesMatchingBodyAndRejectsOther) {
  StringReader good("hello");
  Sha256CheckingReader ok(good, common::sha256_hex("hello"));
  std::string out;
  EXPECT_TRUE(read_all(ok, out, 100, nullptr));
  EXPECT_EQ(out, "hello");
  EXPECT_FALSE(ok.mismatch());

  StringReader bad("hellO");
  Sha256CheckingReader wrong(bad, common::sha256_hex("hello"));
  EXPECT_FALSE(read_all(wrong, out, 100, nullptr));
  EXPECT_TRUE(wrong.mismatch());
  EXPECT_EQ(wrong.computed(), common::sha256_hex("hellO"));
}

TEST(ReadAll, ReportsTooLarge) {
  StringReader big(std::string(1000, 'x'));
  std::string out;
  bool too_large = false;
  EXPECT_FALSE(read_all(big, out, 10, &too_large));
  EXPECT_TRUE(too_large);
}

TEST(IsSha256Hex, Shapes) {
  EXPECT_TRUE(is_sha256_hex(common::sha256_hex("")));
  EXPECT_FALSE(is_sha256_hex("UNSIGNED-PAYLOAD"));
  EXPECT_FALSE(is_sha256_hex(std::string(64, 'g')));
}

}  // namespace
}  // namespace dispatch

namespace dispatch {
namespace {

// Vector made with botocore's HmacV1QueryAuth (what `aws s3 presign` uses).
TEST(SigV2Query, MatchesBotocoresPresigner) {
  http::Request r;
  r.method = "GET";
  r.path = "/bkt/a%20b/c.txt";
  r.query =
      "response-content-type=text%2Fplain&versionId=v1&AWSAccessKeyId=AKID&Signature=%2Bc44Y7g34gk4Nydn9QjjC0UW4KM%3D&"
      "Expires=1700000000";
  r.headers.push_back({"Host", "127.0.0.1:4566"});
  auto query = common::parse_query(r.query, true);
  auto v2 = parse_sigv2_query(query);
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->access_key_id, "AKID");
  EXPECT_EQ(v2->expires, 1700000000);
  std::string sts = sigv2_string_to_sign(r, parse_s3_target(r), query, v2->expires);
  EXPECT_EQ(sts, "GET\n\n\n1700000000\n/bkt/a%20b/c.txt?response-content-type=text/plain&versionId=v1");
  EXPECT_EQ(sigv2_sign("secret", sts), v2->signature);
  EXPECT_FALSE(parse_sigv2_query(common::parse_query("X-Amz-Signature=x", true)).has_value());
}

}  // namespace
}  // namespace dispatch
