// S3Engine multipart uploads: parts, completion rules, checksums, part copies, abort, listings.
#include "common/checksum.h"
#include "common/crypto.h"
#include "services/s3/engine/checksums.h"
#include "services/s3/tests/engine_fixture.h"

namespace s3 {
namespace {

constexpr uint64_t kPart = S3Engine::kMinPartSize;

class MultipartTest : public S3EngineTest {
 protected:
  Upload create(const std::string& key, const std::string& algorithm = "", const std::string& type = "") {
    Upload upload;
    upload.bucket = "bucket";
    upload.key = key;
    upload.owner_account = kAccount;
    upload.metadata = {{"m", "1"}};
    upload.headers.content_type = "application/zip";
    upload.tags = {{"t", "v"}};
    upload.checksum_algorithm = algorithm;
    upload.checksum_type = type;
    auto created = engine_->create_upload(upload);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? *created : Upload{};
  }

  Result<Part> part(const Upload& upload, int number, const std::string& body,
                    std::vector<std::string> checksums = {}) {
    auto data = store(body, -2, std::move(checksums));
    if (!data.ok()) return common::fail(data.error());
    return engine_->put_part("bucket", upload.key, upload.upload_id, number, std::move(*data));
  }

  static std::string md5_raw(const std::string& body) {
    common::Checksum md5(common::ChecksumAlgorithm::MD5);
    md5.update(body);
    return md5.digest();
  }
};

TEST_F(MultipartTest, CompleteJoinsThePartsWithoutCopying) {
  Upload upload = create("big.zip");
  EXPECT_EQ(upload.upload_id.size(), 64u);
  EXPECT_EQ(upload.initiated, clock_.now());
  EXPECT_EQ(upload.storage_class, "STANDARD");
  std::string one = pattern(kPart, 1);
  std::string two = pattern(1000, 2);  // small last part (inline)
  auto p1 = part(upload, 1, one);
  auto p2 = part(upload, 2, two);
  ASSERT_TRUE(p1.ok());
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p1->etag, "\"" + common::md5_hex(one) + "\"");
  EXPECT_EQ(p1->size, kPart);
  auto got = engine_->get_upload("bucket", "big.zip", upload.upload_id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->metadata, upload.metadata);
  EXPECT_EQ(got->bucket, "bucket");
  EXPECT_EQ(engine_->get_upload("bucket", "other-key", upload.upload_id).error().reason, Reason::NoSuchUpload);

  auto done = engine_->complete_upload("bucket", "big.zip", upload.upload_id,
                                       {{1, p1->etag, {}}, {2, common::md5_hex(two), {}}});  // quotes optional
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->etag, "\"" + common::md5_hex(md5_raw(one) + md5_raw(two)) + "-2\"");
  EXPECT_EQ(done->version_id, "null");
  EXPECT_EQ(done->size, one.size() + two.size());
  auto object = engine_->get_object(ObjectRef{"bucket", "big.zip", ""});
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(object->parts_count, 2);
  EXPECT_EQ(object->part_sizes, (std::vector<uint64_t>{kPart, 1000}));
  EXPECT_EQ(object->headers.content_type, "application/zip");
  EXPECT_EQ(object->metadata, upload.metadata);
  ASSERT_EQ(object->tags.size(), 1u);
  ASSERT_EQ(object->segments.size(), 2u);  // part 1's file, and part 2 written out
  EXPECT_EQ(content(*object), one + two);
  EXPECT_EQ(data_files(), 2u);
  EXPECT_EQ(engine_->get_upload("bucket", "big.zip", upload.upload_id).error().reason, Reason::NoSuchUpload);
  EXPECT_TRUE(engine_->list_uploads("bucket", UploadListQuery{})->uploads.empty());
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "big.zip", ""}).ok());
  EXPECT_EQ(data_files(), 0u);
}

