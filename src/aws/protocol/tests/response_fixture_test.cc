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
  if (service.protocol == model::Protocol::RestXml) {
    // What the dispatcher sends: the success status, the codec's headers and body, the
    // request-id headers, and the Content-Length the HTTP layer frames (a streamed or HEAD
    // object's length is the object's).
    http::Response response;
    response.status = op->http_status;
    encode_rest_xml(service, *op, output, response);
    response.set_header("x-amz-request-id", std::string(kRequestId));
    response.set_header("x-amz-id-2", rest_xml_host_id(kRequestId));
    if (response.status != 204 && response.status != 304) {
      const bool sized = output.contains("ContentLength") && response.body.empty();
      response.set_header("Content-Length",
                          sized ? output["ContentLength"].dump() : std::to_string(response.body.size()));
    }
    fixture["protocol"] = "rest-xml";
    fixture["status"] = response.status;
    fixture["headers"] = headers_json(response);
    fixture["body"] = response.body;
  } else if (service.protocol == model::Protocol::Query) {
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

// `code` is what a client reads: botocore names a bodiless (304) error by its status.
void error_case(const std::string& name, const model::ServiceModel& service, std::string_view operation,
                const AwsError& error, const std::string& code = "") {
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
                  {"expected", {{"Code", code.empty() ? error.code : code}, {"Message", error.message}}}};
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
  error_case("s3_error_NoSuchBucket", gen::s3_model(), "ListObjectsV2",
             make_aws_error("NoSuchBucket", 404, "The specified bucket does not exist.").with("BucketName", "nope"));
  error_case("s3_error_PreconditionFailed", gen::s3_model(), "GetObject",
             make_aws_error("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
                 .with("Condition", "If-Match"));
  error_case("s3_error_NotModified", gen::s3_model(), "GetObject", make_aws_error("NotModified", 304, "Not Modified"),
             "304");
}

constexpr double kWhen = 1704164645;  // 2024-01-02T03:04:05Z
constexpr const char* kOwnerId = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

Json owner() { return {{"DisplayName", "alice"}, {"ID", kOwnerId}}; }

TEST(BotocoreResponseFixtures, S3Buckets) {
  const auto& s3 = gen::s3_model();
  response_case(
      "s3_ListBuckets", s3, "ListBuckets",
      {{"Buckets", Json::array({{{"Name", "artifacts"}, {"CreationDate", kWhen}, {"BucketRegion", "us-east-1"}},
                                {{"Name", "site"}, {"CreationDate", kWhen + 1.5}}})},
       {"Owner", owner()},
       {"Prefix", "a"}});
  response_case("s3_ListBuckets_empty", s3, "ListBuckets", {{"Buckets", Json::array()}, {"Owner", owner()}});
  response_case("s3_CreateBucket", s3, "CreateBucket", {{"Location", "/artifacts"}});
  response_case("s3_HeadBucket", s3, "HeadBucket", {{"BucketRegion", "eu-west-1"}, {"AccessPointAlias", false}});
  response_case("s3_GetBucketLocation", s3, "GetBucketLocation", {{"LocationConstraint", "eu-west-1"}});
  response_case("s3_GetBucketLocation_us_east_1", s3, "GetBucketLocation", Json::object());
  response_case("s3_GetBucketVersioning", s3, "GetBucketVersioning",
                {{"Status", "Enabled"}, {"MFADelete", "Disabled"}});
  response_case("s3_GetBucketVersioning_never", s3, "GetBucketVersioning", Json::object());
  response_case("s3_GetBucketPolicy", s3, "GetBucketPolicy",
                {{"Policy", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*"}]})"}});
  response_case("s3_GetBucketTagging", s3, "GetBucketTagging",
                {{"TagSet", Json::array({{{"Key", "env"}, {"Value", "prod"}}, {{"Key", "a&b"}, {"Value", "<c>"}}})}});
  response_case(
      "s3_GetBucketNotificationConfiguration", s3, "GetBucketNotificationConfiguration",
      {{"EventBridgeConfiguration", Json::object()},
       {"QueueConfigurations",
        Json::array(
            {{{"Id", "q1"},
              {"QueueArn", "arn:aws:sqs:us-east-1:123456789012:q"},
              {"Events", Json::array({"s3:ObjectCreated:*"})},
              {"Filter", {{"Key", {{"FilterRules", Json::array({{{"Name", "prefix"}, {"Value", "in/"}}})}}}}}}})}});
  response_case("s3_GetBucketNotificationConfiguration_empty", s3, "GetBucketNotificationConfiguration",
                Json::object());
}

Json object_entry(const std::string& key, double when) {
  return {{"Key", key},
          {"LastModified", when},
          {"ETag", "\"9b2cf535f27731c974343645a3985328\""},
          {"Size", 11},
          {"StorageClass", "STANDARD"}};
}

TEST(BotocoreResponseFixtures, S3Listings) {
  const auto& s3 = gen::s3_model();
  Json first = object_entry("dir/a%20b.txt", kWhen);
  first["Owner"] = owner();
  first["ChecksumAlgorithm"] = Json::array({"CRC32"});
  response_case("s3_ListObjectsV2", s3, "ListObjectsV2",
                {{"IsTruncated", true},
                 {"Contents", Json::array({first, object_entry("dir/c", kWhen + 0.25)})},
                 {"Name", "artifacts"},
                 {"Prefix", "dir/"},
                 {"Delimiter", "/"},
                 {"MaxKeys", 2},
                 {"CommonPrefixes", Json::array({{{"Prefix", "dir/sub/"}}, {{"Prefix", "dir/x%26y/"}}})},
                 {"EncodingType", "url"},
                 {"KeyCount", 4},
                 {"ContinuationToken", "t1"},
                 {"NextContinuationToken", "t2"}});
  response_case("s3_ListObjectsV2_empty", s3, "ListObjectsV2",
                {{"IsTruncated", false}, {"Name", "artifacts"}, {"Prefix", ""}, {"MaxKeys", 1000}, {"KeyCount", 0}});
  response_case("s3_ListObjects", s3, "ListObjects",
                {{"IsTruncated", false},
                 {"Marker", ""},
                 {"Contents", Json::array({object_entry("a", kWhen)})},
                 {"Name", "artifacts"},
                 {"MaxKeys", 1000}});
  Json version = object_entry("a", kWhen);
  version.erase("StorageClass");
  version["VersionId"] = "v2";
  version["IsLatest"] = true;
  version["Owner"] = owner();
  response_case(
      "s3_ListObjectVersions", s3, "ListObjectVersions",
      {{"IsTruncated", false},
       {"KeyMarker", ""},
       {"Versions", Json::array({version})},
       {"DeleteMarkers",
        Json::array(
            {{{"Owner", owner()}, {"Key", "b"}, {"VersionId", "v9"}, {"IsLatest", true}, {"LastModified", kWhen}}})},
       {"Name", "artifacts"},
       {"MaxKeys", 1000}});
  response_case("s3_ListMultipartUploads", s3, "ListMultipartUploads",
                {{"Bucket", "artifacts"},
                 {"IsTruncated", false},
                 {"MaxUploads", 1000},
                 {"Uploads", Json::array({{{"UploadId", "u1"},
                                           {"Key", "big.bin"},
                                           {"Initiated", kWhen},
                                           {"StorageClass", "STANDARD"},
                                           {"Owner", owner()},
                                           {"Initiator", {{"ID", kOwnerId}, {"DisplayName", "alice"}}}}})}});
  response_case(
      "s3_ListParts", s3, "ListParts",
      {{"Bucket", "artifacts"},
       {"Key", "big.bin"},
       {"UploadId", "u1"},
       {"PartNumberMarker", 0},
       {"NextPartNumberMarker", 2},
       {"MaxParts", 1000},
       {"IsTruncated", false},
       {"Parts", Json::array({{{"PartNumber", 1}, {"LastModified", kWhen}, {"ETag", "\"e1\""}, {"Size", 5242880}},
                              {{"PartNumber", 2}, {"LastModified", kWhen}, {"ETag", "\"e2\""}, {"Size", 1}}})},
       {"StorageClass", "STANDARD"},
       {"Owner", owner()}});
}

TEST(BotocoreResponseFixtures, S3Objects) {
  const auto& s3 = gen::s3_model();
  const Json object_headers = {{"LastModified", kWhen},
                               {"ContentLength", 11},
                               {"ETag", "\"5eb63bbbe01eeed093cb22bb8f5acdc3\""},
                               {"ContentType", "text/plain"},
                               {"AcceptRanges", "bytes"},
                               {"VersionId", "v1"},
                               {"Metadata", {{"color", "blue"}, {"codebuild-buildarn", "arn:aws:codebuild:x"}}},
                               {"TagCount", 2},
                               {"ObjectLockRetainUntilDate", kWhen + 86400},
                               {"ServerSideEncryption", "AES256"},
                               {"BucketKeyEnabled", false}};
  response_case("s3_GetObject", s3, "GetObject", object_headers);
  response_case("s3_HeadObject", s3, "HeadObject", object_headers);
  response_case("s3_PutObject", s3, "PutObject",
                {{"ETag", "\"5eb63bbbe01eeed093cb22bb8f5acdc3\""}, {"VersionId", "v1"}, {"ChecksumCRC32", "DUoRhQ=="}});
  response_case("s3_DeleteObject", s3, "DeleteObject", {{"DeleteMarker", true}, {"VersionId", "v3"}});
  response_case("s3_CopyObject", s3, "CopyObject",
                {{"CopyObjectResult", {{"ETag", "\"e\""}, {"LastModified", kWhen}}},
                 {"CopySourceVersionId", "v0"},
                 {"VersionId", "v1"}});
  response_case("s3_UploadPartCopy", s3, "UploadPartCopy",
                {{"CopyPartResult", {{"ETag", "\"p\""}, {"LastModified", kWhen}}}});
  response_case("s3_UploadPart", s3, "UploadPart", {{"ETag", "\"p1\""}});
  response_case("s3_CreateMultipartUpload", s3, "CreateMultipartUpload",
                {{"Bucket", "artifacts"}, {"Key", "big.bin"}, {"UploadId", "u1"}});
  response_case("s3_CompleteMultipartUpload", s3, "CompleteMultipartUpload",
                {{"Location", "http://127.0.0.1:4566/artifacts/big.bin"},
                 {"Bucket", "artifacts"},
                 {"Key", "big.bin"},
                 {"ETag", "\"abc-2\""},
                 {"VersionId", "v4"}});
  response_case(
      "s3_DeleteObjects", s3, "DeleteObjects",
      {{"Deleted",
        Json::array({{{"Key", "a"}},
                     {{"Key", "b"}, {"VersionId", "v1"}, {"DeleteMarker", true}, {"DeleteMarkerVersionId", "v2"}}})},
       {"Errors", Json::array({{{"Key", "c"}, {"Code", "AccessDenied"}, {"Message", "Access Denied"}}})}});
  response_case("s3_GetObjectTagging", s3, "GetObjectTagging",
                {{"VersionId", "v1"}, {"TagSet", Json::array({{{"Key", "a"}, {"Value", "1"}}})}});
  response_case("s3_PutObjectTagging", s3, "PutObjectTagging", {{"VersionId", "v1"}});
}

}  // namespace
}  // namespace aws::protocol
