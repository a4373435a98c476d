// EcrEngine against real SQLite (":memory:") and a temporary data directory.
#include "services/ecr/engine/ecr_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/crypto.h"
#include "common/temp_dir.h"
#include "events/bus.h"
#include "oci/digest.h"
#include "testing/engine_fixture.h"

namespace ecr {
namespace {

namespace fs = std::filesystem;

std::string digest_of(std::string_view bytes) { return "sha256:" + common::sha256_hex(bytes); }

// A body served in reads of at most `step` bytes; fails (-1) after `fail_after` bytes when >= 0.
struct Body {
  std::string data;
  size_t step = 1 << 20;
  long fail_after = -1;
  size_t pos = 0;

  Reader reader() {
    return [this](char* out, size_t size) -> long {
      if (fail_after >= 0 && pos >= static_cast<size_t>(fail_after)) return -1;
      size_t n = std::min({size, step, data.size() - pos});
      if (fail_after >= 0) n = std::min(n, static_cast<size_t>(fail_after) - pos);
      std::copy_n(data.data() + pos, n, out);
      pos += n;
      return static_cast<long>(n);
    };
  }
};

std::string image_manifest(const std::string& config, const std::vector<std::string>& layers,
                           const std::string& subject = "") {
  common::Json m = {{"schemaVersion", 2},
                    {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                    {"config",
                     {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                      {"digest", digest_of(config)},
                      {"size", config.size()}}},
                    {"layers", common::Json::array()}};
  for (const auto& layer : layers) {
    m["layers"].push_back({{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                           {"digest", digest_of(layer)},
                           {"size", layer.size()}});
  }
  if (!subject.empty()) {
    m["subject"] = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"}, {"digest", subject}, {"size", 10}};
    m["artifactType"] = "application/vnd.example.sbom";
  }
  return m.dump();
}

std::string index_manifest(const std::vector<std::string>& children) {
  common::Json m = {{"schemaVersion", 2},
                    {"mediaType", "application/vnd.oci.image.index.v1+json"},
                    {"manifests", common::Json::array()}};
  for (const auto& child : children) {
    m["manifests"].push_back({{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                              {"digest", digest_of(child)},
                              {"size", child.size()},
                              {"platform", {{"architecture", "amd64"}, {"os", "linux"}}}});
  }
  return m.dump();
}

class EcrEngineTest : public testing_support::EngineWithBusTest<EcrEngine> {
 protected:
  EcrEngineTest() : EngineWithBusTest("ecr-engine-test") {}

  void SetUp() override {
    EngineWithBusTest::SetUp();
    if (HasFatalFailure()) return;
    auto repo = create("app");
    ASSERT_TRUE(repo.ok());
    repo_ = *repo;
  }

  Result<Repository> create(const std::string& name, const std::string& mutability = "MUTABLE",
                            common::Json exclusions = common::Json::array()) {
    CreateRepositoryInput input;
    input.ref = ref(name);
    input.tag_mutability = mutability;
    input.mutability_exclusions = std::move(exclusions);
    return engine_->create_repository(input);
  }

  static RepoRef ref(const std::string& name) { return RepoRef{"123456789012", "us-east-1", name}; }

  // Pushes `bytes` as a blob of the repository; returns its digest.
  std::string push_blob(const std::string& bytes, int64_t repo_id = 0) {
    Body body{bytes};
    auto blob = engine_->put_blob(repo_id ? repo_id : repo_.id, digest_of(bytes), body.reader(),
                                  static_cast<int64_t>(bytes.size()));
    EXPECT_TRUE(blob.ok()) << (blob.ok() ? "" : blob.error().message);
    return digest_of(bytes);
  }

  // Pushes config + layers and the manifest under `tag`; returns the manifest bytes.
  std::string push_image(const std::string& tag, const std::string& seed, int64_t repo_id = 0) {
    std::string config = "{\"config\":\"" + seed + "\"}";
    std::string layer = "layer of " + seed;
    push_blob(config, repo_id);
    push_blob(layer, repo_id);
    std::string manifest = image_manifest(config, {layer});
    PutManifestInput input;
    input.tag = tag;
    input.bytes = manifest;
    auto put = engine_->put_manifest(repo_id ? repo_id : repo_.id, input);
    EXPECT_TRUE(put.ok()) << (put.ok() ? "" : put.error().message);
    return manifest;
  }

  Result<PutManifestOutput> put(const std::string& tag, const std::string& bytes, bool put_image_api = false) {
    PutManifestInput input;
    input.tag = tag;
    input.bytes = bytes;
    input.put_image_api = put_image_api;
    return engine_->put_manifest(repo_.id, input);
  }

  std::vector<events::Event> events() {
    auto read = bus_->read(events::ReadQuery{});
    EXPECT_TRUE(read.ok());
    return read.ok() ? *read : std::vector<events::Event>{};
  }

  size_t files_under(const std::string& sub) {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir_ + "/" + sub, ec)) n += e.is_regular_file() ? 1 : 0;
    return n;
  }

  Repository repo_;
};

// --- repositories -------------------------------------------------------------------------

TEST_F(EcrEngineTest, CreateGetListDeleteRepository) {
  EXPECT_EQ(repo_.name, "app");
  EXPECT_EQ(repo_.arn, "arn:aws:ecr:us-east-1:123456789012:repository/app");
  EXPECT_EQ(repo_.created, clock_.now());
  auto again = create("app");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::RepositoryAlreadyExists);
  ASSERT_TRUE(create("team/web").ok());
  auto other_region = engine_->create_repository([] {
    CreateRepositoryInput input;
    input.ref = RepoRef{"123456789012", "eu-west-1", "app"};
    return input;
  }());
  ASSERT_TRUE(other_region.ok());
  auto listed = engine_->list_repositories("123456789012", "us-east-1");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "app");
  EXPECT_EQ((*listed)[1].name, "team/web");

