#include "runtime/http_wire.h"

#include <gtest/gtest.h>

namespace runtime {
namespace {

TEST(HttpWire, TargetEncodesQueryValues) {
  Target target("/v1.41/images/create");
  target.query("fromImage", "127.0.0.1:4566/000000000000/app").query("tag", "v1").query_if(false, "x", "y");
  EXPECT_EQ(target.str(), "/v1.41/images/create?fromImage=127.0.0.1%3A4566%2F000000000000%2Fapp&tag=v1");
  Target filters("/v1.41/containers/json");
  filters.query("filters", R"({"label":["hakobu.owner=build:a b"]})");
  EXPECT_EQ(filters.str(),
            "/v1.41/containers/json?filters=%7B%22label%22%3A%5B%22hakobu.owner%3Dbuild%3Aa%20b%22%5D%7D");
}

TEST(HttpWire, EscapePathKeepsImageNameSeparators) {
  EXPECT_EQ(escape_path("127.0.0.1:4566/acct/app:v1"), "127.0.0.1:4566/acct/app:v1");
  EXPECT_EQ(escape_path("app@sha256:abc"), "app@sha256:abc");
  EXPECT_EQ(escape_path("a b?c#d%"), "a%20b%3Fc%23d%25");
}

TEST(HttpWire, RequestHead) {
  HttpRequest request{"POST", "/v1.41/containers/create?name=x", {{"X-Registry-Auth", "abc="}}};
  EXPECT_EQ(request_head(request, 12),
            "POST /v1.41/containers/create?name=x HTTP/1.1\r\nHost: docker\r\nX-Registry-Auth: abc=\r\n"
            "Content-Length: 12\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(request_head(HttpRequest{"GET", "/_ping", {}}, -1),
            "GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
}

TEST(HttpWire, FindsTheEndOfTheHead) {
  EXPECT_FALSE(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n"));
  EXPECT_EQ(find_head_end("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody"), 25u);
}

TEST(HttpWire, ParsesResponseHead) {
  auto head = parse_response_head(
      "HTTP/1.1 404 Not Found\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
      "Content-Length: 120\r\n\r\n");
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->status, 404);
  EXPECT_EQ(head->reason, "Not Found");
  EXPECT_EQ(head->content_length, 120);
  EXPECT_FALSE(head->chunked);
  ASSERT_NE(head->header("api-version"), nullptr);
  EXPECT_EQ(*head->header("API-VERSION"), "1.41");
  EXPECT_EQ(head->header("missing"), nullptr);

  auto chunked = parse_response_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
  ASSERT_TRUE(chunked);
  EXPECT_TRUE(chunked->chunked);
  EXPECT_EQ(chunked->content_length, -1);

  auto no_content = parse_response_head("HTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_TRUE(no_content);
  EXPECT_TRUE(no_content->bodiless());
  auto not_modified = parse_response_head("HTTP/1.1 304 Not Modified\r\n\r\n");
  ASSERT_TRUE(not_modified);
  EXPECT_TRUE(not_modified->bodiless());
}

TEST(HttpWire, RejectsMalformedHeads) {
  EXPECT_FALSE(parse_response_head("SSH-2.0-OpenSSH\r\n\r\n"));
  EXPECT_FALSE(parse_response_head("HTTP/1.1 2x0 OK\r\n\r\n"));
  EXPECT_FALSE(parse_response_head("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"));
  EXPECT_FALSE(parse_response_head("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n"));
  auto error = parse_response_head("garbage\r\n\r\n");
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().kind, common::ErrorKind::Unavailable);
}

// What podman sends for a streamed body: several chunks, an extension, a trailer.
constexpr std::string_view kChunked =
    "5\r\nhello\r\n"
    "7;name=value\r\n, world\r\n"
    "10\r\n0123456789abcdef\r\n"
    "0\r\nTrailer: x\r\n\r\n";
constexpr std::string_view kDecoded = "hello, world0123456789abcdef";

TEST(ChunkedDecoder, DecodesAWholeBody) {
  ChunkedDecoder decoder;
  std::string out;
  ASSERT_TRUE(decoder.feed(kChunked, out));
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(out, kDecoded);
}

TEST(ChunkedDecoder, DecodesOneByteAtATime) {
  ChunkedDecoder decoder;
  std::string out;
  for (char c : kChunked) {
    EXPECT_FALSE(decoder.done());
    ASSERT_TRUE(decoder.feed(std::string_view(&c, 1), out));
  }
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(out, kDecoded);
}

TEST(ChunkedDecoder, DeliversPayloadBeforeTheChunkEnds) {
  ChunkedDecoder decoder;
  std::string out;
  ASSERT_TRUE(decoder.feed("a\r\n01234", out));
  EXPECT_EQ(out, "01234");  // a log line is passed on as it arrives, not when its chunk completes
  ASSERT_TRUE(decoder.feed("56789\r\n", out));
  EXPECT_EQ(out, "0123456789");
  EXPECT_FALSE(decoder.done());
}

TEST(ChunkedDecoder, IgnoresBytesAfterTheLastChunk) {
  ChunkedDecoder decoder;
  std::string out;
  ASSERT_TRUE(decoder.feed("3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK", out));
  EXPECT_TRUE(decoder.done());
  EXPECT_EQ(out, "abc");
}

TEST(ChunkedDecoder, RejectsMalformedFraming) {
  std::string out;
  ChunkedDecoder bad_size;
  EXPECT_FALSE(bad_size.feed("zz\r\n", out));
  ChunkedDecoder missing_crlf;
  EXPECT_FALSE(missing_crlf.feed("3\r\nabcX\r\n", out));
  ChunkedDecoder too_big;
  EXPECT_FALSE(too_big.feed("11111111111111111\r\n", out));
  ChunkedDecoder empty_size;
  EXPECT_FALSE(empty_size.feed("\r\n", out));
}

}  // namespace
}  // namespace runtime
