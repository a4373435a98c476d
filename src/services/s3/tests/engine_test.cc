// S3Engine: buckets, objects, versioning, copies, data files, start-up and reset.
#include <thread>

#include "common/checksum.h"
#include "common/crypto.h"
#include "services/s3/model/names.h"
#include "services/s3/tests/engine_fixture.h"

namespace s3 {
namespace {

// --- buckets

TEST(BucketNames, FollowAwsRules) {
  for (const char* good : {"abc", "my-bucket", "my.bucket.1", "1bucket", "a-b.c-d"}) {
    EXPECT_TRUE(valid_bucket_name(good)) << good;
  }
  EXPECT_TRUE(valid_bucket_name(std::string(63, 'a')));
  for (const char* bad : {"ab", "My-Bucket", "bucket_", "-bucket", "bucket-", ".bucket", "bucket.", "a..b",
                          "192.168.5.4", "xn--bucket", "sthree-bucket", "amzn-s3-demo-bucket", "bucket-s3alias",
                          "bucket--ol-s3", "bucket.mrap", "bucket--x-s3", "bucket--table-s3", "a b", "buck\xc3\xa9t"}) {
    EXPECT_FALSE(valid_bucket_name(bad)) << bad;
  }
  EXPECT_FALSE(valid_bucket_name(std::string(64, 'a')));
  EXPECT_TRUE(valid_bucket_name("192.168.5.4a"));  // not an IP address
}

TEST_F(S3EngineTest, InvalidBucketNameIsRefused) {
  auto r = engine_->create_bucket(kAccount, "us-east-1", "Bad_Name");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, Reason::InvalidBucketName);
}

TEST_F(S3EngineTest, BucketNamesAreGlobalAcrossAccounts) {
  auto first = engine_->get_bucket("bucket");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->owner_account, kAccount);
  EXPECT_EQ(first->region, "us-east-1");
  EXPECT_EQ(first->versioning, "");

  auto stolen = engine_->create_bucket(kOther, "us-east-1", "bucket");
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().reason, Reason::BucketAlreadyExists);
  EXPECT_EQ(stolen.error().kind, common::ErrorKind::AlreadyExists);

  auto again = engine_->create_bucket(kAccount, "us-east-1", "bucket");  // us-east-1: returns the bucket
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);

  ASSERT_TRUE(engine_->create_bucket(kAccount, "eu-west-1", "euro-bucket").ok());
  auto owned = engine_->create_bucket(kAccount, "eu-west-1", "euro-bucket");
  ASSERT_FALSE(owned.ok());
  EXPECT_EQ(owned.error().reason, Reason::BucketAlreadyOwnedByYou);
  EXPECT_EQ(engine_->create_bucket(kAccount, "us-east-1", "euro-bucket").error().reason,
            Reason::BucketAlreadyOwnedByYou);
}

TEST_F(S3EngineTest, ListBucketsIsPerOwnerInNameOrder) {
  ASSERT_TRUE(engine_->create_bucket(kAccount, "us-east-1", "zeta").ok());
  ASSERT_TRUE(engine_->create_bucket(kAccount, "us-east-1", "alpha").ok());
  ASSERT_TRUE(engine_->create_bucket(kOther, "us-east-1", "other-account").ok());
  auto mine = engine_->list_buckets(kAccount);
  ASSERT_TRUE(mine.ok());
  std::vector<std::string> names;
  for (const Bucket& b : *mine) names.push_back(b.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "bucket", "zeta"}));
  EXPECT_EQ(engine_->list_buckets(kOther)->size(), 1u);
}