  auto got = engine_->get_repository(ref("team/web"));
  ASSERT_TRUE(got.ok());
  auto deleted = engine_->delete_repository(ref("team/web"), false);
  ASSERT_TRUE(deleted.ok());
  auto gone = engine_->get_repository(ref("team/web"));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, Errc::RepositoryNotFound);
  EXPECT_EQ(gone.error().message,
            "The repository with name 'team/web' does not exist in the registry with id '123456789012'");
}

TEST_F(EcrEngineTest, UpdateRepositoryInvalidatesTheCache) {
  ASSERT_TRUE(engine_->get_repository(ref("app")).ok());  // cached now
  auto updated = engine_->update_repository(ref("app"), [](Repository& r) -> Status {
    r.tag_mutability = "IMMUTABLE";
    r.lifecycle_policy = "{\"rules\":[]}";
    r.name = "renamed";  // ignored
    return common::ok();
  });
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "app");
  EXPECT_EQ(updated->lifecycle_updated, clock_.now());
  auto got = engine_->get_repository(ref("app"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->tag_mutability, "IMMUTABLE");
  EXPECT_EQ(got->lifecycle_policy, "{\"rules\":[]}");

  // A failing change aborts the update.
  auto refused = engine_->update_repository(ref("app"), [](Repository& r) -> Status {
    r.tag_mutability = "MUTABLE";
    return common::fail(error(Errc::InvalidParameter, "no"));
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::InvalidParameter);
  EXPECT_EQ(engine_->get_repository(ref("app"))->tag_mutability, "IMMUTABLE");

  // Deleting invalidates too: a re-created repository gets a new id.
  ASSERT_TRUE(engine_->delete_repository(ref("app"), false).ok());
  auto recreated = create("app");
  ASSERT_TRUE(recreated.ok());
  EXPECT_EQ(engine_->get_repository(ref("app"))->id, recreated->id);
  EXPECT_EQ(engine_->get_repository(ref("app"))->tag_mutability, "MUTABLE");
}

TEST_F(EcrEngineTest, DeleteRepositoryWithImagesNeedsForceAndRemovesUnsharedBlobs) {
  push_image("v1", "a");
  auto refused = engine_->delete_repository(ref("app"), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::RepositoryNotEmpty);

  // A second repository shares the config blob via a mount.
  auto other = create("other");
  ASSERT_TRUE(other.ok());
  std::string config_digest = digest_of("{\"config\":\"a\"}");
  ASSERT_TRUE(engine_->mount_blob(other->id, repo_.id, config_digest).has_value());
  auto upload = engine_->start_upload(repo_.id);
  ASSERT_TRUE(upload.ok());
  EXPECT_EQ(files_under("blobs"), 2u);
  EXPECT_EQ(files_under("uploads"), 1u);

  ASSERT_TRUE(engine_->delete_repository(ref("app"), true).ok());
  EXPECT_EQ(files_under("blobs"), 1u);  // the shared config stays
  EXPECT_EQ(files_under("uploads"), 0u);
  auto blob = engine_->find_blob(other->id, config_digest);
  ASSERT_TRUE(blob.has_value());
  EXPECT_TRUE(fs::exists(blob->path));
  EXPECT_FALSE(engine_->upload_status(repo_.id, upload->uuid).ok());
}

TEST_F(EcrEngineTest, ResourceTags) {
  ASSERT_TRUE(engine_->tag_resource(ref("app"), {{"team", "a"}, {"env", "dev"}}).ok());
  ASSERT_TRUE(engine_->tag_resource(ref("app"), {{"team", "b"}}).ok());
  auto tags = engine_->resource_tags(ref("app"));
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, (Tags{{"env", "dev"}, {"team", "b"}}));
  ASSERT_TRUE(engine_->untag_resource(ref("app"), {"env", "missing"}).ok());
  EXPECT_EQ(*engine_->resource_tags(ref("app")), (Tags{{"team", "b"}}));

  Tags many;
  for (int i = 0; i < 50; ++i) many.emplace_back(std::to_string(i) + "k", "v");
  auto too_many = engine_->tag_resource(ref("app"), many);  // 50 new + "team"
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, Errc::TooManyTags);
  EXPECT_EQ(engine_->resource_tags(ref("app"))->size(), 1u);
  EXPECT_EQ(engine_->tag_resource(ref("missing"), {{"a", "b"}}).error().code, Errc::RepositoryNotFound);
}

