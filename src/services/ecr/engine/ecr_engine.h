// ECR's storage: repositories, the blobs (layers, configs) each repository holds, upload
// sessions, images (manifests stored as the exact bytes pushed) and their tags, repository and
// lifecycle policies, resource tags. No HTTP, JSON wire shapes or AWS error strings here:
// failures are ecr::Error (model/errors.h); the API (api/) and the registry (registry/) pick the
// wire error.
//
// Bytes: blob files are content-addressed under <data_dir>/blobs/sha256/<ab>/<hex>, shared by
// every repository that links them (table ecr_repo_blobs). Uploads stream to
// <data_dir>/uploads/<uuid> while a SHA-256 runs over them; completing verifies the digest,
// fsyncs and renames the file into place (store::AtomicFile semantics), and only then commits
// the row that makes the blob visible. A crash leaves at most an upload file that a new
// session replaces; never a partial blob under its digest.
//
// Events: every manifest put publishes "ECR Image Action" PUSH (one per tag written) and
// every image or tag removal a DELETE event on the bus, in the same transaction.
//
// Thread-safe: every method may be called concurrently; each mutating call is one write
// transaction.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "events/bus.h"
#include "services/ecr/model/errors.h"
#include "services/ecr/model/lifecycle.h"
#include "store/db.h"

namespace ecr {

template <class T>
using Result = common::Result<T, Error>;
using Status = common::Status<Error>;

// Reads a request body: fills the buffer, returns bytes read, 0 at the end, -1 on error
// (http::BodyReader::read).
using Reader = std::function<long(char*, size_t)>;

struct RepoRef {
  std::string account;
  std::string region;
  std::string name;
};

struct Repository {
  int64_t id = 0;
  std::string account;
  std::string region;
  std::string name;
  std::string arn;
  common::TimePoint created{};
  std::string tag_mutability = "MUTABLE";  // MUTABLE | IMMUTABLE | IMMUTABLE_WITH_EXCLUSION | MUTABLE_WITH_EXCLUSION
  common::Json mutability_exclusions = common::Json::array();  // [{"filterType":"WILDCARD","filter":"dev-*"}]
  bool scan_on_push = false;
  std::string encryption_type = "AES256";  // AES256 | KMS | KMS_DSSE
  std::string kms_key;
  std::optional<std::string> policy;            // repository policy text, as set
  std::optional<std::string> lifecycle_policy;  // lifecycle policy text, as set
  std::optional<common::TimePoint> lifecycle_updated;
  std::optional<common::TimePoint> lifecycle_evaluated;  // last time the lifecycle ran

  // Whether a tag may not be overwritten (IMMUTABLE, or the exclusion filters' rule).
  bool tag_immutable(std::string_view tag) const;
};

using Tags = std::vector<std::pair<std::string, std::string>>;

struct CreateRepositoryInput {
  RepoRef ref;
  std::string tag_mutability = "MUTABLE";
  common::Json mutability_exclusions = common::Json::array();
  bool scan_on_push = false;
  std::string encryption_type = "AES256";
  std::string kms_key;
  Tags tags;
};

struct Image {
  std::string digest;               // "sha256:..."
  std::vector<std::string> tags;    // sorted
  std::string manifest;             // the exact bytes pushed
  std::string media_type;           // the manifest's media type
  std::string artifact_media_type;  // config.mediaType of image manifests ("" for indexes)
  int64_t size = 0;                 // imageSizeInBytes: sum of layer sizes
  common::TimePoint pushed_at{};
  std::optional<common::TimePoint> last_pull;
  std::optional<std::string> subject;  // OCI 1.1 subject digest
  std::string artifact_type;           // for the referrers API (oci::Manifest::artifact_type)
};

struct BlobInfo {
  std::string digest;
  int64_t size = 0;
  std::string path;  // the file to read (immutable once visible)
};

struct UploadState {
  std::string uuid;
  int64_t offset = 0;  // bytes received so far
};

struct PutManifestInput {
  std::string tag;              // "" = no tag (pushed by digest)
  std::string expected_digest;  // "" = none; else the digest the bytes must hash to
  std::string bytes;            // the manifest, verbatim
  std::string content_type;     // request Content-Type / PutImage imageManifestMediaType ("" = none)
  bool put_image_api = false;   // PutImage: the same manifest under the same tag (or with no
                                // tag, an existing digest) is ImageAlreadyExists
};

struct PutManifestOutput {
  Image image;
};

// One image id as BatchGetImage / BatchDeleteImage name it.
struct ImageId {
  std::string digest;  // "" = by tag
  std::string tag;     // "" = by digest
};

struct DeleteOutcome {
  std::vector<ImageId> deleted;  // as AWS lists them: {digest, tag} per tag removed (or {digest} when untagged)
};

struct TagPage {
  std::vector<std::string> tags;  // lexical order
  bool more = false;
};

struct CatalogPage {
  std::vector<std::string> names;  // lexical order
  bool more = false;
};

class EcrEngine {
 public:
  EcrEngine(store::Db& db, const common::Clock& clock, std::string data_dir, events::Bus& bus);
  ~EcrEngine();
  common::Status<> migrate();
  void on_reset();  // after the database was wiped: drop caches and files