TEST_F(S3EngineTest, BucketChangesReachTheCache) {
  EXPECT_EQ(engine_->get_bucket("bucket")->versioning, "");  // now cached
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  EXPECT_EQ(engine_->get_bucket("bucket")->versioning, "Enabled");
  EXPECT_EQ(engine_->set_versioning("bucket", "On").error().reason, Reason::InvalidArgument);
  EXPECT_EQ(engine_->set_versioning("nope", "Enabled").error().reason, Reason::NoSuchBucket);

  EXPECT_FALSE(engine_->get_bucket("bucket")->policy.has_value());
  ASSERT_TRUE(engine_->set_policy("bucket", std::string(R"({"Version":"2012-10-17"})")).ok());
  EXPECT_EQ(engine_->get_bucket("bucket")->policy, std::optional<std::string>(R"({"Version":"2012-10-17"})"));
  ASSERT_TRUE(engine_->set_policy("bucket", std::nullopt).ok());
  EXPECT_FALSE(engine_->get_bucket("bucket")->policy.has_value());

  ASSERT_TRUE(engine_->delete_bucket("bucket").ok());
  EXPECT_EQ(engine_->get_bucket("bucket").error().reason, Reason::NoSuchBucket);
  EXPECT_EQ(engine_->delete_bucket("bucket").error().reason, Reason::NoSuchBucket);
  // The name is free again, for anyone.
  EXPECT_TRUE(engine_->create_bucket(kOther, "us-east-1", "bucket").ok());
  EXPECT_EQ(engine_->get_bucket("bucket")->owner_account, kOther);
}

TEST_F(S3EngineTest, BucketConfigsAreStoredAsGiven) {
  EXPECT_FALSE(engine_->get_config("bucket", "tagging")->has_value());
  ASSERT_TRUE(engine_->put_config("bucket", "tagging", std::string("[1]")).ok());
  ASSERT_TRUE(engine_->put_config("bucket", "tagging", std::string("[2]")).ok());
  ASSERT_TRUE(engine_->put_config("bucket", "notification", std::string("{}")).ok());
  EXPECT_EQ(**engine_->get_config("bucket", "tagging"), "[2]");
  ASSERT_TRUE(engine_->put_config("bucket", "tagging", std::nullopt).ok());
  EXPECT_FALSE(engine_->get_config("bucket", "tagging")->has_value());
  EXPECT_EQ(**engine_->get_config("bucket", "notification"), "{}");
  EXPECT_EQ(engine_->get_config("nope", "tagging").error().reason, Reason::NoSuchBucket);
  EXPECT_EQ(engine_->put_config("nope", "tagging", std::string("x")).error().reason, Reason::NoSuchBucket);
  // Deleting the bucket drops its documents: a new bucket of that name starts empty.
  ASSERT_TRUE(engine_->delete_bucket("bucket").ok());
  ASSERT_TRUE(engine_->create_bucket(kAccount, "us-east-1", "bucket").ok());
  EXPECT_FALSE(engine_->get_config("bucket", "notification")->has_value());
}

TEST_F(S3EngineTest, DeleteBucketRefusedWhileVersionsMarkersOrUploadsRemain) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  auto v1 = put("k", "v");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(engine_->delete_bucket("bucket").error().reason, Reason::BucketNotEmpty);
  auto marker = engine_->delete_object(ObjectRef{"bucket", "k", ""});  // a marker on top
  ASSERT_TRUE(marker.ok());
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "k", v1->version_id}).ok());
  EXPECT_EQ(engine_->delete_bucket("bucket").error().reason, Reason::BucketNotEmpty);  // the marker remains
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "k", marker->version_id}).ok());

  Upload upload;
  upload.bucket = "bucket";
  upload.key = "mp";
  auto created = engine_->create_upload(upload);
  ASSERT_TRUE(created.ok());
  auto refused = engine_->delete_bucket("bucket");
  EXPECT_EQ(refused.error().reason, Reason::BucketNotEmpty);
  EXPECT_EQ(refused.error().kind, common::ErrorKind::Conflict);
  ASSERT_TRUE(engine_->abort_upload("bucket", "mp", created->upload_id).ok());
  EXPECT_TRUE(engine_->delete_bucket("bucket").ok());
}

// --- objects