// read_data: what services (CodeBuild, CodePipeline) read objects with.
TEST_F(MultipartTest, ReadDataStreamsEverySegmentInOrderAndFailsOnceTheVersionIsGone) {
  Upload upload = create("art.zip");
  std::string one = pattern(kPart, 3), two = pattern(kPart, 4);
  auto p1 = part(upload, 1, one);
  auto p2 = part(upload, 2, two);
  ASSERT_TRUE(p1.ok() && p2.ok());
  ASSERT_TRUE(
      engine_->complete_upload("bucket", "art.zip", upload.upload_id, {{1, p1->etag, {}}, {2, p2->etag, {}}}).ok());
  auto object = engine_->get_object(ObjectRef{"bucket", "art.zip", ""});
  ASSERT_TRUE(object.ok());
  ASSERT_EQ(object->segments.size(), 2u);
  std::string streamed;
  size_t pieces = 0;
  auto sink = [&](std::string_view bytes) {
    streamed.append(bytes);
    ++pieces;
  };
  ASSERT_TRUE(engine_->read_data(*object, sink).ok());
  EXPECT_EQ(streamed, one + two);
  EXPECT_GT(pieces, 2u);  // in pieces, not the whole object in memory
  ASSERT_TRUE(put("small", "tiny").ok());
  streamed.clear();
  ASSERT_TRUE(engine_->read_data(*engine_->get_object(ObjectRef{"bucket", "small", ""}), sink).ok());
  EXPECT_EQ(streamed, "tiny");
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "art.zip", ""}).ok());
  auto gone = engine_->read_data(*object, sink);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().reason, Reason::NoSuchKey);
}

TEST_F(MultipartTest, SmallPartsMakeAnInlineObject) {
  Upload upload = create("small");
  auto p1 = part(upload, 1, "hello ");
  ASSERT_TRUE(p1.ok());
  auto done = engine_->complete_upload("bucket", "small", upload.upload_id, {{1, p1->etag, {}}});
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->etag, "\"" + common::md5_hex(md5_raw("hello ")) + "-1\"");
  auto object = engine_->get_object(ObjectRef{"bucket", "small", ""});
  EXPECT_EQ(object->inline_data, "hello ");
  EXPECT_EQ(data_files(), 0u);
}

TEST_F(MultipartTest, CompleteValidatesTheListedParts) {
  Upload upload = create("k");
  auto p1 = part(upload, 1, pattern(1000, 1));
  auto p2 = part(upload, 2, pattern(kPart, 2));
  auto p3 = part(upload, 3, pattern(1000, 3));
  ASSERT_TRUE(p3.ok());
  auto complete = [&](std::vector<CompletedPart> parts) {
    return engine_->complete_upload("bucket", "k", upload.upload_id, parts);
  };
  EXPECT_EQ(complete({}).error().reason, Reason::MalformedXML);
  EXPECT_EQ(complete({{2, p2->etag, {}}, {1, p1->etag, {}}}).error().reason, Reason::InvalidPartOrder);
  EXPECT_EQ(complete({{1, p1->etag, {}}, {1, p1->etag, {}}}).error().reason, Reason::InvalidPartOrder);
  EXPECT_EQ(complete({{1, p2->etag, {}}}).error().reason, Reason::InvalidPart);
  EXPECT_EQ(complete({{4, p2->etag, {}}}).error().reason, Reason::InvalidPart);
  EXPECT_EQ(complete({{1, p1->etag, {}}, {2, p2->etag, {}}}).error().reason, Reason::EntityTooSmall);
  EXPECT_EQ(engine_->complete_upload("bucket", "k", "no-such-upload", {{1, p1->etag, {}}}).error().reason,
            Reason::NoSuchUpload);
  EXPECT_EQ(engine_->complete_upload("bucket", "other", upload.upload_id, {{1, p1->etag, {}}}).error().reason,
            Reason::NoSuchUpload);
  // Nothing changed: the upload still completes, dropping the unlisted part 1.
  EXPECT_EQ(data_files(), 1u);
  auto done = complete({{2, p2->etag, {}}, {3, p3->etag, {}}});
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(get("k"), pattern(kPart, 2) + pattern(1000, 3));
  EXPECT_EQ(data_files(), 2u);
  EXPECT_EQ(complete({{2, p2->etag, {}}}).error().reason, Reason::NoSuchUpload);
}