TEST(RepositoryTest, TagImmutability) {
  Repository r;
  EXPECT_FALSE(r.tag_immutable("latest"));
  r.tag_mutability = "IMMUTABLE";
  EXPECT_TRUE(r.tag_immutable("latest"));
  r.tag_mutability = "IMMUTABLE_WITH_EXCLUSION";
  r.mutability_exclusions = common::Json::parse(R"([{"filterType":"WILDCARD","filter":"dev-*"},
                                                     {"filterType":"WILDCARD","filter":"*-snap*"}])");
  EXPECT_TRUE(r.tag_immutable("v1"));
  EXPECT_FALSE(r.tag_immutable("dev-1"));
  EXPECT_FALSE(r.tag_immutable("1.0-snapshot"));
  EXPECT_TRUE(r.tag_immutable("xdev-1"));
  r.tag_mutability = "MUTABLE_WITH_EXCLUSION";
  EXPECT_FALSE(r.tag_immutable("v1"));
  EXPECT_TRUE(r.tag_immutable("dev-"));
}

// --- blobs ----------------------------------------------------------------------------------

TEST_F(EcrEngineTest, MonolithicUpload) {
  std::string data(12 << 20, 'x');  // over 8 MiB: hashed on a second thread
  for (size_t i = 0; i < data.size(); i += 4099) data[i] = static_cast<char>('a' + i % 26);
  data += "tail";
  Body body{data, 100000};
  auto blob = engine_->put_blob(repo_.id, digest_of(data), body.reader(), static_cast<int64_t>(data.size()));
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(blob->size, static_cast<int64_t>(data.size()));
  auto found = engine_->find_blob(repo_.id, digest_of(data));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->path, dir_ + "/blobs/sha256/" + digest_of(data).substr(7, 2) + "/" + digest_of(data).substr(7));
  std::ifstream in(found->path, std::ios::binary);
  std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(on_disk, data);
  EXPECT_EQ(files_under("uploads"), 0u);

  // Another repository does not see it until it mounts it.
  auto other = create("other");
  EXPECT_FALSE(engine_->find_blob(other->id, digest_of(data)).has_value());
  EXPECT_FALSE(engine_->mount_blob(other->id, repo_.id, digest_of("nope")).has_value());
  ASSERT_TRUE(engine_->mount_blob(other->id, repo_.id, digest_of(data)).has_value());
  EXPECT_TRUE(engine_->find_blob(other->id, digest_of(data)).has_value());
}

TEST_F(EcrEngineTest, MonolithicUploadRefusesWrongDigestOrSize) {
  Body body{"hello"};
  auto wrong = engine_->put_blob(repo_.id, digest_of("other"), body.reader(), -1);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, Errc::DigestInvalid);
  EXPECT_FALSE(engine_->find_blob(repo_.id, digest_of("other")).has_value());
  EXPECT_FALSE(engine_->find_blob(repo_.id, digest_of("hello")).has_value());

  Body longer{"hello"};
  auto size = engine_->put_blob(repo_.id, digest_of("hello"), longer.reader(), 3);
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.error().code, Errc::SizeInvalid);
  Body shorter{"hello"};
  size = engine_->put_blob(repo_.id, digest_of("hello"), shorter.reader(), 9);
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.error().code, Errc::SizeInvalid);

  Body bad{"hello"};
  auto malformed = engine_->put_blob(repo_.id, "sha256:abc", bad.reader(), -1);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code, Errc::DigestInvalid);
  EXPECT_EQ(files_under("uploads"), 0u);
  EXPECT_EQ(files_under("blobs"), 0u);
}