TEST_F(S3EngineTest, SmallObjectIsInlineWithItsDescription) {
  auto data = store("hello world", -2, {"CRC32", "sha256"});
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->inline_data, "hello world");
  EXPECT_TRUE(data->segments.empty());
  EXPECT_EQ(data->checksums.at("CRC32"), "DUoRhQ==");
  EXPECT_EQ(
      data->checksums.at("SHA256"),
      common::base64_encode(std::string(reinterpret_cast<const char*>(common::sha256("hello world").data()), 32)));
  PutObjectInput input;
  input.bucket = "bucket";
  input.key = "dir/hello.txt";
  input.headers.content_type = "text/plain";
  input.headers.cache_control = "max-age=60";
  input.headers.expires = "Thu, 01 Dec 1994 16:00:00 GMT";
  input.metadata = {{"codebuild-buildarn", "arn:aws:codebuild:x"}, {"empty", ""}};
  input.storage_class = "STANDARD_IA";
  input.owner_account = kAccount;
  input.data = std::move(*data);
  auto put_result = engine_->put_object(std::move(input));
  ASSERT_TRUE(put_result.ok());
  EXPECT_EQ(put_result->version_id, "null");
  EXPECT_EQ(put_result->etag, "\"" + common::md5_hex("hello world") + "\"");
  EXPECT_EQ(put_result->size, 11u);
  EXPECT_EQ(put_result->last_modified, clock_.now());

  auto got = engine_->get_object(ObjectRef{"bucket", "dir/hello.txt", ""});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->bucket, "bucket");
  EXPECT_EQ(got->inline_data, "hello world");
  EXPECT_EQ(got->etag, put_result->etag);
  EXPECT_EQ(got->size, 11u);
  EXPECT_TRUE(got->is_latest);
  EXPECT_FALSE(got->delete_marker);
  EXPECT_EQ(got->headers.content_type, "text/plain");
  EXPECT_EQ(got->headers.cache_control, "max-age=60");
  EXPECT_EQ(got->headers.expires, "Thu, 01 Dec 1994 16:00:00 GMT");
  EXPECT_EQ(got->metadata, (std::vector<std::pair<std::string, std::string>>{
                               {"codebuild-buildarn", "arn:aws:codebuild:x"}, {"empty", ""}}));
  EXPECT_EQ(got->storage_class, "STANDARD_IA");
  EXPECT_EQ(got->checksums.at("CRC32"), "DUoRhQ==");
  EXPECT_EQ(got->checksum_type, "FULL_OBJECT");
  EXPECT_EQ(got->owner_account, kAccount);
  EXPECT_EQ(got->last_modified, clock_.now());
  EXPECT_EQ(data_files(), 0u);
  EXPECT_EQ(get("dir/hello.txt", "null"), "hello world");  // the null version by name

  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "nope", ""}).error().reason, Reason::NoSuchKey);
  EXPECT_EQ(engine_->get_object(ObjectRef{"nope", "dir/hello.txt", ""}).error().reason, Reason::NoSuchBucket);
}

TEST_F(S3EngineTest, BinaryAndEmptyBodiesRoundTrip) {
  std::string binary("\0\x01\xff\x80zero\0end", 12);
  ASSERT_TRUE(put("bin", binary).ok());
  EXPECT_EQ(get("bin"), binary);
  ASSERT_TRUE(put("empty", "").ok());
  auto empty = engine_->get_object(ObjectRef{"bucket", "empty", ""});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size, 0u);
  EXPECT_EQ(empty->etag, "\"d41d8cd98f00b204e9800998ecf8427e\"");
}

TEST_F(S3EngineTest, LargeBodiesStreamIntoOneDataFile) {
  std::string body = pattern(3 * 1024 * 1024 + 5);
  auto data = store(body, -2, {"CRC32C"});
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_TRUE(data->inline_data.empty());
  ASSERT_EQ(data->segments.size(), 1u);
  EXPECT_EQ(data->segments[0].offset, 0u);
  EXPECT_EQ(data->segments[0].length, body.size());
  EXPECT_EQ(data->size, body.size());
  EXPECT_EQ(data->md5_hex, common::md5_hex(body));
  EXPECT_EQ(data->checksums.at("CRC32C"), common::checksum_base64(common::ChecksumAlgorithm::CRC32C, body));
  EXPECT_EQ(data_files(), 1u);
  EXPECT_EQ(temp_files(), 0u);
  EXPECT_EQ(
      engine_->file_path(data->segments[0].file).rfind(data_dir() + "/" + data->segments[0].file.substr(0, 2) + "/", 0),
      0u);
  EXPECT_EQ(content(*data), body);

  // Unknown length: small stays in memory, large spills to a file.
  auto small = store("tiny", -1);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->inline_data, "tiny");
  auto exactly = store(pattern(S3Engine::kInlineMax), -1);
  EXPECT_TRUE(exactly->segments.empty());
  std::string spilled = pattern(S3Engine::kInlineMax * 3 + 7, 9);
  auto large = store(spilled, -1);
  ASSERT_TRUE(large.ok());
  ASSERT_EQ(large->segments.size(), 1u);
  EXPECT_EQ(large->md5_hex, common::md5_hex(spilled));
  EXPECT_EQ(content(*large), spilled);
  EXPECT_EQ(data_files(), 2u);
  engine_->discard(*large);
  engine_->discard(*data);
  EXPECT_EQ(data_files(), 0u);
}

