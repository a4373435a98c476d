#include "oci/digest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(Digest, ParsesSha256) {
  auto digest = oci::parse_digest("sha256:" + kEmptySha256);
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->algorithm, "sha256");
  EXPECT_EQ(digest->hex, kEmptySha256);
  EXPECT_EQ(digest->str(), "sha256:" + kEmptySha256);
}

TEST(Digest, ParsesSha512) {
  auto digest = oci::parse_digest("sha512:" + std::string(128, 'a'));
  ASSERT_TRUE(digest);
  EXPECT_EQ(digest->algorithm, "sha512");
}

TEST(Digest, RejectsMalformed) {
  for (const std::string& text : std::vector<std::string>{
           std::string(""),
           std::string("sha256"),
           std::string("sha256:"),
           kEmptySha256,                                                                            // no algorithm
           ":" + kEmptySha256,                                                                      // empty algorithm
           "sha256:" + kEmptySha256.substr(1),                                                      // 63 hex
           "sha256:" + kEmptySha256 + "0",                                                          // 65 hex
           std::string("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"),  // upper case
           "sha256:" + kEmptySha256.substr(1) + "g",                                                // not hex
           "sha512:" + kEmptySha256,                             // wrong length for sha512
           std::string("md5:d41d8cd98f00b204e9800998ecf8427e"),  // unknown algorithm
           "SHA256:" + kEmptySha256,                             // algorithm is case-sensitive
           "sha256:" + kEmptySha256 + ":x",
       }) {
    EXPECT_FALSE(oci::parse_digest(text)) << text;
  }
}

TEST(Digest, Sha256DigestOfBytes) {
  EXPECT_EQ(oci::sha256_digest(""), "sha256:" + kEmptySha256);
  EXPECT_EQ(oci::sha256_digest("abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, DigestReferenceVersusTag) {
  EXPECT_TRUE(oci::is_digest_reference("sha256:" + kEmptySha256));
  EXPECT_FALSE(oci::is_digest_reference("latest"));
}

TEST(Tag, AcceptsGrammar) {
  for (const std::string& tag : {std::string("latest"), std::string("v1.2.3"), std::string("_underscore"),
                                 std::string("A-b_c.d"), std::string("0"), std::string(128, 'x')}) {
    EXPECT_TRUE(oci::valid_tag(tag)) << tag;
  }
}

TEST(Tag, RejectsOutsideGrammar) {
  for (const std::string& tag :
       {std::string(""), std::string(".hidden"), std::string("-dash"), std::string("has space"),
        std::string("sha256:abc"), std::string("a/b"), std::string(129, 'x'), std::string("caf\xc3\xa9")}) {
    EXPECT_FALSE(oci::valid_tag(tag)) << tag;
  }
}

}  // namespace