TEST_F(EcrEngineTest, ChunkedUpload) {
  std::string data = std::string(2 << 20, 'a') + std::string(100, 'b');
  auto upload = engine_->start_upload(repo_.id);
  ASSERT_TRUE(upload.ok());
  EXPECT_EQ(upload->offset, 0);
  Body first{data.substr(0, 1 << 20), 4096};
  auto state = engine_->append_upload(repo_.id, upload->uuid, 0, first.reader());
  ASSERT_TRUE(state.ok()) << state.error().message;
  EXPECT_EQ(state->offset, 1 << 20);

  // A chunk that does not start at the current offset is refused and changes nothing.
  Body misplaced{"zzz"};
  auto refused = engine_->append_upload(repo_.id, upload->uuid, 5, misplaced.reader());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::UploadInvalid);
  EXPECT_EQ(engine_->upload_status(repo_.id, upload->uuid)->offset, 1 << 20);

  // Another repository cannot use the session.
  auto other = create("other");
  EXPECT_EQ(engine_->upload_status(other->id, upload->uuid).error().code, Errc::UploadUnknown);

  Body second{data.substr(1 << 20, 1 << 20)};
  ASSERT_TRUE(engine_->append_upload(repo_.id, upload->uuid, std::nullopt, second.reader()).ok());
  EXPECT_FALSE(engine_->find_blob(repo_.id, digest_of(data)).has_value());
  Body last{data.substr(2 << 20)};
  Reader last_reader = last.reader();
  auto blob = engine_->complete_upload(repo_.id, upload->uuid, digest_of(data), &last_reader);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(blob->size, static_cast<int64_t>(data.size()));
  EXPECT_TRUE(engine_->find_blob(repo_.id, digest_of(data)).has_value());
  EXPECT_EQ(engine_->upload_status(repo_.id, upload->uuid).error().code, Errc::UploadUnknown);
  EXPECT_EQ(files_under("uploads"), 0u);
}

TEST_F(EcrEngineTest, ChunkedUploadWithWrongDigestLeavesNothingVisible) {
  auto upload = engine_->start_upload(repo_.id);
  Body body{"some bytes"};
  ASSERT_TRUE(engine_->append_upload(repo_.id, upload->uuid, std::nullopt, body.reader()).ok());
  auto done = engine_->complete_upload(repo_.id, upload->uuid, digest_of("other bytes"), nullptr);
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, Errc::DigestInvalid);
  EXPECT_FALSE(engine_->find_blob(repo_.id, digest_of("other bytes")).has_value());
  EXPECT_FALSE(engine_->find_blob(repo_.id, digest_of("some bytes")).has_value());
  EXPECT_EQ(files_under("blobs"), 0u);
  EXPECT_EQ(files_under("uploads"), 0u);
  EXPECT_EQ(engine_->upload_status(repo_.id, upload->uuid).error().code, Errc::UploadUnknown);
}

TEST_F(EcrEngineTest, SessionSurvivesABrokenChunk) {
  // Over 8 MiB: the hash runs on its own thread (and is abandoned with the broken chunk).
  std::string data = std::string(20 << 20, 'q') + "end";
  auto upload = engine_->start_upload(repo_.id);
  Body good{data.substr(0, 1000)};
  ASSERT_TRUE(engine_->append_upload(repo_.id, upload->uuid, 0, good.reader()).ok());
  Body broken{data.substr(1000), 1 << 16, 12 << 20};
  auto failed = engine_->append_upload(repo_.id, upload->uuid, 1000, broken.reader());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(engine_->upload_status(repo_.id, upload->uuid)->offset, 1000);
  Body retry{data.substr(1000)};
  ASSERT_TRUE(engine_->append_upload(repo_.id, upload->uuid, 1000, retry.reader()).ok());
  auto blob = engine_->complete_upload(repo_.id, upload->uuid, digest_of(data), nullptr);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(blob->size, static_cast<int64_t>(data.size()));
}

TEST_F(EcrEngineTest, CancelUpload) {
  auto upload = engine_->start_upload(repo_.id);
  ASSERT_TRUE(engine_->cancel_upload(repo_.id, upload->uuid).ok());
  EXPECT_EQ(engine_->upload_status(repo_.id, upload->uuid).error().code, Errc::UploadUnknown);
  EXPECT_EQ(engine_->cancel_upload(repo_.id, upload->uuid).error().code, Errc::UploadUnknown);
  EXPECT_EQ(files_under("uploads"), 0u);
}