TEST_F(S3EngineTest, BodiesOfTheWrongLengthLeaveNothing) {
  EXPECT_EQ(store("12345", 10).error().reason, Reason::IncompleteBody);
  EXPECT_EQ(store("1234567890", 5).error().reason, Reason::IncompleteBody);
  std::string big = pattern(kBig * 4);
  EXPECT_EQ(store(big, static_cast<int64_t>(big.size()) + 1).error().reason, Reason::IncompleteBody);
  EXPECT_EQ(store(big, static_cast<int64_t>(big.size()) - 1).error().reason, Reason::IncompleteBody);
  int calls = 0;
  auto failing = engine_->store_data(
      [&](char* out, size_t size) -> long {
        if (++calls > 3) return -1;
        std::fill_n(out, size, 'x');
        return static_cast<long>(size);
      },
      -1, {});
  EXPECT_FALSE(failing.ok());
  EXPECT_EQ(data_files(), 0u);
  EXPECT_EQ(temp_files(), 0u);
  EXPECT_EQ(store("x", static_cast<int64_t>(S3Engine::kMaxPutSize) + 1).error().reason, Reason::EntityTooLarge);
  EXPECT_EQ(store("x", -2, {"MD5"}).error().reason, Reason::InvalidArgument);
}

TEST_F(S3EngineTest, OverwritingTheNullVersionRemovesItsFile) {
  ASSERT_TRUE(put("k", pattern(kBig, 1)).ok());
  EXPECT_EQ(data_files(), 1u);
  ASSERT_TRUE(put("k", pattern(kBig, 2)).ok());
  EXPECT_EQ(data_files(), 1u);
  EXPECT_EQ(get("k"), pattern(kBig, 2));
  ASSERT_TRUE(put("k", "small now").ok());
  EXPECT_EQ(data_files(), 0u);
  auto deleted = engine_->delete_object(ObjectRef{"bucket", "k", ""});
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(deleted->delete_marker);
  EXPECT_EQ(deleted->version_id, "");
  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "k", ""}).error().reason, Reason::NoSuchKey);
  EXPECT_TRUE(engine_->delete_object(ObjectRef{"bucket", "never", ""}).ok());  // deleting nothing succeeds
}

TEST_F(S3EngineTest, KeysMetadataAndTagsAreValidated) {
  EXPECT_EQ(put(std::string(1025, 'k'), "x").error().reason, Reason::KeyTooLong);
  EXPECT_TRUE(put(std::string(1024, 'k'), "x").ok());
  EXPECT_EQ(put("", "x").error().reason, Reason::InvalidArgument);
  PutObjectInput input;
  input.bucket = "bucket";
  input.key = "meta";
  input.metadata = {{"big", std::string(2048, 'm')}};
  input.data = *store("x");
  EXPECT_EQ(engine_->put_object(std::move(input)).error().reason, Reason::MetadataTooLarge);

  std::vector<Tag> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back(Tag{std::to_string(i), "v"});
  EXPECT_EQ(put("t", "x", "bucket", eleven).error().reason, Reason::TooManyTags);
  EXPECT_EQ(put("t", "x", "bucket", {{"a", "1"}, {"a", "2"}}).error().reason, Reason::InvalidTag);
  EXPECT_EQ(put("t", "x", "bucket", {{"aws:x", "1"}}).error().reason, Reason::InvalidTag);
  EXPECT_EQ(put("t", "x", "bucket", {{std::string(129, 'k'), "1"}}).error().reason, Reason::InvalidTag);
  EXPECT_EQ(put("t", "x", "bucket", {{"k", std::string(257, 'v')}}).error().reason, Reason::InvalidTag);
  std::string longest(256, 'v');  // 256 characters
  EXPECT_TRUE(put("t", "x", "bucket", {{"\xc3\xa9t\xc3\xa9", longest}}).ok());
  EXPECT_EQ(data_files(), 0u);
}