  // --- repositories -----------------------------------------------------------------------
  Result<Repository> create_repository(const CreateRepositoryInput& input);
  Result<Repository> get_repository(const RepoRef& ref) const;
  // The account's repositories in the region, by name.
  Result<std::vector<Repository>> list_repositories(std::string_view account, std::string_view region) const;
  // RepositoryNotEmpty unless `force` or the repository has no images. Removes images, tags,
  // uploads and blob links; blob files nothing links any more are removed.
  Result<Repository> delete_repository(const RepoRef& ref, bool force);
  // Applies `change` to the stored repository in one transaction (mutability, scanning,
  // policies, lifecycle). `change` may fail with an Error that aborts the update.
  Result<Repository> update_repository(const RepoRef& ref, const std::function<Status(Repository&)>& change);

  // Resource tags (TagResource & co). TooManyTags past 50 tags.
  Result<Tags> resource_tags(const RepoRef& ref) const;
  Status tag_resource(const RepoRef& ref, const Tags& tags);
  Status untag_resource(const RepoRef& ref, const std::vector<std::string>& keys);

  // --- blobs ------------------------------------------------------------------------------
  // A blob linked to the repository and complete; nullopt otherwise.
  std::optional<BlobInfo> find_blob(int64_t repo_id, std::string_view digest) const;
  // Cross-repository mount: links `digest` into `to_repo` when `from_repo` has it.
  std::optional<BlobInfo> mount_blob(int64_t to_repo, int64_t from_repo, std::string_view digest);
  // Monolithic upload (POST ?digest=): streams `body` to disk, verifies it hashes to `digest`
  // (DigestInvalid) and has `expected_size` bytes when >= 0 (SizeInvalid), links it.
  Result<BlobInfo> put_blob(int64_t repo_id, std::string_view digest, const Reader& body, int64_t expected_size);

  Result<UploadState> start_upload(int64_t repo_id);
  Result<UploadState> upload_status(int64_t repo_id, std::string_view uuid) const;
  // Appends a chunk. `start`, when given (Content-Range / partFirstByte), must equal the
  // current offset (UploadInvalid otherwise). A broken body fails the chunk but keeps the
  // session usable from its last good offset.
  Result<UploadState> append_upload(int64_t repo_id, std::string_view uuid, std::optional<int64_t> start,
                                    const Reader& body);
  // Finishes a session (optionally with a last chunk), verifying `digest`; links the blob.
  Result<BlobInfo> complete_upload(int64_t repo_id, std::string_view uuid, std::string_view digest,
                                   const Reader* last_chunk);
  Status cancel_upload(int64_t repo_id, std::string_view uuid);

  // --- images -----------------------------------------------------------------------------
  // Validates (oci::parse_manifest), checks that every referenced blob (config, layers) or
  // child manifest (indexes) is in the repository (ManifestBlobUnknown naming the first
  // missing digest), enforces tag immutability, stores bytes verbatim, points the tag at it,
  // publishes the PUSH event.
  Result<PutManifestOutput> put_manifest(int64_t repo_id, const PutManifestInput& input);
  // By tag or by digest (ImageNotFound).
  Result<Image> get_image(int64_t repo_id, std::string_view reference) const;
  // Notes a pull for lastRecordedPullTime (cheap: at most one write per image per minute).
  void record_pull(int64_t repo_id, std::string_view digest);
  // tag_status: "TAGGED" | "UNTAGGED" | "ANY". Newest first.
  Result<std::vector<Image>> list_images(int64_t repo_id, std::string_view tag_status) const;
  // By digest: the image and all its tags (ImageReferenced when an index in the repository
  // lists it). By tag: the tag; the image goes too when it was its last tag. DELETE events.
  Result<DeleteOutcome> delete_image(int64_t repo_id, const ImageId& id);
  // Tag listing for /v2/<name>/tags/list: tags after `last` (exclusive), at most n (n < 0 = all).
  Result<TagPage> list_tags(int64_t repo_id, int n, std::string_view last) const;
  // Repository names of an account/region for /v2/_catalog.
  Result<CatalogPage> catalog(std::string_view account, std::string_view region, int n, std::string_view last) const;
  // Images in the repository whose subject is `digest`, optionally of one artifact type.
  Result<std::vector<Image>> referrers(int64_t repo_id, std::string_view digest, std::string_view artifact_type) const;

  // --- lifecycle --------------------------------------------------------------------------
  // What the repository's lifecycle policy expires now (a preview: nothing is deleted).
  Result<std::vector<LifecycleAction>> evaluate_lifecycle(int64_t repo_id) const;
  // Runs the policy: deletes what it expires (DELETE events), records the evaluation time.
  Result<std::vector<LifecycleAction>> apply_lifecycle(int64_t repo_id);
  // Every repository with a lifecycle policy (the background sweep and clock changes).
  void apply_all_lifecycles();

  const std::string& data_dir() const { return data_dir_; }

 private:
  store::Db& db_;
  const common::Clock& clock_;
  std::string data_dir_;
  events::Bus& bus_;
  struct Internals;
  std::unique_ptr<Internals> internals_;  // upload hash states, pull-time throttle
};

}  // namespace ecr