TEST_F(EcrEngineTest, RestartCompletesAnUploadByRehashing) {
  std::string data = std::string(1 << 20, 'r') + "xyz";
  auto upload = engine_->start_upload(repo_.id);
  Body first{data.substr(0, 700000)};
  ASSERT_TRUE(engine_->append_upload(repo_.id, upload->uuid, 0, first.reader()).ok());
  // A stray upload file with no session row, as a crash mid-put leaves.
  std::ofstream(dir_ + "/uploads/put-stray") << "partial";

  engine_ = std::make_unique<EcrEngine>(*db_, clock_, dir_, *bus_);
  ASSERT_TRUE(engine_->migrate().ok());
  EXPECT_FALSE(fs::exists(dir_ + "/uploads/put-stray"));
  EXPECT_EQ(engine_->upload_status(repo_.id, upload->uuid)->offset, 700000);
  Body rest{data.substr(700000)};
  ASSERT_TRUE(engine_->append_upload(repo_.id, upload->uuid, 700000, rest.reader()).ok());
  auto blob = engine_->complete_upload(repo_.id, upload->uuid, digest_of(data), nullptr);
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_TRUE(engine_->find_blob(repo_.id, digest_of(data)).has_value());
}

TEST_F(EcrEngineTest, SameBlobPushedToTwoRepositoriesSharesOneFile) {
  auto other = create("other");
  push_blob("shared");
  push_blob("shared", other->id);
  EXPECT_EQ(files_under("blobs"), 1u);
  EXPECT_TRUE(engine_->find_blob(other->id, digest_of("shared")).has_value());
}

// --- images ---------------------------------------------------------------------------------

TEST_F(EcrEngineTest, PutManifestStoresBytesVerbatimAndPublishesPush) {
  std::string manifest = push_image("v1", "a");
  auto image = engine_->get_image(repo_.id, "v1");
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->manifest, manifest);
  EXPECT_EQ(image->digest, digest_of(manifest));
  EXPECT_EQ(image->tags, std::vector<std::string>{"v1"});
  EXPECT_EQ(image->media_type, "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(image->artifact_media_type, "application/vnd.oci.image.config.v1+json");
  EXPECT_EQ(image->size, static_cast<int64_t>(std::string("layer of a").size()));
  EXPECT_EQ(image->pushed_at, clock_.now());
  EXPECT_EQ(engine_->get_image(repo_.id, digest_of(manifest))->digest, digest_of(manifest));

  auto log = events();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].source, "aws.ecr");
  EXPECT_EQ(log[0].detail_type, "ECR Image Action");
  EXPECT_EQ(log[0].account, "123456789012");
  EXPECT_EQ(log[0].region, "us-east-1");
  EXPECT_EQ(log[0].detail["action-type"], "PUSH");
  EXPECT_EQ(log[0].detail["result"], "SUCCESS");
  EXPECT_EQ(log[0].detail["repository-name"], "app");
  EXPECT_EQ(log[0].detail["image-digest"], digest_of(manifest));
  EXPECT_EQ(log[0].detail["image-tag"], "v1");
  EXPECT_EQ(log[0].detail["manifest-media-type"], "application/vnd.oci.image.manifest.v1+json");

  // A second tag on the same image keeps the first push time and adds an event.
  clock_.advance(std::chrono::seconds(10));
  ASSERT_TRUE(put("latest", manifest).ok());
  image = engine_->get_image(repo_.id, "latest");
  EXPECT_EQ(image->tags, (std::vector<std::string>{"latest", "v1"}));
  EXPECT_EQ(image->pushed_at, clock_.now() - std::chrono::seconds(10));
  EXPECT_EQ(events().size(), 2u);
}

TEST_F(EcrEngineTest, PutManifestChecksInput) {
  std::string config = "{}";
  std::string manifest = image_manifest(config, {"layer"});
  auto missing = put("v1", manifest);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::ManifestBlobUnknown);
  EXPECT_EQ(missing.error().message, digest_of(config));
  push_blob(config);
  missing = put("v1", manifest);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, digest_of("layer"));
  push_blob("layer");
  ASSERT_TRUE(put("v1", manifest).ok());

  auto invalid = put("v2", "{not json");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, Errc::ManifestInvalid);

  auto bad_tag = put("-bad", manifest);
  ASSERT_FALSE(bad_tag.ok());
  EXPECT_EQ(bad_tag.error().code, Errc::InvalidParameter);

  PutManifestInput input;
  input.bytes = manifest;
  input.expected_digest = digest_of("something else");
  auto mismatch = engine_->put_manifest(repo_.id, input);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code, Errc::ImageDigestMismatch);
  input.expected_digest = digest_of(manifest);
  EXPECT_TRUE(engine_->put_manifest(repo_.id, input).ok());
  EXPECT_EQ(events().size(), 2u);  // only the successful puts
}