TEST_F(S3EngineTest, FailedPutDiscardsItsDataFile) {
  auto data = store(pattern(kBig));
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data_files(), 1u);
  PutObjectInput input;
  input.bucket = "no-such-bucket";
  input.key = "k";
  input.data = std::move(*data);
  EXPECT_EQ(engine_->put_object(std::move(input)).error().reason, Reason::NoSuchBucket);
  EXPECT_EQ(data_files(), 0u);
}

// --- versioning

TEST_F(S3EngineTest, EnabledVersioningKeepsEveryVersionAndMarkers) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  auto v1 = put("k", "one");
  clock_.advance(std::chrono::seconds(1));
  auto v2 = put("k", pattern(kBig));
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v1->version_id.size(), 32u);
  EXPECT_TRUE(valid_version_id(v1->version_id));
  EXPECT_NE(v1->version_id, v2->version_id);
  EXPECT_EQ(get("k"), pattern(kBig));
  EXPECT_EQ(get("k", v1->version_id), "one");
  auto old = engine_->get_object(ObjectRef{"bucket", "k", v1->version_id});
  EXPECT_FALSE(old->is_latest);
  EXPECT_TRUE(engine_->get_object(ObjectRef{"bucket", "k", v2->version_id})->is_latest);

  auto marker = engine_->delete_object(ObjectRef{"bucket", "k", ""});
  ASSERT_TRUE(marker.ok());
  EXPECT_TRUE(marker->delete_marker);
  EXPECT_TRUE(valid_version_id(marker->version_id));
  EXPECT_NE(marker->version_id, "null");
  auto gone = engine_->get_object(ObjectRef{"bucket", "k", ""});
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().reason, Reason::NoSuchKey);
  EXPECT_TRUE(gone.error().delete_marker);
  EXPECT_EQ(gone.error().version_id, marker->version_id);
  EXPECT_EQ(gone.error().last_modified, clock_.now());
  auto by_id = engine_->get_object(ObjectRef{"bucket", "k", marker->version_id});
  EXPECT_EQ(by_id.error().reason, Reason::MethodNotAllowed);
  EXPECT_TRUE(by_id.error().delete_marker);
  EXPECT_EQ(get("k", v2->version_id), pattern(kBig));  // versions stay readable

  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "k", std::string(32, 'A')}).error().reason, Reason::NoSuchVersion);
  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "k", "not-a-version!"}).error().reason, Reason::InvalidArgument);
  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "k", "null"}).error().reason, Reason::NoSuchVersion);
  EXPECT_EQ(engine_->delete_object(ObjectRef{"bucket", "k", "bad id"}).error().reason, Reason::InvalidArgument);

  // Removing the marker by id brings the object back.
  auto unmarked = engine_->delete_object(ObjectRef{"bucket", "k", marker->version_id});
  ASSERT_TRUE(unmarked.ok());
  EXPECT_TRUE(unmarked->delete_marker);
  EXPECT_EQ(unmarked->version_id, marker->version_id);
  EXPECT_EQ(get("k"), pattern(kBig));
  // Removing the latest version makes the next newest the latest; its file goes with it.
  EXPECT_EQ(data_files(), 1u);
  auto removed = engine_->delete_object(ObjectRef{"bucket", "k", v2->version_id});
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(removed->delete_marker);
  EXPECT_EQ(removed->version_id, v2->version_id);
  EXPECT_EQ(data_files(), 0u);
  EXPECT_EQ(get("k"), "one");
  EXPECT_TRUE(engine_->get_object(ObjectRef{"bucket", "k", ""})->is_latest);
  EXPECT_TRUE(engine_->delete_object(ObjectRef{"bucket", "k", std::string(32, 'B')}).ok());  // unknown: fine

  // A marker even where nothing exists.
  auto lone = engine_->delete_object(ObjectRef{"bucket", "nothing", ""});
  EXPECT_TRUE(lone->delete_marker);
}