TEST_F(MultipartTest, PartsAreReplacedAndUnlistedOnesDropped) {
  Upload upload = create("k");
  ASSERT_TRUE(part(upload, 1, pattern(kPart, 1)).ok());
  auto p1 = part(upload, 1, pattern(kPart, 11));  // replaces: the first file goes
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(data_files(), 1u);
  auto p2 = part(upload, 2, pattern(kBig, 2));
  ASSERT_TRUE(part(upload, 3, pattern(kBig, 3)).ok());
  EXPECT_EQ(data_files(), 3u);
  ASSERT_TRUE(engine_->complete_upload("bucket", "k", upload.upload_id, {{1, p1->etag, {}}, {2, p2->etag, {}}}).ok());
  EXPECT_EQ(data_files(), 2u);  // part 3's file is gone
  EXPECT_EQ(get("k"), pattern(kPart, 11) + pattern(kBig, 2));

  EXPECT_EQ(part(upload, 1, "x").error().reason, Reason::NoSuchUpload);  // completed
  Upload other = create("k2");
  EXPECT_EQ(part(other, 0, "x").error().reason, Reason::InvalidArgument);
  EXPECT_EQ(part(other, 10001, "x").error().reason, Reason::InvalidArgument);
  EXPECT_TRUE(part(other, 10000, "x").ok());
}

TEST_F(MultipartTest, AbortRemovesPartsAndTheirFiles) {
  Upload upload = create("k");
  ASSERT_TRUE(part(upload, 1, pattern(kBig, 1)).ok());
  ASSERT_TRUE(part(upload, 2, pattern(kBig, 2)).ok());
  ASSERT_TRUE(part(upload, 3, "inline").ok());
  EXPECT_EQ(data_files(), 2u);
  ASSERT_TRUE(engine_->abort_upload("bucket", "k", upload.upload_id).ok());
  EXPECT_EQ(data_files(), 0u);
  EXPECT_EQ(engine_->abort_upload("bucket", "k", upload.upload_id).error().reason, Reason::NoSuchUpload);
  auto data = store(pattern(kBig, 4));
  EXPECT_EQ(engine_->put_part("bucket", "k", upload.upload_id, 1, *data).error().reason, Reason::NoSuchUpload);
  EXPECT_EQ(data_files(), 0u);  // put_part discards what it could not keep
}

TEST_F(MultipartTest, ListPartsPages) {
  Upload upload = create("k");
  for (int n : {5, 1, 3, 2, 4}) ASSERT_TRUE(part(upload, n, std::to_string(n)).ok());
  auto first = engine_->list_parts("bucket", "k", upload.upload_id, 0, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->parts.size(), 2u);
  EXPECT_EQ(first->parts[0].part_number, 1);
  EXPECT_EQ(first->parts[0].etag, "\"" + common::md5_hex("1") + "\"");
  EXPECT_TRUE(first->truncated);
  EXPECT_EQ(first->next_part_number_marker, 2);
  auto rest = engine_->list_parts("bucket", "k", upload.upload_id, 2, 3);
  ASSERT_EQ(rest->parts.size(), 3u);
  EXPECT_FALSE(rest->truncated);
  EXPECT_EQ(rest->next_part_number_marker, 5);
  EXPECT_EQ(engine_->list_parts("bucket", "k", "nope", 0, 10).error().reason, Reason::NoSuchUpload);
}

TEST_F(MultipartTest, ListUploadsByKeyThenInitiation) {
  std::vector<std::string> order;
  for (const char* key : {"b", "a", "b", "dir/x", "dir/y", "c"}) {
    order.push_back(std::string(key) + " " + create(key).upload_id);
    clock_.advance(std::chrono::seconds(1));
  }
  auto all = engine_->list_uploads("bucket", UploadListQuery{});
  ASSERT_TRUE(all.ok());
  std::vector<std::string> keys;
  for (const Upload& u : all->uploads) keys.push_back(u.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "b", "c", "dir/x", "dir/y"}));
  EXPECT_EQ(all->uploads[1].upload_id, order[0].substr(2));  // the earlier "b" first
  EXPECT_EQ(all->uploads[2].upload_id, order[2].substr(2));

  std::vector<std::string> paged;
  UploadListQuery query;
  query.max_uploads = 1;
  query.delimiter = "/";
  while (true) {
    auto page = engine_->list_uploads("bucket", query);
    ASSERT_TRUE(page.ok());
    for (const Upload& u : page->uploads) paged.push_back(u.key + " " + u.upload_id);
    for (const std::string& p : page->common_prefixes) paged.push_back(p);
    if (!page->truncated) break;
    query.key_marker = page->next_key_marker;
    query.upload_id_marker = page->next_upload_id_marker;
  }
  ASSERT_EQ(paged.size(), 5u);
  EXPECT_EQ(paged[1], order[0]);
  EXPECT_EQ(paged[2], order[2]);
  EXPECT_EQ(paged[4], "dir/");
  auto prefixed = engine_->list_uploads("bucket", UploadListQuery{"dir/", "", "", "", 10});
  EXPECT_EQ(prefixed->uploads.size(), 2u);
}

