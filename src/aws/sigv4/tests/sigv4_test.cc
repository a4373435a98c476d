// SigV4 against AWS's published signing test suite (aws-c-auth tests/aws-signing-test-suite/v4,
// credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1/service) and against requests that
// botocore 1.43.11 signed on this machine at a fixed time (2024-01-02T03:04:05Z): the bytes it
// put on the wire and its signature, pasted here as constants.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aws/sigv4/internal.h"
#include "aws/sigv4/sigv4.h"
#include "common/crypto.h"

namespace sigv4 {
namespace {

constexpr std::string_view kAccessKey = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSuiteDate = "20150830T123600Z";
constexpr std::string_view kBotoDate = "20240102T030405Z";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::string_view kBotocoreUserAgent =
    "Botocore/1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/b,e,D,Z "
    "cfg/retry-mode#legacy";

common::TimePoint at(std::string_view amz_date) { return *common::parse_timestamp(amz_date); }

http::Request make_request(std::string method, std::string_view target, std::vector<http::Header> headers) {
  http::Request request;
  request.method = std::move(method);
  request.target = target;
  size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string_view::npos) {
    request.query = target.substr(question + 1);
  }
  request.headers = std::move(headers);
  return request;
}

std::string suite_authorization(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
         std::string(signed_headers) + ", Signature=" + std::string(signature);
}

std::vector<std::string> split_names(std::string_view list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = std::min(list.find(';', start), list.size());
    names.emplace_back(list.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

// Parses and verifies `request` (which carries its Authorization header or presigned query).
VerifyResult parse_and_verify(const http::Request& request, PathMode mode, std::string_view payload_hash,
                              common::TimePoint now, std::string_view secret = kSecret) {
  ParseResult parsed = parse(request);
  EXPECT_EQ(parsed.status, ParseStatus::Ok) << parsed.problem;
  return verify(request, parsed.info, secret, mode, payload_hash, now);
}

// ---------------------------------------------------------------------------------------------
// get-vanilla, step by step.

TEST(Sigv4, GetVanillaCanonicalRequestStringToSignAndSignature) {
  auto request = make_request("GET", "/",
                              {{"Host", "example.amazonaws.com"},
                               {"X-Amz-Date", std::string(kSuiteDate)},
                               {"Authorization", suite_authorization("host;x-amz-date",
                                                                     "5fa00fa31553b73ebf1942676e86291e"
                                                                     "8372ff2a2260956d9b8aae1d763fbf31")}});
  ParseResult parsed = parse(request);
  ASSERT_EQ(parsed.status, ParseStatus::Ok) << parsed.problem;
  EXPECT_FALSE(parsed.info.presigned);
  EXPECT_EQ(parsed.info.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(parsed.info.scope_date, "20150830");
  EXPECT_EQ(parsed.info.region, "us-east-1");
  EXPECT_EQ(parsed.info.service, "service");
  EXPECT_EQ(parsed.info.signed_headers, "host;x-amz-date");
  EXPECT_EQ(parsed.info.amz_date, kSuiteDate);
  EXPECT_EQ(parsed.info.security_token, "");

  std::string canonical = canonical_request(request, parsed.info, PathMode::Normalize, kEmptyPayloadSha256);
  EXPECT_EQ(canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string to_sign = string_to_sign(parsed.info, canonical);
  EXPECT_EQ(to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(sign(derive_signing_key(kSecret, "20150830", "us-east-1", "service"), to_sign),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");

  VerifyResult result = verify(request, parsed.info, kSecret, PathMode::Normalize, kEmptyPayloadSha256, at(kSuiteDate));
  EXPECT_EQ(result.status, VerifyStatus::Ok) << result.message;
  EXPECT_EQ(result.canonical_request, canonical);
  EXPECT_EQ(result.string_to_sign, to_sign);
}

// ---------------------------------------------------------------------------------------------
// The AWS suite, header form. `target` is what arrives on the wire.

struct SuiteCase {
  const char* name;
  PathMode mode;
  const char* method;
  std::string target;
  std::vector<http::Header> headers;  // without X-Amz-Date and Authorization
  const char* signed_headers;
  const char* signature;
  std::string_view payload_hash = kEmptyPayloadSha256;
};

const char* const kFormBodySha = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
const char* const kStsToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuw"
    "thAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXA"
    "kiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
const http::Header kHost{"Host", "example.amazonaws.com"};

std::vector<SuiteCase> suite_cases() {
  using enum PathMode;
  return {
      {"get-vanilla",
       Normalize,
       "GET",
       "/",
       {kHost},
       "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-vanilla-query-order-key-case",
       Normalize,
       "GET",
       "/?Param2=value2&Param1=value1",
       {kHost},
       "host;x-amz-date",
       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
      {"get-vanilla-query-order-encoded",
       Normalize,
       "GET",
       "/?Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
       {kHost},
       "host;x-amz-date",
       "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"},
      {"get-vanilla-utf8-query (encoded on the wire)",
       Normalize,
       "GET",
       "/?%E1%88%B4=bar",
       {kHost},
       "host;x-amz-date",
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-vanilla-utf8-query (raw bytes)",
       Normalize,
       "GET",
       "/?\xE1\x88\xB4"
       "=bar",
       {kHost},
       "host;x-amz-date",
       "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
      {"get-vanilla-query-unreserved",
       Normalize,
       "GET",
       "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz="
       "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {kHost},
       "host;x-amz-date",
       "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
      {"get-vanilla-empty-query-key",
       Normalize,
       "GET",
       "/?Param1=value1",
       {kHost},
       "host;x-amz-date",
       "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
      {"post-vanilla-query",
       Normalize,
       "POST",
       "/?Param1=value1",
       {kHost},
       "host;x-amz-date",
       "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
      {"get-unreserved",
       Normalize,
       "GET",
       "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       {kHost},
       "host;x-amz-date",
       "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
      {"get-relative-relative-normalized",
       Normalize,
       "GET",
       "/example1/example2/../..",
       {kHost},
       "host;x-amz-date",
       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
      {"get-relative-relative-unnormalized",
       S3,
       "GET",
       "/example1/example2/../..",
       {kHost},
       "host;x-amz-date",
       "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b"},
      {"get-slashes-normalized",
       Normalize,
       "GET",
       "//example//",
       {kHost},
       "host;x-amz-date",
       "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"},
      {"get-slashes-unnormalized",
       S3,
       "GET",
       "//example//",
       {kHost},
       "host;x-amz-date",
       "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5"},
      // The suite's path is the decoded one ("/example space/"). S3 signs the wire path as is;
      // other services encode what they got, so a raw space there gives the same canonical URI.
      {"get-space (S3, encoded on the wire)",
       S3,
       "GET",
       "/example%20space/",
       {kHost},
       "host;x-amz-date",
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"get-space (normalized, raw space)",
       Normalize,
       "GET",
       "/example space/",
       {kHost},
       "host;x-amz-date",
       "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
      {"get-utf8 (S3, encoded on the wire)",
       S3,
       "GET",
       "/%E1%88%B4",
       {kHost},
       "host;x-amz-date",
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"get-utf8 (normalized, raw bytes)",
       Normalize,
       "GET",
       "/\xE1\x88\xB4",
       {kHost},
       "host;x-amz-date",
       "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
      {"post-x-www-form-urlencoded",
       Normalize,
       "POST",
       "/",
       {{"Content-Type", "application/x-www-form-urlencoded"},
        kHost,
        {"Content-Length", "13"},
        {"x-amz-content-sha256", kFormBodySha}},
       "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
       "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
       kFormBodySha},
      {"post-x-www-form-urlencoded-parameters",
       Normalize,
       "POST",
       "/",
       {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
        kHost,
        {"Content-Length", "13"},
        {"x-amz-content-sha256", kFormBodySha}},
       "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
       "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422",
       kFormBodySha},
      {"post-header-value-case",
       Normalize,
       "POST",
       "/",
       {kHost, {"My-Header1", "VALUE1"}},
       "host;my-header1;x-amz-date",
       "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
      {"get-header-value-trim",
       Normalize,
       "GET",
       "/",
       {kHost, {"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
       "host;my-header1;my-header2;x-amz-date",
       "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
      {"get-header-value-order",
       Normalize,
       "GET",
       "/",
       {kHost, {"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}},
       "host;my-header1;x-amz-date",
       "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
      {"get-vanilla-with-session-token",
       Normalize,
       "GET",
       "/",
       {kHost, {"X-Amz-Security-Token", "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"}},
       "host;x-amz-date;x-amz-security-token",
       "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"},
      {"post-sts-header-before",
       Normalize,
       "POST",
       "/",
       {kHost, {"X-Amz-Security-Token", kStsToken}},
       "host;x-amz-date;x-amz-security-token",
       "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
  };
}

TEST(Sigv4Suite, HeaderFormVerifies) {
  for (const auto& c : suite_cases()) {
    SCOPED_TRACE(c.name);
    auto headers = c.headers;
    headers.push_back({"X-Amz-Date", std::string(kSuiteDate)});
    headers.push_back({"Authorization", suite_authorization(c.signed_headers, c.signature)});
    auto request = make_request(c.method, c.target, headers);
    VerifyResult result = parse_and_verify(request, c.mode, c.payload_hash, at(kSuiteDate) + std::chrono::minutes(3));
    EXPECT_EQ(result.status, VerifyStatus::Ok) << result.message << "\n" << result.canonical_request;
  }
}

TEST(Sigv4Suite, WrongModeOrTamperingFailsWhereItMatters) {
  for (const auto& c : suite_cases()) {
    SCOPED_TRACE(c.name);
    auto headers = c.headers;
    headers.push_back({"X-Amz-Date", std::string(kSuiteDate)});
    headers.push_back({"Authorization", suite_authorization(c.signed_headers, c.signature)});
    auto request = make_request(c.method, c.target, headers);
    EXPECT_EQ(parse_and_verify(request, c.mode, c.payload_hash, at(kSuiteDate), "wrong-secret").status,
              VerifyStatus::SignatureMismatch);
    auto other_method = request;
    other_method.method = c.method == std::string_view("GET") ? "PUT" : "GET";
    VerifyResult result = parse_and_verify(other_method, c.mode, c.payload_hash, at(kSuiteDate));
    EXPECT_EQ(result.status, VerifyStatus::SignatureMismatch);
    EXPECT_EQ(result.message,
              "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
              "Access Key and signing method. Consult the service documentation for details.");
    EXPECT_FALSE(result.canonical_request.empty());
    EXPECT_FALSE(result.string_to_sign.empty());
  }
}

TEST(Sigv4Suite, ClientSigningReproducesTheSuiteHeader) {
  for (const auto& c : suite_cases()) {
    SCOPED_TRACE(c.name);
    auto headers = c.headers;
    headers.push_back({"X-Amz-Date", std::string(kSuiteDate)});
    auto request = make_request(c.method, c.target, headers);
    EXPECT_EQ(authorization_header(request, kAccessKey, kSecret, kSuiteDate, "us-east-1", "service",
                                   split_names(c.signed_headers), c.mode, c.payload_hash),
              suite_authorization(c.signed_headers, c.signature));
  }
}

TEST(Sigv4Suite, PathModeMatters) {
  // "/example1/example2/../.." signed unnormalised (S3) is not valid for a normalising service.
  auto request = make_request(
      "GET", "/example1/example2/../..",
      {kHost,
       {"X-Amz-Date", std::string(kSuiteDate)},
       {"Authorization",
        suite_authorization("host;x-amz-date", "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b")}});
  EXPECT_EQ(parse_and_verify(request, PathMode::Normalize, kEmptyPayloadSha256, at(kSuiteDate)).status,
            VerifyStatus::SignatureMismatch);
  EXPECT_EQ(parse_and_verify(request, PathMode::S3, kEmptyPayloadSha256, at(kSuiteDate)).status, VerifyStatus::Ok);
}

// The suite's query-signed-request.txt files (presigned, expires 3600).
TEST(Sigv4Suite, PresignedFormVerifies) {
  const std::string auth =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
      "&X-Amz-Date=20150830T123600Z";
  struct Case {
    const char* method;
    std::string target;
    std::vector<http::Header> headers;
    std::string_view payload_hash;
  };
  std::vector<Case> cases = {
      {"GET",
       "/?Param2=value2&Param1=value1&" + auth +
           "&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
           "&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5",
       {kHost},
       kEmptyPayloadSha256},
      {"GET",
       "/?%E1%88%B4=bar&" + auth +
           "&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
           "&X-Amz-Signature=0bdd809b1519ac4f0c1dc3540e2cc46bd0c7f778eda408b2ebf3b913d21ff600",
       {kHost},
       kEmptyPayloadSha256},
      {"GET",
       "/?" + auth +
           "&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
           "&X-Amz-Security-Token=6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
           "&X-Amz-Signature=7ff2b50b376cb4d151970630573d6291dc128cc5c2a12ffb237f73cc53f67b6c",
       {kHost},
       kEmptyPayloadSha256},
      {"POST",
       "/?" + auth +
           "&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost&X-Amz-Expires=3600"
           "&X-Amz-Signature=89a40deed0f26f9461242825a082d2222717248abc7ab41f552ad84a94ad46e9",
       {{"Content-Type", "application/x-www-form-urlencoded"}, kHost, {"Content-Length", "13"}},
       kFormBodySha},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target);
    auto request = make_request(c.method, c.target, c.headers);
    ParseResult parsed = parse(request);
    ASSERT_EQ(parsed.status, ParseStatus::Ok) << parsed.problem;
    EXPECT_TRUE(parsed.info.presigned);
    EXPECT_EQ(parsed.info.expires_seconds, 3600);
    EXPECT_EQ(parsed.info.access_key_id, "AKIDEXAMPLE");
    VerifyResult result = verify(request, parsed.info, kSecret, PathMode::Normalize, c.payload_hash,
                                 at(kSuiteDate) + std::chrono::minutes(59));
    EXPECT_EQ(result.status, VerifyStatus::Ok) << result.message << "\n" << result.canonical_request;
  }
  EXPECT_NE(cases[2].target.find("Security-Token"), std::string::npos);
  EXPECT_EQ(parse(make_request("GET", cases[2].target, {kHost})).info.security_token,
            "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
}

// ---------------------------------------------------------------------------------------------
// botocore 1.43.11, as captured on the wire (User-Agent and amz-sdk-* are sent but not signed).

struct BotoCase {
  const char* name;
  PathMode mode;
  const char* method;
  std::string target;
  std::vector<http::Header> headers;  // everything botocore sent
  std::string payload_hash;
};

std::vector<http::Header> with_sdk_headers(std::vector<http::Header> headers) {
  headers.push_back({"User-Agent", std::string(kBotocoreUserAgent)});
  headers.push_back({"amz-sdk-invocation-id", "d744dfbe-8337-4b86-9ef7-2ba65514c0ee"});
  headers.push_back({"amz-sdk-request", "attempt=1"});
  return headers;
}

std::vector<BotoCase> botocore_cases() {
  using enum PathMode;
  return {
      {"ssm GetParameter (JSON 1.1)", Normalize, "POST", "/",
       with_sdk_headers({{"Host", "ssm.us-east-1.amazonaws.com"},
                         {"X-Amz-Target", "AmazonSSM.GetParameter"},
                         {"Content-Type", "application/x-amz-json-1.1"},
                         {"X-Amz-Date", std::string(kBotoDate)},
                         {"Authorization",
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/ssm/aws4_request, "
                          "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                          "Signature=0ca33fc2af0103c4ffa69e54db49f756ba43443458ba15c3cadfb78f646b2042"},
                         {"Content-Length", "47"}}),
       common::sha256_hex(R"({"Name": "/app/dev/db", "WithDecryption": true})")},
      {"iam CreateUser (query, form body)", Normalize, "POST", "/",
       with_sdk_headers({{"Host", "iam.amazonaws.com"},
                         {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                         {"X-Amz-Date", std::string(kBotoDate)},
                         {"Authorization",
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/iam/aws4_request, "
                          "SignedHeaders=content-type;host;x-amz-date, "
                          "Signature=32981aeb902f7576f648a1ab3359c868f1c5d9600c44c24e12047d0d87d4223c"},
                         {"Content-Length", "66"}}),
       common::sha256_hex("Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fdev%2F")},
      {"ssm with X-Amz-Security-Token", Normalize, "POST", "/",
       with_sdk_headers({{"Host", "ssm.us-east-1.amazonaws.com"},
                         {"X-Amz-Target", "AmazonSSM.GetParameter"},
                         {"Content-Type", "application/x-amz-json-1.1"},
                         {"X-Amz-Date", std::string(kBotoDate)},
                         {"X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLE//token+/="},
                         {"Authorization",
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/ssm/aws4_request, "
                          "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
                          "Signature=14197578aa0d19cdf21d8f23a56d5b73023ba6d21383e4ddbee2c884ca2ce1de"},
                         {"Content-Length", "13"}}),
       common::sha256_hex(R"({"Name": "x"})")},
      {"lambda GetFunction (rest-json, ARN label: double-encoded path)", Normalize, "GET",
       "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy%20fn",
       with_sdk_headers({{"Host", "lambda.us-east-1.amazonaws.com"},
                         {"X-Amz-Date", std::string(kBotoDate)},
                         {"Authorization",
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/lambda/aws4_request, "
                          "SignedHeaders=host;x-amz-date, "
                          "Signature=dd5ae47e76f897800463f453cda0c70e5d125cf211f4e7eed1a4b64e399f67f1"}}),
       std::string(kEmptyPayloadSha256)},
      {"s3 GetObject, key 'dir/my file+\xC3\xBC%2B~.txt' (path style)", S3, "GET",
       "/bkt/dir/my%20file%2B%C3%BC%252B~.txt",
       with_sdk_headers({{"Host", "s3.amazonaws.com"},
                         {"x-amz-checksum-mode", "ENABLED"},
                         {"X-Amz-Date", std::string(kBotoDate)},
                         {"X-Amz-Content-SHA256", std::string(kEmptyPayloadSha256)},
                         {"Authorization",
                          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/s3/aws4_request, "
                          "SignedHeaders=host;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date, "
                          "Signature=e4dce800691f6fb7bf36ea4e2671e0a329aa717d0211e600fafcfd9a0244634e"}}),
       std::string(kEmptyPayloadSha256)},
      {"s3 presigned GetObject, ExpiresIn=900",
       S3,
       "GET",
       "/bkt/photos/a%20b%2Bc.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256"
       "&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z"
       "&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
       "&X-Amz-Signature=f0e754ff4491137cef296aa52d999f7c3b43c067064e19210732be0039f3ca7b",
       {{"Host", "s3.amazonaws.com"}, {"User-Agent", "curl/8.5.0"}},
       std::string(kUnsignedPayload)},
      {"s3 presigned with session token and response-content-disposition, ExpiresIn=604800",
       S3,
       "GET",
       "/bkt/k.txt?response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22"
       "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
       "&X-Amz-Credential=ASIAEXAMPLE%2F20240102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240102T030405Z"
       "&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE%2F%2Ftoken%2B%2F%3D"
       "&X-Amz-Signature=3c64c813e26fb3dd380ddc0b4d321e323adae416c1d1c01d75c30503752170f6",
       {{"Host", "s3.amazonaws.com"}},
       std::string(kUnsignedPayload)},
  };
}

TEST(Sigv4Botocore, RequestsVerify) {
  for (const auto& c : botocore_cases()) {
    SCOPED_TRACE(c.name);
    auto request = make_request(c.method, c.target, c.headers);
    VerifyResult result = parse_and_verify(request, c.mode, c.payload_hash, at(kBotoDate) + std::chrono::seconds(2));
    EXPECT_EQ(result.status, VerifyStatus::Ok) << result.message << "\n" << result.canonical_request;
    // A different body (payload hash) must not verify.
    EXPECT_EQ(parse_and_verify(request, c.mode, common::sha256_hex("tampered"), at(kBotoDate)).status,
              VerifyStatus::SignatureMismatch);
  }
}

TEST(Sigv4Botocore, CanonicalRequestsMatchBotocoreDebugLog) {
  auto cases = botocore_cases();
  auto canonical_of = [](const BotoCase& c) {
    auto request = make_request(c.method, c.target, c.headers);
    return canonical_request(request, parse(request).info, c.mode, c.payload_hash);
  };
  EXPECT_EQ(canonical_of(cases[3]),
            "GET\n/2015-03-31/functions/"
            "arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Amy%2520fn\n\n"
            "host:lambda.us-east-1.amazonaws.com\nx-amz-date:20240102T030405Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(canonical_of(cases[4]),
            "GET\n/bkt/dir/my%20file%2B%C3%BC%252B~.txt\n\nhost:s3.amazonaws.com\nx-amz-checksum-mode:ENABLED\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20240102T030405Z\n\nhost;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(canonical_of(cases[5]),
            "GET\n/bkt/photos/a%20b%2Bc.jpg\n"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\n"
            "host:s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD");
}

TEST(Sigv4Botocore, PresignedFieldsAndTokenAreParsed) {
  auto c = botocore_cases()[6];
  ParseResult parsed = parse(make_request(c.method, c.target, c.headers));
  ASSERT_EQ(parsed.status, ParseStatus::Ok) << parsed.problem;
  EXPECT_TRUE(parsed.info.presigned);
  EXPECT_EQ(parsed.info.access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(parsed.info.service, "s3");
  EXPECT_EQ(parsed.info.expires_seconds, 604800);
  EXPECT_EQ(parsed.info.security_token, "FQoGZXIvYXdzEXAMPLE//token+/=");
  EXPECT_EQ(parsed.info.signature, "3c64c813e26fb3dd380ddc0b4d321e323adae416c1d1c01d75c30503752170f6");
}

// ---------------------------------------------------------------------------------------------
// Time.

http::Request suite_get_vanilla() {
  return make_request(
      "GET", "/",
      {kHost,
       {"X-Amz-Date", std::string(kSuiteDate)},
       {"Authorization",
        suite_authorization("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")}});
}

TEST(Sigv4Time, HeaderAuthTooOldIsSkewedWithAwsMessage) {
  VerifyResult result =
      parse_and_verify(suite_get_vanilla(), PathMode::Normalize, kEmptyPayloadSha256, at("20150830T130100Z"));
  EXPECT_EQ(result.status, VerifyStatus::Skewed);
  EXPECT_EQ(result.message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T124600Z (20150830T130100Z - 15 min.)");
}

TEST(Sigv4Time, HeaderAuthTooNewIsSkewedWithAwsMessage) {
  VerifyResult result =
      parse_and_verify(suite_get_vanilla(), PathMode::Normalize, kEmptyPayloadSha256, at("20150830T122000Z"));
  EXPECT_EQ(result.status, VerifyStatus::Skewed);
  EXPECT_EQ(result.message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 "
            "min.)");
}

TEST(Sigv4Time, HeaderAuthExactlyFifteenMinutesEitherWayIsAccepted) {
  auto request = suite_get_vanilla();
  EXPECT_EQ(parse_and_verify(request, PathMode::Normalize, kEmptyPayloadSha256, at("20150830T125100Z")).status,
            VerifyStatus::Ok);
  EXPECT_EQ(parse_and_verify(request, PathMode::Normalize, kEmptyPayloadSha256, at("20150830T122100Z")).status,
            VerifyStatus::Ok);
  EXPECT_EQ(parse_and_verify(request, PathMode::Normalize, kEmptyPayloadSha256, at("20150830T125101Z")).status,
            VerifyStatus::Skewed);
}

http::Request boto_presigned() {
  auto c = botocore_cases()[5];
  return make_request(c.method, c.target, c.headers);
}

TEST(Sigv4Time, PresignedExpiresAfterXAmzExpires) {
  auto request = boto_presigned();  // X-Amz-Expires=900
  EXPECT_EQ(parse_and_verify(request, PathMode::S3, kUnsignedPayload, at("20240102T031905Z")).status, VerifyStatus::Ok);
  VerifyResult result = parse_and_verify(request, PathMode::S3, kUnsignedPayload, at("20240102T031906Z"));
  EXPECT_EQ(result.status, VerifyStatus::Expired);
  EXPECT_EQ(result.message, "Request has expired");
}

TEST(Sigv4Time, PresignedFromTheFutureIsNotYetValid) {
  auto request = boto_presigned();
  EXPECT_EQ(parse_and_verify(request, PathMode::S3, kUnsignedPayload, at("20240102T025000Z")).status, VerifyStatus::Ok);
  EXPECT_EQ(parse_and_verify(request, PathMode::S3, kUnsignedPayload, at("20240102T024900Z")).status,
            VerifyStatus::NotYetValid);
}

TEST(Sigv4Time, PresignedExpiresOutOfRangeIsBadDate) {
  ParseResult parsed = parse(boto_presigned());
  ASSERT_EQ(parsed.status, ParseStatus::Ok);
  for (int64_t expires : {int64_t{0}, int64_t{-5}, int64_t{604801}}) {
    SignedInfo info = parsed.info;
    info.expires_seconds = expires;
    VerifyResult result = verify(boto_presigned(), info, kSecret, PathMode::S3, kUnsignedPayload, at(kBotoDate));
    EXPECT_EQ(result.status, VerifyStatus::BadDate) << expires;
    EXPECT_EQ(result.message, "X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }
}

TEST(Sigv4Time, ScopeDateMustMatchXAmzDate) {
  ParseResult parsed = parse(suite_get_vanilla());
  SignedInfo info = parsed.info;
  info.scope_date = "20150831";
  VerifyResult result =
      verify(suite_get_vanilla(), info, kSecret, PathMode::Normalize, kEmptyPayloadSha256, at(kSuiteDate));
  EXPECT_EQ(result.status, VerifyStatus::BadDate);
  EXPECT_EQ(result.message,
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != "
            "'20150830', from '20150830T123600Z'.");
}

TEST(Sigv4Time, UnparsableXAmzDateIsBadDate) {
  auto request = suite_get_vanilla();
  request.headers[1].value = "2015-08-30T12:36:00Z";
  VerifyResult result = parse_and_verify(request, PathMode::Normalize, kEmptyPayloadSha256, at(kSuiteDate));
  EXPECT_EQ(result.status, VerifyStatus::BadDate);
}

TEST(Sigv4Time, DateHeaderIsUsedWhenXAmzDateIsAbsent) {
  // botocore keeps a Date header when the caller set one, and then signs it instead of X-Amz-Date.
  auto request = make_request("GET", "/", {kHost, {"Date", "Sun, 30 Aug 2015 12:36:00 GMT"}});
  request.headers.push_back(
      {"Authorization", authorization_header(request, kAccessKey, kSecret, kSuiteDate, "us-east-1", "service",
                                             {"host", "date"}, PathMode::Normalize, kEmptyPayloadSha256)});
  ParseResult parsed = parse(request);
  ASSERT_EQ(parsed.status, ParseStatus::Ok) << parsed.problem;
  EXPECT_EQ(parsed.info.amz_date, kSuiteDate);
  EXPECT_EQ(parsed.info.signed_headers, "date;host");
  EXPECT_EQ(verify(request, parsed.info, kSecret, PathMode::Normalize, kEmptyPayloadSha256, at(kSuiteDate)).status,
            VerifyStatus::Ok);
}

TEST(Sigv4Time, XAmzDateWinsOverDate) {
  auto request = suite_get_vanilla();
  request.headers.push_back({"Date", "Mon, 01 Jan 2001 00:00:00 GMT"});
  ParseResult parsed = parse(request);
  ASSERT_EQ(parsed.status, ParseStatus::Ok);
  EXPECT_EQ(parsed.info.amz_date, kSuiteDate);
}

// ---------------------------------------------------------------------------------------------
// Parsing the Authorization header and the presigned query.

ParseResult parse_header_value(std::string value, bool with_date = true) {
  std::vector<http::Header> headers = {kHost, {"Authorization", std::move(value)}};
  if (with_date) {
    headers.push_back({"X-Amz-Date", std::string(kSuiteDate)});
  }
  return parse(make_request("GET", "/", headers));
}

TEST(Sigv4Parse, NoAuthenticationIsMissing) {
  EXPECT_EQ(parse(make_request("GET", "/?a=b", {kHost})).status, ParseStatus::Missing);
}

TEST(Sigv4Parse, SeparatorVariationsAreTolerated) {
  const std::string sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  const std::string cred = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
  for (const std::string& value : {
           "AWS4-HMAC-SHA256 " + cred + ",SignedHeaders=host;x-amz-date,Signature=" + sig,
           "AWS4-HMAC-SHA256  " + cred + " ,  SignedHeaders=host;x-amz-date ,Signature=" + sig + " ",
           "AWS4-HMAC-SHA256 Signature=" + sig + ", SignedHeaders=host;x-amz-date, " + cred,
           "AWS4-HMAC-SHA256," + cred + ", SignedHeaders=host;x-amz-date, Signature=" + sig,
       }) {
    SCOPED_TRACE(value);
    ParseResult parsed = parse_header_value(value);
    ASSERT_EQ(parsed.status, ParseStatus::Ok) << parsed.problem;
    EXPECT_EQ(parsed.info.signature, sig);
    EXPECT_EQ(parsed.info.signed_headers, "host;x-amz-date");
    EXPECT_EQ(parsed.info.access_key_id, "AKIDEXAMPLE");
  }
}

TEST(Sigv4Parse, MissingPartsAreListedLikeAws) {
  ParseResult parsed =
      parse_header_value("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request");
  EXPECT_EQ(parsed.status, ParseStatus::Malformed);
  EXPECT_EQ(parsed.problem,
            "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
            "parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
            "aws4_request");

  parsed = parse_header_value("AWS4-HMAC-SHA256", false);
  EXPECT_EQ(parsed.status, ParseStatus::Malformed);
  EXPECT_EQ(parsed.problem,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
            "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires "
            "existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256");
}

TEST(Sigv4Parse, MissingDateIsMalformed) {
  ParseResult parsed = parse_header_value(suite_authorization("host;x-amz-date", std::string(64, 'a')), false);
  EXPECT_EQ(parsed.status, ParseStatus::Malformed);
  EXPECT_NE(parsed.problem.find("requires existence of either a 'X-Amz-Date' or a 'Date' header"), std::string::npos);
}

TEST(Sigv4Parse, BadCredentialScope) {
  ParseResult parsed = parse_header_value(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  EXPECT_EQ(parsed.status, ParseStatus::Malformed);
  EXPECT_EQ(parsed.problem,
            "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ");

  for (const char* credential : {"AKIDEXAMPLE/20150830/us-east-1/aws4_request",
                                 "AKIDEXAMPLE/20150830/us-east-1/service/extra/aws4_request", "AKIDEXAMPLE"}) {
    SCOPED_TRACE(credential);
    parsed = parse_header_value(std::string("AWS4-HMAC-SHA256 Credential=") + credential +
                                ", SignedHeaders=host;x-amz-date, Signature=abc");
    EXPECT_EQ(parsed.status, ParseStatus::Malformed);
    EXPECT_EQ(parsed.problem, "Credential should be scoped to a valid region. ");
  }
}

TEST(Sigv4Parse, HostMustBeSigned) {
  ParseResult parsed = parse_header_value(suite_authorization("x-amz-date", std::string(64, 'a')));
  EXPECT_EQ(parsed.status, ParseStatus::Malformed);
  EXPECT_EQ(parsed.problem, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST(Sigv4Parse, OtherAlgorithmsAreUnsupported) {
  EXPECT_EQ(parse_header_value("AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=").status,
            ParseStatus::UnsupportedAlgorithm);
  EXPECT_EQ(parse_header_value("AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20150830/service/aws4_request, "
                               "SignedHeaders=host, Signature=3045")
                .status,
            ParseStatus::UnsupportedAlgorithm);
  EXPECT_EQ(parse_header_value("Basic QUtJRDpzZWNyZXQ=").status, ParseStatus::UnsupportedAlgorithm);
  // SigV2 presigned URL.
  EXPECT_EQ(parse(make_request("GET", "/bkt/k?AWSAccessKeyId=AKIDEXAMPLE&Expires=1441000000&Signature=abc%3D", {kHost}))
                .status,
            ParseStatus::UnsupportedAlgorithm);
  EXPECT_EQ(parse(make_request("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA512&X-Amz-Signature=abc", {kHost})).status,
            ParseStatus::UnsupportedAlgorithm);
}

TEST(Sigv4Parse, PresignedMissingParameters) {
  auto target = boto_presigned().target;
  for (const char* name : {"X-Amz-Expires=900&", "X-Amz-SignedHeaders=host&", "X-Amz-Date=20240102T030405Z&",
                           "X-Amz-Algorithm=AWS4-HMAC-SHA256"}) {
    SCOPED_TRACE(name);
    std::string stripped = target;
    stripped.erase(stripped.find(name), std::string_view(name).size());
    ParseResult parsed = parse(make_request("GET", stripped, {{"Host", "s3.amazonaws.com"}}));
    EXPECT_EQ(parsed.status, ParseStatus::Malformed);
    EXPECT_EQ(parsed.problem,
              "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
              "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
  }
}

TEST(Sigv4Parse, PresignedExpiresMustBeANumber) {
  std::string target = boto_presigned().target;
  target.replace(target.find("X-Amz-Expires=900"), 17, "X-Amz-Expires=9x0");
  ParseResult parsed = parse(make_request("GET", target, {{"Host", "s3.amazonaws.com"}}));
  EXPECT_EQ(parsed.status, ParseStatus::Malformed);
  EXPECT_EQ(parsed.problem, "X-Amz-Expires should be a number");
}

TEST(Sigv4Parse, HeaderAndQueryTogetherIsMalformed) {
  auto request = boto_presigned();
  request.headers.push_back({"Authorization", suite_authorization("host;x-amz-date", std::string(64, 'a'))});
  EXPECT_EQ(parse(request).status, ParseStatus::Malformed);
}

// ---------------------------------------------------------------------------------------------
// Canonicalisation details.

std::string canonical_uri(std::string_view path, PathMode mode) {
  SignedInfo info;
  auto request = make_request("GET", path, {});
  std::string canonical = canonical_request(request, info, mode, "");
  size_t first = canonical.find('\n');
  return canonical.substr(first + 1, canonical.find('\n', first + 1) - first - 1);
}

std::string canonical_query(std::string_view query, bool presigned) {
  SignedInfo info;
  info.presigned = presigned;
  auto request = make_request("GET", "/?" + std::string(query), {});
  std::string canonical = canonical_request(request, info, PathMode::S3, "");
  size_t second = canonical.find('\n', canonical.find('\n') + 1);
  return canonical.substr(second + 1, canonical.find('\n', second + 1) - second - 1);
}

TEST(Sigv4Canonical, NormalizedPathsFollowBotocore) {
  // Expected values: botocore's quote(normalize_url_path(path), safe='/~').
  const std::pair<const char*, const char*> cases[] = {
      {"", "/"},
      {"/", "/"},
      {"/a/./b/../c", "/a/c"},
      {"/a//b/", "/a/b/"},
      {"/a/b/..", "/a"},
      {"/..", "/"},
      {"/../a/", "/a/"},
      {"/.well-known/x", "/.well-known/x"},
      {"/%2E%2E/x", "/%252E%252E/x"},
      {"/a%2Fb", "/a%252Fb"},
      {"/~user/a-b_c.d", "/~user/a-b_c.d"},
      {"/a:b@c", "/a%3Ab%40c"},
  };
  for (auto [path, expected] : cases) {
    EXPECT_EQ(canonical_uri(path, PathMode::Normalize), expected) << path;
  }
}

TEST(Sigv4Canonical, S3PathsAreTakenAsSent) {
  EXPECT_EQ(canonical_uri("/b/a/../k//x%2B%20y", PathMode::S3), "/b/a/../k//x%2B%20y");
}

TEST(Sigv4Canonical, QueryIsDecodedReencodedAndSorted) {
  EXPECT_EQ(canonical_query("b=2&a=1&a=0&c", false), "a=0&a=1&b=2&c=");
  EXPECT_EQ(canonical_query("k=%7e%2f%41", false), "k=~%2FA");
  EXPECT_EQ(canonical_query("k=a+b&k2=a%2Bb&k3=a b", false), "k=a%20b&k2=a%2Bb&k3=a%20b");
  EXPECT_EQ(canonical_query("acl", false), "acl=");
  EXPECT_EQ(canonical_query("a=1&&b=", false), "a=1&b=");
  EXPECT_EQ(canonical_query("X-Amz-Signature=abc&z=1", true), "z=1");
  EXPECT_EQ(canonical_query("X-Amz-Signature=abc&z=1", false), "X-Amz-Signature=abc&z=1");
}

TEST(Sigv4Canonical, MissingSignedHeaderIsEmptyAndUnsignedHeadersAreIgnored) {
  SignedInfo info;
  info.signed_headers = "host;x-absent";
  auto request = make_request("GET", "/", {{"HOST", "h"}, {"X-Other", "o"}});
  EXPECT_EQ(canonical_request(request, info, PathMode::Normalize, "p"),
            "GET\n/\n\nhost:h\nx-absent:\n\nhost;x-absent\np");
}

// ---------------------------------------------------------------------------------------------
// Keys, cache, aws-chunked.

TEST(Sigv4Keys, CacheReturnsDerivedKeysAndStaysCorrectPastItsBound) {
  SigningKeyCache cache;
  auto expected = derive_signing_key(kSecret, "20150830", "us-east-1", "service");
  EXPECT_EQ(cache.get(kSecret, "20150830", "us-east-1", "service"), expected);
  EXPECT_EQ(cache.get(kSecret, "20150830", "us-east-1", "service"), expected);
  // Key parts are separated, so ("ab","c") and ("a","bc") are different entries.
  EXPECT_NE(cache.get("s", "20150830", "us-east-1a", "b"), cache.get("s", "20150830", "us-east-1", "ab"));
  for (int i = 0; i < 2100; ++i) {
    std::string region = "region-" + std::to_string(i);
    ASSERT_EQ(cache.get(kSecret, "20150830", region, "s3"), derive_signing_key(kSecret, "20150830", region, "s3"));
  }
  EXPECT_EQ(cache.get(kSecret, "20150830", "us-east-1", "service"), expected);
}

TEST(Sigv4Keys, CacheIsThreadSafe) {
  SigningKeyCache cache;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 600; ++i) {
        std::string service = "svc" + std::to_string((i * 7 + t) % 50);
        if (cache.get(kSecret, "20240102", "us-east-1", service) !=
            derive_signing_key(kSecret, "20240102", "us-east-1", service)) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Sigv4Keys, VerifyWithCacheMatchesWithout) {
  SigningKeyCache cache;
  auto request = suite_get_vanilla();
  ParseResult parsed = parse(request);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(
        verify(request, parsed.info, kSecret, PathMode::Normalize, kEmptyPayloadSha256, at(kSuiteDate), &cache).status,
        VerifyStatus::Ok);
  }
  EXPECT_EQ(
      verify(request, parsed.info, "other", PathMode::Normalize, kEmptyPayloadSha256, at(kSuiteDate), &cache).status,
      VerifyStatus::SignatureMismatch);
}

// The S3 documentation's streaming example ("Signature Calculations for the Authorization Header:
// Transferring Payload in Multiple Chunks"): 65536 + 1024 bytes of 'a', then the final chunk.
TEST(Sigv4Keys, AwsChunkedSignatureChain) {
  constexpr std::string_view kDocSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  auto request = make_request("PUT", "/examplebucket/chunkObject.txt",
                              {{"Host", "s3.amazonaws.com"},
                               {"x-amz-date", "20130524T000000Z"},
                               {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                               {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
                               {"Content-Encoding", "aws-chunked"},
                               {"x-amz-decoded-content-length", "66560"},
                               {"Content-Length", "66824"}});
  std::string header =
      authorization_header(request, "AKIAIOSFODNN7EXAMPLE", kDocSecret, "20130524T000000Z", "us-east-1", "s3",
                           {"content-encoding", "content-length", "host", "x-amz-content-sha256", "x-amz-date",
                            "x-amz-decoded-content-length", "x-amz-storage-class"},
                           PathMode::S3, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  const std::string seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  EXPECT_EQ(header.substr(header.size() - 64), seed);

  request.headers.push_back({"Authorization", header});
  ParseResult parsed = parse(request);
  ASSERT_EQ(parsed.status, ParseStatus::Ok) << parsed.problem;
  auto key = derive_signing_key(kDocSecret, "20130524", "us-east-1", "s3");
  std::string previous = seed;
  const std::pair<size_t, const char*> chunks[] = {
      {65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"},
      {1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"},
      {0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"},
  };
  for (auto [size, expected] : chunks) {
    previous = sign(key, chunk_string_to_sign(parsed.info, previous, common::sha256_hex(std::string(size, 'a'))));
    EXPECT_EQ(previous, expected) << size;
  }
}

TEST(Sigv4Keys, TrailerStringToSignLayout) {
  SignedInfo info;
  info.amz_date = "20130524T000000Z";
  info.scope_date = "20130524";
  info.region = "us-east-1";
  info.service = "s3";
  EXPECT_EQ(trailer_string_to_sign(info, "prev", "hash"),
            "AWS4-HMAC-SHA256-TRAILER\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\nprev\nhash");
}

// ---------------------------------------------------------------------------------------------
// CodeCommit git passwords (reference doc section 2.2 vector, made with the real helper).

constexpr std::string_view kGitHost = "git-codecommit.us-east-1.amazonaws.com";
constexpr std::string_view kGitPassword =
    "20240102T030405Z0f588bef74e2ac4b70b72a0ebf8baa7cf6bcc51c76b85e8a76837044b6fb5ade";

TEST(Sigv4Git, PasswordMatchesTheCredentialHelper) {
  EXPECT_EQ(git_password(kSecret, "us-east-1", kGitHost, "/v1/repos/MyDemoRepo", at("20240102T030405Z")), kGitPassword);
  // git hands the helper the path without its leading slash; the port is never signed.
  EXPECT_EQ(git_password(kSecret, "us-east-1", std::string(kGitHost) + ":443", "v1/repos/MyDemoRepo",
                         at("20240102T030405Z") + std::chrono::milliseconds(900)),
            kGitPassword);
}

TEST(Sigv4Git, VerifyAcceptsTheVectorAndShowsWhatWasSigned) {
  VerifyResult result =
      verify_git_password(kGitPassword, kSecret, "us-east-1", kGitHost, "/v1/repos/MyDemoRepo", at("20240102T031400Z"));
  EXPECT_EQ(result.status, VerifyStatus::Ok) << result.message;
  EXPECT_EQ(result.canonical_request,
            "GIT\n/v1/repos/MyDemoRepo\n\nhost:git-codecommit.us-east-1.amazonaws.com\n\nhost\n");
  EXPECT_EQ(result.string_to_sign,
            "AWS4-HMAC-SHA256\n20240102T030405\n20240102/us-east-1/codecommit/aws4_request\n"
            "956504f984c57eae87a4d346014b4f0ecfc62a9cc354b2434e0408ec253be706");
}

TEST(Sigv4Git, VerifyRejectsWrongInputs) {
  auto now = at("20240102T030405Z");
  EXPECT_EQ(verify_git_password(kGitPassword, "other", "us-east-1", kGitHost, "/v1/repos/MyDemoRepo", now).status,
            VerifyStatus::SignatureMismatch);
  EXPECT_EQ(verify_git_password(kGitPassword, kSecret, "us-west-2", kGitHost, "/v1/repos/MyDemoRepo", now).status,
            VerifyStatus::SignatureMismatch);
  EXPECT_EQ(verify_git_password(kGitPassword, kSecret, "us-east-1", kGitHost, "/v1/repos/Other", now).status,
            VerifyStatus::SignatureMismatch);
  EXPECT_EQ(
      verify_git_password(kGitPassword, kSecret, "us-east-1", kGitHost, "/v1/repos/MyDemoRepo", at("20240102T031906Z"))
          .status,
      VerifyStatus::Skewed);
  EXPECT_EQ(
      verify_git_password(kGitPassword, kSecret, "us-east-1", kGitHost, "/v1/repos/MyDemoRepo", at("20240102T024904Z"))
          .status,
      VerifyStatus::Skewed);
  for (std::string_view bad :
       {std::string_view("hunter2"), kGitPassword.substr(1),
        std::string_view("20241302T030405Z0f588bef74e2ac4b70b72a0ebf8baa7cf6bcc51c76b85e8a76837044b6fb5ade"),
        std::string_view("20240102T030405Z0F588BEF74E2AC4B70B72A0EBF8BAA7CF6BCC51C76B85E8A76837044B6FB5ADE")}) {
    EXPECT_EQ(verify_git_password(bad, kSecret, "us-east-1", kGitHost, "/v1/repos/MyDemoRepo", now).status,
              VerifyStatus::BadDate)
        << bad;
  }
}

}  // namespace
}  // namespace sigv4