TEST_F(S3EngineTest, SuspendedVersioningWritesTheNullVersion) {
  ASSERT_TRUE(put("k", "before").ok());  // null version, written before versioning
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  auto v1 = put("k", "versioned");
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(get("k", "null"), "before");  // the null version survives enabling
  ASSERT_TRUE(engine_->set_versioning("bucket", "Suspended").ok());
  auto n1 = put("k", pattern(kBig, 1));
  ASSERT_TRUE(n1.ok());
  EXPECT_EQ(n1->version_id, "null");
  auto n2 = put("k", pattern(kBig, 2));  // replaces the null version (and its file)
  EXPECT_EQ(n2->version_id, "null");
  EXPECT_EQ(data_files(), 1u);
  EXPECT_EQ(get("k"), pattern(kBig, 2));
  EXPECT_EQ(get("k", v1->version_id), "versioned");

  auto versions = engine_->list_versions("bucket", VersionQuery{});
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->versions.size(), 2u);
  EXPECT_EQ(versions->versions[0].version_id, "null");
  EXPECT_TRUE(versions->versions[0].is_latest);
  EXPECT_EQ(versions->versions[1].version_id, v1->version_id);

  // Delete: a "null" marker that replaces the null version.
  auto marker = engine_->delete_object(ObjectRef{"bucket", "k", ""});
  ASSERT_TRUE(marker.ok());
  EXPECT_TRUE(marker->delete_marker);
  EXPECT_EQ(marker->version_id, "null");
  EXPECT_EQ(data_files(), 0u);
  versions = engine_->list_versions("bucket", VersionQuery{});
  ASSERT_EQ(versions->versions.size(), 2u);
  EXPECT_TRUE(versions->versions[0].delete_marker);
  EXPECT_EQ(versions->versions[0].version_id, "null");
  EXPECT_EQ(versions->versions[1].version_id, v1->version_id);
  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "k", ""}).error().version_id, "null");
}

TEST_F(S3EngineTest, TagsBelongToOneVersion) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  auto v1 = put("k", "1", "bucket", {{"stage", "one"}});
  auto v2 = put("k", "2");
  std::string version;
  ASSERT_TRUE(engine_->put_object_tags(ObjectRef{"bucket", "k", ""}, {{"a", "b"}, {"c", ""}}, &version).ok());
  EXPECT_EQ(version, v2->version_id);
  auto latest = engine_->get_object(ObjectRef{"bucket", "k", ""});
  ASSERT_EQ(latest->tags.size(), 2u);
  EXPECT_EQ(latest->tags[1].key, "c");
  auto first = engine_->get_object(ObjectRef{"bucket", "k", v1->version_id});
  ASSERT_EQ(first->tags.size(), 1u);
  EXPECT_EQ(first->tags[0].value, "one");
  ASSERT_TRUE(engine_->put_object_tags(ObjectRef{"bucket", "k", v1->version_id}, {}, nullptr).ok());
  EXPECT_TRUE(engine_->get_object(ObjectRef{"bucket", "k", v1->version_id})->tags.empty());
  EXPECT_EQ(engine_->put_object_tags(ObjectRef{"bucket", "k", ""}, {{"a", "1"}, {"a", "2"}}, nullptr).error().reason,
            Reason::InvalidTag);
  EXPECT_EQ(engine_->put_object_tags(ObjectRef{"bucket", "none", ""}, {}, nullptr).error().reason, Reason::NoSuchKey);
}

// --- copies and data files

