#include "runtime/registry_auth.h"

#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/json.h"

namespace runtime {
namespace {

std::string decode_url_safe(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  std::string out;
  EXPECT_TRUE(common::base64_decode(text, out));
  return out;
}

TEST(RegistryAuth, UrlSafeBase64WithPadding) {
  // Bytes chosen so standard base64 has '+', '/' and padding.
  std::string bytes("\xfb\xff\xbf\x01", 4);
  EXPECT_EQ(common::base64_encode(bytes), "+/+/AQ==");
  EXPECT_EQ(base64_url_padded(bytes), "-_-_AQ==");
}

TEST(RegistryAuth, EncodesTheDockerAuthObject) {
  RegistryAuth auth{"AWS", "eyJwYXlsb2FkIjoi+/=", "127.0.0.1:4566"};
  std::string header = encode_registry_auth(auth);
  EXPECT_EQ(header.find('+'), std::string::npos);
  EXPECT_EQ(header.find('/'), std::string::npos);
  EXPECT_EQ(header.size() % 4, 0u);  // padded
  auto decoded = nlohmann::json::parse(decode_url_safe(header));
  EXPECT_EQ(
      decoded,
      (nlohmann::json{{"username", "AWS"}, {"password", "eyJwYXlsb2FkIjoi+/="}, {"serveraddress", "127.0.0.1:4566"}}));
}

TEST(RegistryAuth, EncodesBuildRegistryConfig) {
  std::string header = encode_registry_config({{"127.0.0.1:4566", {"AWS", "pw", "127.0.0.1:4566"}}});
  auto decoded = nlohmann::json::parse(decode_url_safe(header));
  EXPECT_EQ(decoded["127.0.0.1:4566"]["username"], "AWS");
  EXPECT_EQ(decoded["127.0.0.1:4566"]["password"], "pw");
  EXPECT_EQ(decoded["127.0.0.1:4566"]["serveraddress"], "127.0.0.1:4566");
}

}  // namespace
}  // namespace runtime
