// What the S3Engine's .cc files share: the engine's state and the steps several operations
// take (resolve a version, write one, commit and remove the data files nothing references).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/s3/engine/bucket_cache.h"
#include "services/s3/engine/bucket_repo.h"
#include "services/s3/engine/data_files.h"
#include "services/s3/engine/object_repo.h"
#include "services/s3/engine/s3_engine.h"
#include "services/s3/engine/segment_repo.h"
#include "services/s3/engine/upload_repo.h"

namespace s3 {

struct EngineState {
  EngineState(store::Db& db, const common::Clock& clock, std::string data_dir)
      : db(db), clock(clock), files(std::move(data_dir)), buckets(db), objects(db), segments(db), uploads(db) {}

  store::Db& db;
  const common::Clock& clock;
  DataFiles files;
  BucketRepo buckets;
  ObjectRepo objects;
  SegmentRepo segments;
  UploadRepo uploads;
  BucketCache bucket_cache;  // invalidated after every committed bucket change
};

// The engine's state (S3Engine::State is declared in the header; every .cc sees it as the
// EngineState the helpers below take).
struct S3Engine::State : EngineState {
  using EngineState::EngineState;
};

// The bucket (through the cache); NoSuchBucket.
Result<Bucket> find_bucket(EngineState& state, std::string_view name);
// The bucket's versioning state read inside the caller's write transaction (the cache may be a
// moment old); NoSuchBucket when it was deleted meanwhile.
Result<std::string> current_versioning(EngineState& state, const Bucket& bucket);

// The version `version_id` names ("" = latest), with its bytes, as GET sees it: NoSuchKey when
// there is none or the latest is a delete marker (Error.delete_marker set), MethodNotAllowed
// for a marker named by id, NoSuchVersion / InvalidArgument for unknown / malformed ids.
Result<StoredVersion> resolve_version(EngineState& state, const Bucket& bucket, std::string_view key,
                                      std::string_view version_id);

// Adds `version` to a key as the bucket's versioning says: Enabled gets a fresh version id;
// otherwise it becomes the "null" version, replacing (and releasing) any existing one. Fills
// version.version_id. The bytes are `version.inline_data` or `segments`. Files whose references
// went are appended to `released` (see commit_and_reap).
Status write_version(EngineState& state, int64_t bucket_id, std::string_view versioning, ObjectVersion& version,
                     const std::vector<Segment>& segments, std::vector<std::string>& released);
// Removes a version row and its segment references.
Status remove_version(EngineState& state, const VersionHandle& version, std::vector<std::string>& released);

// Every segment's file must still exist (data stored before a reset, or a slice of an object
// deleted since, is gone): checked inside the write transaction, where no file is removed.
Status check_files(EngineState& state, const std::vector<Segment>& segments);

// Finds which of the `released` files nothing references any more, commits, then unlinks them
// while the write lock is still held (before `tx` goes out of scope), so no copy can take a new
// reference to a file being removed.
Status commit_and_reap(EngineState& state, store::Transaction& tx, std::vector<std::string> released);

Error no_such_key();
Error no_such_upload();
int clamp_max(int max);

}  // namespace s3