TEST_F(EcrEngineTest, IndexNeedsItsChildrenInTheRepository) {
  std::string child = push_image("", "a");
  std::string absent = image_manifest("{\"other\":1}", {});
  std::string index = index_manifest({child, absent});
  auto refused = put("multi", index);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::ManifestBlobUnknown);
  EXPECT_EQ(refused.error().message, digest_of(absent));

  index = index_manifest({child});
  auto stored = put("multi", index);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_EQ(stored->image.media_type, "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(stored->image.artifact_media_type, "");

  // The child cannot go while the index lists it.
  auto referenced = engine_->delete_image(repo_.id, ImageId{digest_of(child), ""});
  ASSERT_FALSE(referenced.ok());
  EXPECT_EQ(referenced.error().code, Errc::ImageReferenced);
  ASSERT_TRUE(engine_->delete_image(repo_.id, ImageId{"", "multi"}).ok());
  EXPECT_TRUE(engine_->delete_image(repo_.id, ImageId{digest_of(child), ""}).ok());
}

TEST_F(EcrEngineTest, ImmutableTagsCannotBeOverwritten) {
  auto immutable = create("locked", "IMMUTABLE");
  ASSERT_TRUE(immutable.ok());
  std::string first = push_image("v1", "a", immutable->id);
  push_image("", "b", immutable->id);
  std::string second = image_manifest("{\"config\":\"b\"}", {"layer of b"});
  PutManifestInput input;
  input.tag = "v1";
  input.bytes = second;
  auto refused = engine_->put_manifest(immutable->id, input);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::ImageTagAlreadyExists);
  EXPECT_EQ(refused.error().message,
            "The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the "
            "repository is immutable.");
  input.bytes = first;  // even the same image
  EXPECT_EQ(engine_->put_manifest(immutable->id, input).error().code, Errc::ImageTagAlreadyExists);
  input.tag = "v2";
  EXPECT_TRUE(engine_->put_manifest(immutable->id, input).ok());

  // Exclusions make matching tags mutable.
  auto mixed = create("mixed", "IMMUTABLE_WITH_EXCLUSION",
                      common::Json::parse(R"([{"filterType":"WILDCARD","filter":"dev-*"}])"));
  push_image("dev-1", "a", mixed->id);
  push_image("dev-1", "b", mixed->id);
  push_image("rel", "a", mixed->id);
  input.tag = "rel";
  input.bytes = second;
  EXPECT_EQ(engine_->put_manifest(mixed->id, input).error().code, Errc::ImageTagAlreadyExists);
}

TEST_F(EcrEngineTest, PutImageOfAnUnchangedImageIsImageAlreadyExists) {
  std::string manifest = push_image("v1", "a");
  auto same = put("v1", manifest, true);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().code, Errc::ImageAlreadyExists);
  EXPECT_EQ(same.error().message, "Image with digest '" + digest_of(manifest) +
                                      "' and tag 'v1' already exists in the repository with name 'app' in registry "
                                      "with id '123456789012'");
  auto untagged = put("", manifest, true);
  ASSERT_FALSE(untagged.ok());
  EXPECT_EQ(untagged.error().code, Errc::ImageAlreadyExists);
  EXPECT_TRUE(put("v2", manifest, true).ok());
  // The registry's re-push of the same manifest under the same tag is fine.
  EXPECT_TRUE(put("v1", manifest).ok());
}

TEST_F(EcrEngineTest, MovingATagLeavesTheOldImageUntagged) {
  std::string a = push_image("latest", "a");
  std::string b = push_image("latest", "b");
  auto untagged = engine_->list_images(repo_.id, "UNTAGGED");
  ASSERT_TRUE(untagged.ok());
  ASSERT_EQ(untagged->size(), 1u);
  EXPECT_EQ((*untagged)[0].digest, digest_of(a));
  auto tagged = engine_->list_images(repo_.id, "TAGGED");
  ASSERT_EQ(tagged->size(), 1u);
  EXPECT_EQ((*tagged)[0].digest, digest_of(b));
  EXPECT_EQ(engine_->list_images(repo_.id, "ANY")->size(), 2u);
}

