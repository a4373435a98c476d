#include "runtime/streams.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace runtime {
namespace {

std::string frame(int stream, std::string_view payload) {
  std::string out(8, '\0');
  out[0] = static_cast<char>(stream);
  uint32_t n = static_cast<uint32_t>(payload.size());
  out[4] = static_cast<char>(n >> 24);
  out[5] = static_cast<char>(n >> 16);
  out[6] = static_cast<char>(n >> 8);
  out[7] = static_cast<char>(n);
  return out + std::string(payload);
}

struct Collected {
  std::string out;
  std::string err;
  std::string order;  // one letter per callback: o / e
  OutputFn sink() {
    return [this](LogStream stream, std::string_view bytes) {
      (stream == LogStream::Stderr ? err : out).append(bytes);
      order += stream == LogStream::Stderr ? 'e' : 'o';
    };
  }
};

TEST(FrameDemuxer, SplitsStdoutAndStderrInOrder) {
  Collected got;
  FrameDemuxer demuxer(got.sink());
  std::string body = frame(1, "out1\n") + frame(2, "err1\n") + frame(1, "out2\n") + frame(2, "err2\n");
  ASSERT_TRUE(demuxer.feed(body));
  EXPECT_EQ(got.out, "out1\nout2\n");
  EXPECT_EQ(got.err, "err1\nerr2\n");
  EXPECT_EQ(got.order, "oeoe");
  EXPECT_TRUE(demuxer.at_boundary());
}

TEST(FrameDemuxer, HandlesHeadersAndPayloadsCutAnywhere) {
  std::string body = frame(1, "hello ") + frame(2, "warning\n") + frame(1, "world\n") + frame(1, "");
  for (size_t piece = 1; piece <= body.size(); ++piece) {
    Collected got;
    FrameDemuxer demuxer(got.sink());
    for (size_t i = 0; i < body.size(); i += piece) ASSERT_TRUE(demuxer.feed(body.substr(i, piece)));
    EXPECT_EQ(got.out, "hello world\n") << "pieces of " << piece;
    EXPECT_EQ(got.err, "warning\n") << "pieces of " << piece;
    EXPECT_TRUE(demuxer.at_boundary());
  }
}

TEST(FrameDemuxer, PassesAPartialFrameOnAtOnce) {
  Collected got;
  FrameDemuxer demuxer(got.sink());
  std::string body = frame(1, "a long line");
  ASSERT_TRUE(demuxer.feed(body.substr(0, 14)));
  EXPECT_EQ(got.out, "a long");  // 14 bytes: the 8-byte header and 6 of the payload
  EXPECT_FALSE(demuxer.at_boundary());
}

TEST(FrameDemuxer, LargeFrameLength) {
  Collected got;
  FrameDemuxer demuxer(got.sink());
  std::string payload(70000, 'x');
  ASSERT_TRUE(demuxer.feed(frame(2, payload)));
  EXPECT_EQ(got.err.size(), 70000u);
}

TEST(FrameDemuxer, RawModeForTtyContainers) {
  Collected got;
  FrameDemuxer demuxer(got.sink(), /*raw=*/true);
  ASSERT_TRUE(demuxer.feed("\x01plain text"));
  EXPECT_EQ(got.out, "\x01plain text");
}

TEST(FrameDemuxer, RejectsUnknownStream) {
  Collected got;
  FrameDemuxer demuxer(got.sink());
  EXPECT_FALSE(demuxer.feed(frame(7, "x")));
}

std::vector<std::string> split_all(std::string_view text, size_t piece) {
  std::vector<std::string> objects;
  JsonObjectSplitter splitter([&](std::string_view object) { objects.emplace_back(object); });
  for (size_t i = 0; i < text.size(); i += piece) EXPECT_TRUE(splitter.feed(text.substr(i, piece)));
  EXPECT_TRUE(splitter.idle());
  return objects;
}

TEST(JsonObjectSplitter, SplitsWhateverSeparatesObjects) {
  std::string text = "{\"stream\":\"STEP 1/2: FROM x\\n\"}\n{\"a\":{\"b\":[1,{\"c\":2}]}}\r\n{\"x\":1}{\"y\":2}";
  for (size_t piece : {1, 2, 3, 7, 1000}) {
    auto objects = split_all(text, piece);
    ASSERT_EQ(objects.size(), 4u) << piece;
    EXPECT_EQ(objects[0], "{\"stream\":\"STEP 1/2: FROM x\\n\"}");
    EXPECT_EQ(objects[1], "{\"a\":{\"b\":[1,{\"c\":2}]}}");
    EXPECT_EQ(objects[3], "{\"y\":2}");
  }
}

TEST(JsonObjectSplitter, BracesAndQuotesInsideStrings) {
  auto objects = split_all(R"({"stream":"RUN echo \"}{\" \\"}{"x":"]"})", 1);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0], R"({"stream":"RUN echo \"}{\" \\"})");
  EXPECT_EQ(objects[1], R"({"x":"]"})");
}

TEST(JsonObjectSplitter, RejectsTextBetweenObjects) {
  JsonObjectSplitter splitter([](std::string_view) {});
  EXPECT_FALSE(splitter.feed("{\"a\":1} oops"));
}

TEST(JsonObjectSplitter, ReportsAnOpenObject) {
  JsonObjectSplitter splitter([](std::string_view) {});
  ASSERT_TRUE(splitter.feed("{\"a\":"));
  EXPECT_FALSE(splitter.idle());
}

TEST(ProgressMessage, ParsesStatusStreamAndAux) {
  auto status = parse_progress(R"({"status":"Pushing","id":"abc","progress":"[=> ] 1MB/2MB","progressDetail":{}})");
  EXPECT_EQ(status.status, "Pushing");
  EXPECT_EQ(status.id, "abc");
  EXPECT_EQ(status.progress, "[=> ] 1MB/2MB");
  EXPECT_TRUE(status.error.empty());
  auto aux = parse_progress(R"({"aux":{"ID":"sha256:c92f"}})");
  EXPECT_EQ(aux.aux_id, "sha256:c92f");
  auto stream = parse_progress(R"({"stream":"COMMIT x\n"})");
  EXPECT_EQ(stream.stream, "COMMIT x\n");
}

TEST(ProgressMessage, FindsErrorsInsideTheStream) {
  // podman 4.3's push to a registry that is down (HTTP 200, error in the body).
  auto push = parse_progress(
      R"({"errorDetail":{"message":"trying to reuse blob sha256:83 at destination: pinging container registry 127.0.0.1:5099: connection refused"},"error":"short"})");
  EXPECT_EQ(push.error,
            "trying to reuse blob sha256:83 at destination: pinging container registry 127.0.0.1:5099: connection "
            "refused");
  auto plain = parse_progress(R"({"error":"denied"})");
  EXPECT_EQ(plain.error, "denied");
  auto empty = parse_progress(R"({"errorDetail":{}})");
  EXPECT_FALSE(empty.error.empty());
  auto junk = parse_progress("{not json}");
  EXPECT_FALSE(junk.error.empty());
}

}  // namespace
}  // namespace runtime