TEST_F(MultipartTest, CompositeChecksumOfThePartChecksums) {
  Upload upload = create("k", "crc32");
  EXPECT_EQ(upload.checksum_algorithm, "CRC32");
  EXPECT_EQ(upload.checksum_type, "COMPOSITE");
  std::string one = pattern(kPart, 1);
  std::string two = pattern(100, 2);
  auto p1 = part(upload, 1, one, {"CRC32"});
  auto p2 = part(upload, 2, two, {"CRC32"});
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(part(upload, 3, "x").error().reason, Reason::InvalidRequest);  // the upload's checksum is missing
  // A checksum sent with the part list must match.
  EXPECT_EQ(engine_
                ->complete_upload("bucket", "k", upload.upload_id,
                                  {{1, p1->etag, {{"CRC32", "AAAAAA=="}}}, {2, p2->etag, {}}})
                .error()
                .reason,
            Reason::InvalidPart);
  auto done = engine_->complete_upload("bucket", "k", upload.upload_id,
                                       {{1, p1->etag, {{"CRC32", p1->checksums.at("CRC32")}}}, {2, p2->etag, {}}});
  ASSERT_TRUE(done.ok()) << done.error().message;
  common::Checksum crc1(common::ChecksumAlgorithm::CRC32);
  crc1.update(one);
  common::Checksum crc2(common::ChecksumAlgorithm::CRC32);
  crc2.update(two);
  std::string expected =
      common::checksum_base64(common::ChecksumAlgorithm::CRC32, crc1.digest() + crc2.digest()) + "-2";
  auto object = engine_->get_object(ObjectRef{"bucket", "k", ""});
  EXPECT_EQ(object->checksums.at("CRC32"), expected);
  EXPECT_EQ(object->checksum_type, "COMPOSITE");
}

TEST_F(MultipartTest, FullObjectChecksumCombinesPartCrcs) {
  std::string one = pattern(kPart, 1);
  std::string two = pattern(kBig, 2);
  for (const char* algorithm : {"CRC32", "CRC32C", "CRC64NVME"}) {
    Upload upload = create(std::string("k-") + algorithm, algorithm, "FULL_OBJECT");
    auto p1 = part(upload, 1, one, {algorithm});
    auto p2 = part(upload, 2, two, {algorithm});
    ASSERT_TRUE(p2.ok());
    ASSERT_TRUE(
        engine_->complete_upload("bucket", upload.key, upload.upload_id, {{1, p1->etag, {}}, {2, p2->etag, {}}}).ok());
    auto object = engine_->get_object(ObjectRef{"bucket", upload.key, ""});
    auto parsed = common::parse_checksum_algorithm(algorithm);
    EXPECT_EQ(object->checksums.at(algorithm), common::checksum_base64(*parsed, one + two)) << algorithm;
    EXPECT_EQ(object->checksum_type, "FULL_OBJECT");
  }
  EXPECT_EQ(create("crc64", "CRC64NVME").checksum_type, "FULL_OBJECT");  // its only type

  Upload refused;
  refused.bucket = "bucket";
  refused.key = "k";
  refused.checksum_algorithm = "SHA256";
  refused.checksum_type = "FULL_OBJECT";
  EXPECT_EQ(engine_->create_upload(refused).error().reason, Reason::InvalidRequest);
  refused.checksum_algorithm = "CRC64NVME";
  refused.checksum_type = "COMPOSITE";
  EXPECT_EQ(engine_->create_upload(refused).error().reason, Reason::InvalidRequest);
  refused.checksum_algorithm = "";
  EXPECT_EQ(engine_->create_upload(refused).error().reason, Reason::InvalidRequest);
  refused.checksum_algorithm = "MD5";
  refused.checksum_type = "";
  EXPECT_EQ(engine_->create_upload(refused).error().reason, Reason::InvalidRequest);
}

