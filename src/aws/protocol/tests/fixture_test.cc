// Codec conformance: requests serialized by botocore itself (tools/codegen/make_fixtures.py)
// must decode to the parameters botocore was given; rest-xml ones must also route to the
// operation botocore serialized.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/protocol/codec.h"
#include "common/strings.h"
#include "gen/models.h"

namespace aws::protocol {
namespace {

namespace fs = std::filesystem;

fs::path fixture_dir() { return fs::path(__FILE__).parent_path() / "fixtures"; }

std::vector<fs::path> request_fixtures() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fixture_dir())) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A rest-xml request as the S3 router hands it to the codec: path-style labels, decoded.
Result<Json, AwsError> route_and_decode_rest(const model::ServiceModel& model, const Json& fixture,
                                             std::vector<http::Header>& headers) {
  RestRequest request;
  const std::string method = fixture["method"];
  request.method = method;
  std::string_view path = fixture["path"].get_ref<const std::string&>();
  path.remove_prefix(1);
  if (!path.empty()) {
    const size_t slash = path.find('/');
    request.labels.emplace_back("Bucket", common::uri_decode(path.substr(0, slash)));
    if (slash != std::string_view::npos) {
      request.labels.emplace_back("Key", common::uri_decode(path.substr(slash + 1)));
    }
  }
  for (const Json& pair : fixture["query"]) {
    request.query.emplace_back(pair[0], pair[1]);
  }
  for (auto it = fixture["headers"].begin(); it != fixture["headers"].end(); ++it) {
    headers.push_back(http::Header{it.key(), it.value()});
  }
  request.headers = &headers;
  auto candidates =
      match_rest_operations(model, method, static_cast<int>(request.labels.size()), request.query, &headers);
  if (candidates.empty()) {
    return common::fail(make_aws_error("NoRoute", 404, "no operation matches"));
  }
  EXPECT_EQ(candidates.front()->name, fixture["operation"].get<std::string>());
  const model::Operation& op = *candidates.front();
  const std::string& body = fixture["body"].get_ref<const std::string&>();
  if (!rest_input_streams(model, op)) {
    request.body = body;
  }
  return decode_rest_xml(model, op, request);
}

Json read_json(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

TEST(BotocoreRequestFixtures, DecodeToTheSerializedParameters) {
  const auto fixtures = request_fixtures();
  ASSERT_GE(fixtures.size(), 30u);
  for (const fs::path& path : fixtures) {
    SCOPED_TRACE(path.filename().string());
    const Json fixture = read_json(path);
    const std::string service = fixture["service"];
    const std::string operation = fixture["operation"];
    const std::string body = fixture["body"];
    const model::ServiceModel* model = gen::find_model_by_signing_name(service);
    ASSERT_NE(model, nullptr);
    const model::Operation* op = model->find_operation(operation);
    ASSERT_NE(op, nullptr);
    Result<Json, AwsError> decoded = Json();
    if (fixture["protocol"] == "json") {
      const std::string target = fixture["headers"]["X-Amz-Target"];
      const size_t dot = target.find('.');
      EXPECT_EQ(gen::find_model_by_target_prefix(target.substr(0, dot)), model);
      EXPECT_EQ(target.substr(dot + 1), operation);
      decoded = decode_json(*model, *op, body);
    } else if (fixture["protocol"] == "rest-xml") {
      std::vector<http::Header> headers;
      decoded = route_and_decode_rest(*model, fixture, headers);
    } else {
      ASSERT_EQ(fixture["protocol"], "query");
      auto params = common::parse_query(body);
      ASSERT_GE(params.size(), 2u);
      EXPECT_EQ(params[0], std::make_pair(std::string("Action"), operation));
      EXPECT_EQ(params[1], std::make_pair(std::string("Version"), std::string(model->api_version)));
      decoded = decode_query(*model, *op, params);
    }
    ASSERT_TRUE(decoded.ok()) << decoded.error().code << ": " << decoded.error().message;
    EXPECT_EQ(*decoded, fixture["expected"]) << decoded->dump(2);
  }
}

}  // namespace
}  // namespace aws::protocol