TEST_F(EcrEngineTest, DeleteByTagAndByDigest) {
  std::string a = push_image("v1", "a");
  ASSERT_TRUE(put("latest", a).ok());
  std::string b = push_image("", "b");
  size_t before = events().size();

  // By tag: the image stays while it has another tag.
  auto deleted = engine_->delete_image(repo_.id, ImageId{"", "latest"});
  ASSERT_TRUE(deleted.ok());
  ASSERT_EQ(deleted->deleted.size(), 1u);
  EXPECT_EQ(deleted->deleted[0].digest, digest_of(a));
  EXPECT_EQ(deleted->deleted[0].tag, "latest");
  EXPECT_TRUE(engine_->get_image(repo_.id, digest_of(a)).ok());
  EXPECT_EQ(engine_->get_image(repo_.id, "latest").error().code, Errc::ImageNotFound);

  // Tag and digest must agree.
  EXPECT_EQ(engine_->delete_image(repo_.id, ImageId{digest_of(b), "v1"}).error().code, Errc::ImageNotFound);
  // Its last tag takes the image along.
  ASSERT_TRUE(engine_->delete_image(repo_.id, ImageId{digest_of(a), "v1"}).ok());
  EXPECT_EQ(engine_->get_image(repo_.id, digest_of(a)).error().code, Errc::ImageNotFound);

  // By digest, untagged.
  deleted = engine_->delete_image(repo_.id, ImageId{digest_of(b), ""});
  ASSERT_TRUE(deleted.ok());
  ASSERT_EQ(deleted->deleted.size(), 1u);
  EXPECT_EQ(deleted->deleted[0].tag, "");
  EXPECT_EQ(engine_->delete_image(repo_.id, ImageId{digest_of(b), ""}).error().code, Errc::ImageNotFound);
  EXPECT_EQ(engine_->delete_image(repo_.id, ImageId{"", "nope"}).error().code, Errc::ImageNotFound);

  auto log = events();
  ASSERT_EQ(log.size(), before + 3);
  for (size_t i = before; i < log.size(); ++i) EXPECT_EQ(log[i].detail["action-type"], "DELETE");
  EXPECT_EQ(log[before].detail["image-tag"], "latest");
  EXPECT_EQ(log[before + 1].detail["image-tag"], "v1");
  EXPECT_FALSE(log[before + 2].detail.contains("image-tag"));
}

TEST_F(EcrEngineTest, DeleteByDigestRemovesEveryTag) {
  std::string a = push_image("v1", "a");
  ASSERT_TRUE(put("v2", a).ok());
  auto deleted = engine_->delete_image(repo_.id, ImageId{digest_of(a), ""});
  ASSERT_TRUE(deleted.ok());
  ASSERT_EQ(deleted->deleted.size(), 2u);
  EXPECT_EQ(deleted->deleted[0].tag, "v1");
  EXPECT_EQ(deleted->deleted[1].tag, "v2");
  auto page = engine_->list_tags(repo_.id, -1, "");
  EXPECT_TRUE(page->tags.empty());
}

TEST_F(EcrEngineTest, ListTagsAndCatalogPaginate) {
  std::string a = push_image("c", "a");
  ASSERT_TRUE(put("a", a).ok());
  ASSERT_TRUE(put("b", a).ok());
  ASSERT_TRUE(put("B", a).ok());
  auto page = engine_->list_tags(repo_.id, 2, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->tags, (std::vector<std::string>{"B", "a"}));
  EXPECT_TRUE(page->more);
  page = engine_->list_tags(repo_.id, 2, "a");
  EXPECT_EQ(page->tags, (std::vector<std::string>{"b", "c"}));
  EXPECT_FALSE(page->more);
  page = engine_->list_tags(repo_.id, -1, "");
  EXPECT_EQ(page->tags.size(), 4u);
  EXPECT_FALSE(page->more);

  ASSERT_TRUE(create("zeta").ok());
  ASSERT_TRUE(create("beta/x").ok());
  auto catalog = engine_->catalog("123456789012", "us-east-1", 2, "");
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ(catalog->names, (std::vector<std::string>{"app", "beta/x"}));
  EXPECT_TRUE(catalog->more);
  catalog = engine_->catalog("123456789012", "us-east-1", 2, "beta/x");
  EXPECT_EQ(catalog->names, (std::vector<std::string>{"zeta"}));
  EXPECT_FALSE(catalog->more);
  EXPECT_TRUE(engine_->catalog("999999999999", "us-east-1", -1, "")->names.empty());
}

