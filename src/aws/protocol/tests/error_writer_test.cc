#include <gtest/gtest.h>

#include "aws/protocol/codec.h"

namespace aws::protocol {
namespace {

std::string header(const http::Response& response, std::string_view name) {
  for (const auto& h : response.headers) {
    if (h.name == name) {
      return h.value;
    }
  }
  return "<absent>";
}

TEST(ErrorWriter, Json) {
  auto error = make_aws_error("ParameterNotFound", 400, "Parameter /x not found.").with("ResourceId", "/x");
  http::Response response = render_error(model::Protocol::Json, "", error, "rid");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(header(response, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(header(response, "x-amzn-RequestId"), "rid");
  EXPECT_EQ(header(response, "X-Amzn-ErrorType"), "ParameterNotFound");
  EXPECT_EQ(
      Json::parse(response.body),
      Json::parse(R"({"__type": "ParameterNotFound", "message": "Parameter /x not found.", "ResourceId": "/x"})"));
}

TEST(ErrorWriter, Query) {
  auto error = make_aws_error("ServiceFailure", 500, "a < b & c", false);
  http::Response response =
      render_error(model::Protocol::Query, "https://iam.amazonaws.com/doc/2010-05-08/", error, "rid");
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(header(response, "Content-Type"), "text/xml");
  EXPECT_EQ(header(response, "x-amzn-RequestId"), "rid");
  EXPECT_EQ(response.body,
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Receiver</Type>"
            "<Code>ServiceFailure</Code><Message>a &lt; b &amp; c</Message></Error><RequestId>rid</RequestId>"
            "</ErrorResponse>");
}

TEST(ErrorWriter, RestXml) {
  auto error = make_aws_error("NoSuchKey", 404, "The specified key does not exist.").with("Key", "a/b&c");
  http::Response response = render_error(model::Protocol::RestXml, "", error, "rid");
  const std::string host_id = rest_xml_host_id("rid");
  EXPECT_EQ(host_id.size(), 44u);  // base64 of a SHA-256
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(header(response, "Content-Type"), "application/xml");
  EXPECT_EQ(header(response, "x-amz-request-id"), "rid");
  EXPECT_EQ(header(response, "x-amz-id-2"), host_id);
  EXPECT_EQ(response.body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does "
            "not exist.</Message><Key>a/b&amp;c</Key><RequestId>rid</RequestId><HostId>" +
                host_id + "</HostId></Error>");
}

TEST(ErrorWriter, RestXmlExtraMembersAsElements) {
  auto error =
      make_aws_error("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
          .with("Condition", "If-Match")
          .with("BucketName", "b")
          .with("Retryable", false)
          .with("Size", 5)
          .with("RequestId", "ignored")
          .with("Skipped", nullptr);
  http::Response response = render_error(model::Protocol::RestXml, "", error, "rid");
  EXPECT_NE(response.body.find("</Message><BucketName>b</BucketName><Condition>If-Match</Condition>"
                               "<Retryable>false</Retryable><Size>5</Size><RequestId>rid</RequestId>"),
            std::string::npos)
      << response.body;
}

TEST(ErrorWriter, RestXmlNotModifiedHasNoBody) {
  http::Response response =
      render_error(model::Protocol::RestXml, "", make_aws_error("NotModified", 304, "Not Modified"), "rid");
  EXPECT_EQ(response.status, 304);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(header(response, "Content-Type"), "<absent>");
  EXPECT_EQ(header(response, "x-amz-request-id"), "rid");
  EXPECT_EQ(header(response, "x-amz-id-2"), rest_xml_host_id("rid"));
}

}  // namespace
}  // namespace aws::protocol