TEST(CrcCombine, MatchesTheChecksumOfTheConcatenation) {
  for (auto algorithm :
       {common::ChecksumAlgorithm::CRC32, common::ChecksumAlgorithm::CRC32C, common::ChecksumAlgorithm::CRC64NVME}) {
    std::string data = pattern(10000, 7);
    auto value = [&](std::string_view bytes) {
      common::Checksum c(algorithm);
      c.update(bytes);
      uint64_t v = 0;
      for (unsigned char b : c.digest()) v = (v << 8) | b;
      return v;
    };
    for (size_t split : {size_t{0}, size_t{1}, size_t{7}, size_t{4096}, size_t{9999}, size_t{10000}}) {
      std::string_view a(data.data(), split);
      std::string_view b(data.data() + split, data.size() - split);
      EXPECT_EQ(crc_combine(algorithm, value(a), value(b), b.size()), value(data))
          << common::checksum_name(algorithm) << " split " << split;
    }
  }
}

TEST_F(MultipartTest, SlicesShareSegmentsAndHashTheRange) {
  // A source made of two parts: two segments in two files.
  Upload upload = create("src");
  std::string one = pattern(kPart, 1);
  std::string two = pattern(kBig * 2, 2);
  auto p1 = part(upload, 1, one);
  auto p2 = part(upload, 2, two);
  ASSERT_TRUE(engine_->complete_upload("bucket", "src", upload.upload_id, {{1, p1->etag, {}}, {2, p2->etag, {}}}).ok());
  std::string whole = one + two;
  EXPECT_EQ(data_files(), 2u);

  uint64_t first = kPart - 100;
  uint64_t length = kBig + 500;  // across the boundary
  auto slice = engine_->slice_object(ObjectRef{"bucket", "src", ""}, first, length, {"CRC32C"});
  ASSERT_TRUE(slice.ok()) << slice.error().message;
  ASSERT_EQ(slice->segments.size(), 2u);
  EXPECT_EQ(slice->segments[0].offset, first);
  EXPECT_EQ(slice->segments[0].length, 100u);
  EXPECT_EQ(slice->segments[1].offset, 0u);
  EXPECT_EQ(slice->size, length);
  EXPECT_EQ(slice->md5_hex, common::md5_hex(whole.substr(first, length)));
  EXPECT_EQ(slice->checksums.at("CRC32C"),
            common::checksum_base64(common::ChecksumAlgorithm::CRC32C, whole.substr(first, length)));
  EXPECT_EQ(content(*slice), whole.substr(first, length));

  auto small = engine_->slice_object(ObjectRef{"bucket", "src", ""}, 10, 20);
  ASSERT_TRUE(small.ok());
  EXPECT_TRUE(small->segments.empty());
  EXPECT_EQ(small->inline_data, whole.substr(10, 20));
  EXPECT_EQ(engine_->slice_object(ObjectRef{"bucket", "src", ""}, whole.size() - 1, 2).error().reason,
            Reason::InvalidArgument);
  ASSERT_TRUE(put("inline", "0123456789").ok());
  EXPECT_EQ(engine_->slice_object(ObjectRef{"bucket", "inline", ""}, 2, 3)->inline_data, "234");

  // UploadPartCopy: the slice becomes a part of another upload, then an object that keeps the
  // bytes after the source is gone.
  Upload copy = create("copy");
  auto c1 = engine_->put_part("bucket", "copy", copy.upload_id, 1,
                              *engine_->slice_object(ObjectRef{"bucket", "src", ""}, 0, kPart));
  auto c2 = engine_->put_part("bucket", "copy", copy.upload_id, 2, *slice);
  ASSERT_TRUE(c1.ok());
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(c2->etag, "\"" + slice->md5_hex + "\"");
  ASSERT_TRUE(engine_->complete_upload("bucket", "copy", copy.upload_id, {{1, c1->etag, {}}, {2, c2->etag, {}}}).ok());
  EXPECT_EQ(data_files(), 2u);
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "src", ""}).ok());
  EXPECT_EQ(data_files(), 2u);  // both files still referenced by the copy
  EXPECT_EQ(get("copy"), one + whole.substr(first, length));
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "copy", ""}).ok());
  EXPECT_EQ(data_files(), 0u);
}

TEST_F(MultipartTest, SliceOfADeletedSourceCannotBecomeAPart) {
  ASSERT_TRUE(put("src", pattern(kBig * 2)).ok());
  auto slice = engine_->slice_object(ObjectRef{"bucket", "src", ""}, 0, kBig + 1);
  ASSERT_TRUE(slice.ok());
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "src", ""}).ok());  // its file goes
  Upload upload = create("k");
  auto refused = engine_->put_part("bucket", "k", upload.upload_id, 1, *slice);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().reason, Reason::Storage);
  EXPECT_EQ(data_files(), 0u);
}

}  // namespace
}  // namespace s3