TEST_F(EcrEngineTest, Referrers) {
  std::string subject = push_image("v1", "a");
  push_blob("sbom");
  push_blob("{\"config\":\"a\"}");
  std::string sbom = image_manifest("{\"config\":\"a\"}", {"sbom"}, digest_of(subject));
  ASSERT_TRUE(put("", sbom).ok());
  auto found = engine_->referrers(repo_.id, digest_of(subject), "");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].digest, digest_of(sbom));
  EXPECT_EQ((*found)[0].manifest, sbom);
  EXPECT_EQ((*found)[0].artifact_type, "application/vnd.example.sbom");
  EXPECT_EQ(engine_->referrers(repo_.id, digest_of(subject), "application/vnd.example.sbom")->size(), 1u);
  EXPECT_TRUE(engine_->referrers(repo_.id, digest_of(subject), "application/other")->empty());
  EXPECT_TRUE(engine_->referrers(repo_.id, digest_of(sbom), "")->empty());
}

TEST_F(EcrEngineTest, RecordPullIsThrottled) {
  std::string a = push_image("v1", "a");
  engine_->record_pull(repo_.id, digest_of(a));
  common::TimePoint first = clock_.now();
  EXPECT_EQ(engine_->get_image(repo_.id, "v1")->last_pull, first);
  clock_.advance(std::chrono::seconds(30));
  engine_->record_pull(repo_.id, digest_of(a));
  EXPECT_EQ(engine_->get_image(repo_.id, "v1")->last_pull, first);
  clock_.advance(std::chrono::seconds(31));
  engine_->record_pull(repo_.id, digest_of(a));
  EXPECT_EQ(engine_->get_image(repo_.id, "v1")->last_pull, clock_.now());
}

// --- lifecycle ------------------------------------------------------------------------------

TEST_F(EcrEngineTest, LifecycleApplyExpiresImagesAndPublishesDeletes) {
  EXPECT_EQ(engine_->evaluate_lifecycle(repo_.id).error().code, Errc::LifecyclePolicyNotFound);
  std::string old = push_image("", "old");
  clock_.advance(std::chrono::hours(24 * 10));
  std::string recent = push_image("", "recent");
  std::string tagged = push_image("keep", "tagged");
  auto set = engine_->update_repository(ref("app"), [](Repository& r) -> Status {
    r.lifecycle_policy = R"({"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged",
      "countType":"sinceImagePushed","countUnit":"days","countNumber":5},"action":{"type":"expire"}}]})";
    return common::ok();
  });
  ASSERT_TRUE(set.ok());
  auto preview = engine_->evaluate_lifecycle(repo_.id);
  ASSERT_TRUE(preview.ok()) << preview.error().message;
  ASSERT_EQ(preview->size(), 1u);
  EXPECT_EQ((*preview)[0].digest, digest_of(old));
  EXPECT_TRUE(engine_->get_image(repo_.id, digest_of(old)).ok());  // a preview deletes nothing

  size_t before = events().size();
  auto applied = engine_->apply_lifecycle(repo_.id);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  ASSERT_EQ(applied->size(), 1u);
  EXPECT_EQ(engine_->get_image(repo_.id, digest_of(old)).error().code, Errc::ImageNotFound);
  EXPECT_TRUE(engine_->get_image(repo_.id, digest_of(recent)).ok());
  EXPECT_TRUE(engine_->get_image(repo_.id, "keep").ok());
  auto log = events();
  ASSERT_EQ(log.size(), before + 1);
  EXPECT_EQ(log.back().detail["action-type"], "DELETE");
  EXPECT_EQ(log.back().detail["image-digest"], digest_of(old));
  EXPECT_EQ(engine_->get_repository(ref("app"))->lifecycle_evaluated, clock_.now());

  // The sweep runs every repository's policy.
  clock_.advance(std::chrono::hours(24 * 6));
  engine_->apply_all_lifecycles();
  EXPECT_EQ(engine_->get_image(repo_.id, digest_of(recent)).error().code, Errc::ImageNotFound);
  EXPECT_TRUE(engine_->get_image(repo_.id, "keep").ok());
}

TEST_F(EcrEngineTest, ResetRemovesFiles) {
  push_image("v1", "a");
  auto upload = engine_->start_upload(repo_.id);
  ASSERT_TRUE(db_->reset_all().ok());
  engine_->on_reset();
  EXPECT_EQ(files_under("blobs"), 0u);
  EXPECT_EQ(files_under("uploads"), 0u);
  EXPECT_EQ(engine_->get_repository(ref("app")).error().code, Errc::RepositoryNotFound);
  EXPECT_EQ(engine_->upload_status(repo_.id, upload->uuid).error().code, Errc::UploadUnknown);
  // And it works afterwards.
  auto repo = create("app");
  ASSERT_TRUE(repo.ok());
  push_image("v1", "a", repo->id);
  EXPECT_EQ(files_under("blobs"), 2u);
}

}  // namespace
}  // namespace ecr