TEST_F(S3EngineTest, CopySharesDataAndOutlivesTheSource) {
  std::string body = pattern(kBig * 3);
  PutObjectInput source;
  source.bucket = "bucket";
  source.key = "src";
  source.metadata = {{"origin", "src"}};
  source.tags = {{"t", "1"}};
  source.data = *store(body, -2, {"CRC32"});
  ASSERT_TRUE(engine_->put_object(std::move(source)).ok());
  ASSERT_TRUE(engine_->create_bucket(kAccount, "us-east-1", "other-bucket").ok());
  ASSERT_TRUE(engine_->set_versioning("other-bucket", "Enabled").ok());

  PutObjectInput target;
  target.bucket = "other-bucket";
  target.key = "copy";
  target.metadata = {{"origin", "replaced"}};
  target.owner_account = kOther;
  auto copied = engine_->copy_object(ObjectRef{"bucket", "src", ""}, target);
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  EXPECT_EQ(copied->etag, "\"" + common::md5_hex(body) + "\"");
  EXPECT_EQ(copied->source_version_id, "null");
  EXPECT_TRUE(valid_version_id(copied->version_id));
  EXPECT_EQ(copied->size, body.size());
  EXPECT_EQ(data_files(), 1u);  // shared, not copied
  auto copy = engine_->get_object(ObjectRef{"other-bucket", "copy", ""});
  auto original = engine_->get_object(ObjectRef{"bucket", "src", ""});
  EXPECT_EQ(copy->segments[0].file, original->segments[0].file);
  EXPECT_EQ(copy->metadata[0].second, "replaced");
  EXPECT_TRUE(copy->tags.empty());
  EXPECT_EQ(copy->checksums, original->checksums);
  EXPECT_EQ(copy->owner_account, kOther);

  auto with_source_metadata = engine_->copy_object(ObjectRef{"bucket", "src", ""}, target,
                                                   CopyDirectives{.copy_metadata = true, .copy_tags = true});
  ASSERT_TRUE(with_source_metadata.ok());
  auto copy2 = engine_->get_object(ObjectRef{"other-bucket", "copy", ""});
  EXPECT_EQ(copy2->metadata[0].second, "src");
  ASSERT_EQ(copy2->tags.size(), 1u);

  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "src", ""}).ok());
  EXPECT_EQ(data_files(), 1u);
  EXPECT_EQ(get("copy", "", "other-bucket"), body);
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"other-bucket", "copy", copied->version_id}).ok());
  EXPECT_EQ(data_files(), 1u);
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"other-bucket", "copy", with_source_metadata->version_id}).ok());
  EXPECT_EQ(data_files(), 0u);
}

TEST_F(S3EngineTest, CopyOntoItselfNeedsAChange) {
  ASSERT_TRUE(put("k", pattern(kBig)).ok());
  PutObjectInput same;
  same.bucket = "bucket";
  same.key = "k";
  auto refused = engine_->copy_object(ObjectRef{"bucket", "k", ""}, same, CopyDirectives{.copy_metadata = true});
  EXPECT_EQ(refused.error().reason, Reason::InvalidRequest);
  // Replacing the metadata (or the storage class) is a change: the null version is rewritten
  // with the same bytes, which must survive losing their old row.
  ASSERT_TRUE(engine_->copy_object(ObjectRef{"bucket", "k", ""}, same).ok());
  same.storage_class = "GLACIER";
  ASSERT_TRUE(engine_->copy_object(ObjectRef{"bucket", "k", ""}, same, CopyDirectives{.copy_metadata = true}).ok());
  EXPECT_EQ(data_files(), 1u);
  EXPECT_EQ(get("k"), pattern(kBig));
  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "k", ""})->storage_class, "GLACIER");

  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  ASSERT_TRUE(engine_->delete_object(ObjectRef{"bucket", "k", ""}).ok());
  EXPECT_EQ(engine_->copy_object(ObjectRef{"bucket", "k", ""}, same).error().reason, Reason::NoSuchKey);
  // An older version copied onto the key restores it.
  auto restored = engine_->copy_object(ObjectRef{"bucket", "k", "null"}, same, CopyDirectives{.copy_metadata = true});
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(get("k"), pattern(kBig));
}

