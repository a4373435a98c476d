// What the EcrEngine's .cc files share: the engine's state and the steps several operations
// take. Repositories are in repositories.cc, blobs and uploads in blobs.cc, images in
// images.cc (their rows in image_rows.cc), lifecycle runs in lifecycle_runs.cc.
#pragma once

#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/ecr/engine/blob_files.h"
#include "services/ecr/engine/ecr_engine.h"
#include "services/ecr/engine/repo_cache.h"
#include "services/ecr/engine/upload_sessions.h"

namespace ecr {

struct EngineState {
  EngineState(store::Db& db, const common::Clock& clock, const std::string& data_dir, events::Bus& bus)
      : db(db), clock(clock), bus(bus), files(data_dir) {}

  store::Db& db;
  const common::Clock& clock;
  events::Bus& bus;
  BlobFiles files;
  RepoCache repos;  // invalidated after every committed repository change
  UploadSessions uploads;
  // Blob files are removed only under this lock held exclusively (delete_repository); a
  // publisher holds it shared from the moment it relies on a blob file existing until the rows
  // linking it commit, so no commit ever links a file being removed.
  std::shared_mutex blob_files_lock;

  std::mutex pulls_mutex;  // record_pull's throttle: (repo id, digest) -> last write
  std::unordered_map<std::string, common::TimePoint> pulls;
};

struct EcrEngine::Internals : EngineState {
  using EngineState::EngineState;
};

// --- repositories (repositories.cc) ---
Result<Repository> find_repository(EngineState& state, const RepoRef& ref);
Result<Repository> find_repository(EngineState& state, int64_t id);
// Read inside the caller's transaction, bypassing the cache.
Result<std::optional<Repository>> read_repository(store::Db& db, int64_t id);
Error repository_not_found(std::string_view account, std::string_view name);

// --- images (image_rows.cc) ---
// The image `digest` in the repository, without tags; nullopt when absent.
Result<std::optional<Image>> read_image(store::Db& db, int64_t repo_id, std::string_view digest, bool with_manifest);
// The image's tags, sorted.
Result<std::vector<std::string>> read_image_tags(store::Db& db, int64_t repo_id, std::string_view digest);
// The digest `tag` points at; nullopt when the tag does not exist.
Result<std::optional<std::string>> read_tag(store::Db& db, int64_t repo_id, std::string_view tag);
// Whether an index in the repository lists `digest`.
Result<bool> is_referenced(store::Db& db, int64_t repo_id, std::string_view digest);
// Appends an "ECR Image Action" event for `action` ("PUSH" | "DELETE"); `tag` "" = none.
Status append_image_event(EngineState& state, const Repository& repo, std::string_view action, std::string_view digest,
                          std::string_view tag, std::string_view media_type, std::string_view artifact_media_type);
// EcrEngine::delete_image inside the caller's write transaction (events appended).
Result<DeleteOutcome> delete_image_in_tx(EngineState& state, const Repository& repo, const ImageId& id);

}  // namespace ecr
