// Encoder conformance. Each case encodes a handler output (or renders an error) and compares
// it with the committed src/aws/protocol/tests/fixtures/out/<case>.json, which
// tools/codegen/check_responses.py parses with botocore's own parsers. After changing an
// encoder: HAKOBU_WRITE_FIXTURES=1 hakobu_unit_tests --gtest_filter='BotocoreResponseFixtures.*'
// then python3 tools/codegen/check_responses.py.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/protocol/codec.h"
#include "gen/models.h"

namespace aws::protocol {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kRequestId = "6f2a1c3e-9b8d-4e5f-a1b2-c3d4e5f60718";

fs::path out_dir() { return fs::path(__FILE__).parent_path() / "fixtures" / "out"; }

Json headers_json(const http::Response& response) {
  Json headers = Json::object();
  for (const http::Header& header : response.headers) {
    headers[header.name] = header.value;
  }
  return headers;
}

// Writes the fixture when HAKOBU_WRITE_FIXTURES=1, else checks it is unchanged.
void check_fixture(const std::string& name, const Json& fixture) {
  const fs::path path = out_dir() / (name + ".json");
  const std::string text = fixture.dump(2) + "\n";
  const char* write = std::getenv("HAKOBU_WRITE_FIXTURES");
  if (write != nullptr && std::string_view(write) == "1") {
    fs::create_directories(out_dir());
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << path << " is missing; run with HAKOBU_WRITE_FIXTURES=1";
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_EQ(committed.str(), text) << path
                                   << " is stale; rerun with HAKOBU_WRITE_FIXTURES=1, then "
                                      "python3 tools/codegen/check_responses.py";
}

void response_case(const std::string& name, const model::ServiceModel& service, std::string_view operation,
                   const Json& output) {
  SCOPED_TRACE(name);
  const model::Operation* op = service.find_operation(operation);
  ASSERT_NE(op, nullptr);
  Json fixture = {{"service", service.signing_name},
                  {"operation", operation},
                  {"kind", "response"},
                  {"status", 200},
                  {"expected", output}};
  if (service.protocol == model::Protocol::Query) {
    fixture["protocol"] = "query";
    fixture["headers"] = {{"Content-Type", "text/xml"}, {"x-amzn-RequestId", kRequestId}};
    fixture["body"] = encode_query(service, *op, output, kRequestId);
  } else {
    fixture["protocol"] = "json";
    fixture["headers"] = {{"Content-Type", "application/x-amz-json-1.1"}, {"x-amzn-RequestId", kRequestId}};
    fixture["body"] = encode_json(service, *op, output);
  }
  check_fixture(name, fixture);
}

void error_case(const std::string& name, const model::ServiceModel& service, std::string_view operation,
                const AwsError& error) {
  SCOPED_TRACE(name);
  http::Response response = render_error(service.protocol, service.xml_namespace, error, kRequestId);
  const char* protocol = service.protocol == model::Protocol::Query     ? "query"
                         : service.protocol == model::Protocol::RestXml ? "rest-xml"
                                                                        : "json";
  Json fixture = {{"service", service.signing_name},
                  {"operation", operation},
                  {"protocol", protocol},
                  {"kind", "error"},
                  {"status", response.status},
                  {"headers", headers_json(response)},
                  {"body", response.body},
                  {"expected", {{"Code", error.code}, {"Message", error.message}}}};
  check_fixture(name, fixture);
}

Json iam_user(const std::string& name, double created) {
  return {{"Path", "/"},
          {"UserName", name},
          {"UserId", "AIDAEXAMPLE" + name},
          {"Arn", "arn:aws:iam::123456789012:user/" + name},
          {"CreateDate", created}};
}

TEST(BotocoreResponseFixtures, Iam) {
  Json user = iam_user("bob", 1704164645);
  user["Tags"] = Json::array({{{"Key", "team"}, {"Value", "a&b <c>"}}});
  user["PasswordLastUsed"] = 1704164645.25;
  response_case("iam_GetUser", gen::iam_model(), "GetUser", {{"User", user}});
  response_case("iam_ListUsers", gen::iam_model(), "ListUsers",
                {{"Users", Json::array({iam_user("alice", 1700000000), iam_user("bob", 1700000001)})},
                 {"IsTruncated", true},
                 {"Marker", "next-page"}});
  response_case("iam_ListUsers_empty", gen::iam_model(), "ListUsers",
                {{"Users", Json::array()}, {"IsTruncated", false}});
  response_case("iam_DeleteUser", gen::iam_model(), "DeleteUser", Json::object());
  response_case("iam_ListRolePolicies", gen::iam_model(), "ListRolePolicies",
                {{"PolicyNames", Json::array({"inline-1", "inline-2"})}, {"IsTruncated", false}});
  error_case("iam_error_NoSuchEntity", gen::iam_model(), "GetUser",
             make_aws_error("NoSuchEntity", 404, "The user with name nobody cannot be found."));
}

TEST(BotocoreResponseFixtures, Sts) {
  response_case(
      "sts_AssumeRole", gen::sts_model(), "AssumeRole",
      {{"Credentials",
        {{"AccessKeyId", "ASIAEXAMPLE"},
         {"SecretAccessKey", "secret"},
         {"SessionToken", "token+/="},
         {"Expiration", 1704168245}}},
       {"AssumedRoleUser",
        {{"AssumedRoleId", "AROAEXAMPLE:session"}, {"Arn", "arn:aws:sts::123456789012:assumed-role/deploy/session"}}},
       {"PackedPolicySize", 6}});
  response_case(
      "sts_GetCallerIdentity", gen::sts_model(), "GetCallerIdentity",
      {{"UserId", "AIDAEXAMPLE"}, {"Account", "123456789012"}, {"Arn", "arn:aws:iam::123456789012:user/bob"}});
  error_case("sts_error_AccessDenied", gen::sts_model(), "AssumeRole",
             make_aws_error("AccessDenied", 403, "User is not authorized to perform: sts:AssumeRole"));
}

TEST(BotocoreResponseFixtures, Ssm) {
  response_case("ssm_GetParameter", gen::ssm_model(), "GetParameter",
                {{"Parameter",
                  {{"Name", "/app/db"},
                   {"Type", "SecureString"},
                   {"Value", "s3cr3t"},
                   {"Version", 3},
                   {"LastModifiedDate", 1704164645.123},
                   {"ARN", "arn:aws:ssm:us-east-1:123456789012:parameter/app/db"},
                   {"DataType", "text"},
                   {"Selector", nullptr}}}});
  response_case(
      "ssm_GetParametersByPath", gen::ssm_model(), "GetParametersByPath",
      {{"Parameters", Json::array({{{"Name", "/app/a"}, {"Type", "String"}, {"Value", "1"}, {"Version", 1}},
                                   {{"Name", "/app/b"}, {"Type", "StringList"}, {"Value", "x,y"}, {"Version", 2}}})},
       {"NextToken", "token"}});
  error_case("ssm_error_ParameterNotFound", gen::ssm_model(), "GetParameter",
             make_aws_error("ParameterNotFound", 400, "Parameter /app/missing not found."));
  error_case("ssm_error_Internal", gen::ssm_model(), "GetParameter",
             make_aws_error("InternalServerError", 500, "boom", false));
}

TEST(BotocoreResponseFixtures, S3Errors) {
  error_case("s3_error_NoSuchKey", gen::s3_model(), "GetObject",
             make_aws_error("NoSuchKey", 404, "The specified key does not exist.").with("Key", "a/b&c"));
}

}  // namespace
}  // namespace aws::protocol