TEST_F(S3EngineTest, ConcurrentCopiesAndDeletesNeverLoseReferencedData) {
  std::string body = pattern(kBig * 2);
  ASSERT_TRUE(put("src", body).ok());
  std::vector<std::string> copies;
  std::thread copier([&] {
    for (int i = 0; i < 40; ++i) {
      PutObjectInput target;
      target.bucket = "bucket";
      target.key = "copy" + std::to_string(i);
      if (engine_->copy_object(ObjectRef{"bucket", "src", ""}, target).ok()) copies.push_back(target.key);
    }
  });
  std::thread rewriter([&] {
    for (int i = 0; i < 40; ++i) {
      if (i % 2 == 0) {
        (void)engine_->delete_object(ObjectRef{"bucket", "src", ""});
      } else {
        (void)put("src", body);
      }
    }
  });
  copier.join();
  rewriter.join();
  for (const std::string& key : copies) EXPECT_EQ(get(key), body) << key;
}

TEST_F(S3EngineTest, DiscardKeepsFilesThatRowsReference) {
  ASSERT_TRUE(put("src", pattern(kBig * 2)).ok());
  auto slice = engine_->slice_object(ObjectRef{"bucket", "src", ""}, 0, kBig + 10);
  ASSERT_TRUE(slice.ok());
  ASSERT_EQ(slice->segments.size(), 1u);
  engine_->discard(*slice);  // shares the source's file: it stays
  EXPECT_EQ(get("src"), pattern(kBig * 2));
  auto fresh = store(pattern(kBig));
  engine_->discard(*fresh);
  EXPECT_EQ(data_files(), 1u);
}

TEST_F(S3EngineTest, StartupRemovesTemporaryAndUnreferencedFiles) {
  ASSERT_TRUE(put("kept", pattern(kBig)).ok());
  // A crash mid-upload leaves a temporary file; one between commit and unlink, an orphan.
  std::ofstream(std::filesystem::path(data_dir()) / "tmp" / "0123456789abcdef01234567") << "partial";
  std::filesystem::create_directories(std::filesystem::path(data_dir()) / "ab");
  std::ofstream(std::filesystem::path(data_dir()) / "ab" / "ab0123456789abcdef0123456789abcd") << "orphan";
  EXPECT_EQ(temp_files(), 1u);
  EXPECT_EQ(data_files(), 2u);
  open_engine();
  EXPECT_EQ(temp_files(), 0u);
  EXPECT_EQ(data_files(), 1u);
  EXPECT_EQ(get("kept"), pattern(kBig));
}

TEST_F(S3EngineTest, StateSurvivesReopening) {
  ASSERT_TRUE(engine_->set_versioning("bucket", "Enabled").ok());
  auto v = put("k", pattern(kBig));
  ASSERT_TRUE(v.ok());
  engine_.reset();
  db_.reset();
  auto opened = store::Db::open((root_ / "state.db").string());
  ASSERT_TRUE(opened.ok());
  db_ = std::move(*opened);
  open_engine();
  EXPECT_EQ(engine_->get_bucket("bucket")->versioning, "Enabled");
  EXPECT_EQ(get("k", v->version_id), pattern(kBig));
}

TEST_F(S3EngineTest, ResetDropsBucketsObjectsAndDataFiles) {
  ASSERT_TRUE(put("k", pattern(kBig)).ok());
  Upload upload;
  upload.bucket = "bucket";
  upload.key = "mp";
  auto created = engine_->create_upload(upload);
  ASSERT_TRUE(engine_->put_part("bucket", "mp", created->upload_id, 1, *store(pattern(kBig, 3))).ok());
  EXPECT_TRUE(engine_->get_bucket("bucket").ok());  // cached
  EXPECT_EQ(data_files(), 2u);
  ASSERT_TRUE(db_->reset_all().ok());
  engine_->on_reset();
  EXPECT_EQ(engine_->get_bucket("bucket").error().reason, Reason::NoSuchBucket);
  EXPECT_EQ(data_files(), 0u);
  EXPECT_TRUE(engine_->list_buckets(kAccount)->empty());
  ASSERT_TRUE(engine_->create_bucket(kAccount, "us-east-1", "bucket").ok());
  EXPECT_EQ(engine_->get_object(ObjectRef{"bucket", "k", ""}).error().reason, Reason::NoSuchKey);
  ASSERT_TRUE(put("k", pattern(kBig, 5)).ok());
  EXPECT_EQ(get("k"), pattern(kBig, 5));
}

}  // namespace
}  // namespace s3
