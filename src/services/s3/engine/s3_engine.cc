// S3Engine: construction, start-up and reset, object data in and out, and the steps the
// operations share (internal.h). Buckets are in buckets.cc, objects in objects.cc, listings in
// listing.cc, multipart uploads in multipart.cc.
#include "services/s3/engine/s3_engine.h"

#include <algorithm>
#include <unordered_set>

#include "common/log.h"
#include "services/s3/engine/internal.h"
#include "services/s3/engine/migrations.h"
#include "services/s3/model/names.h"

namespace s3 {

S3Engine::S3Engine(store::Db& db, const common::Clock& clock, std::string data_dir)
    : state_(std::make_unique<State>(db, clock, std::move(data_dir))) {
  state_->files.prepare();
}

S3Engine::~S3Engine() = default;

Status S3Engine::migrate() {
  if (auto r = state_->db.migrate("s3", migrations()); !r.ok()) return common::fail(storage_error(r.error()));
  // Data files no row references: a crash between a commit and the unlink that followed it.
  std::vector<std::string> on_disk = state_->files.list();
  if (on_disk.empty()) return common::ok();
  store::Transaction tx(state_->db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto referenced = state_->segments.referenced_files();
  if (!referenced.ok()) return common::fail(referenced.error());
  std::unordered_set<std::string> keep(referenced->begin(), referenced->end());
  std::vector<std::string> unreferenced;
  for (std::string& file : on_disk) {
    if (!keep.count(file)) unreferenced.push_back(std::move(file));
  }
  if (!unreferenced.empty()) {
    state_->files.remove(unreferenced);
    std::string names;
    for (size_t i = 0; i < unreferenced.size() && i < 20; ++i) {
      if (i > 0) names += ' ';
      names += unreferenced[i];
    }
    common::log::info("s3: removed {} data file(s) no object or part referenced: {}{}", unreferenced.size(), names,
                      unreferenced.size() > 20 ? " ..." : "");
  }
  return common::ok();
}

void S3Engine::on_reset() {
  // Under the write lock: no write that references a data file is half-way. Data stored but not
  // yet committed is lost with the rest; its put fails (check_files).
  store::Transaction tx(state_->db, store::Transaction::Mode::Write);
  state_->files.remove_all();
  state_->bucket_cache.invalidate();
}

Result<StoredData> S3Engine::store_data(const std::function<long(char*, size_t)>& read, int64_t size_hint,
                                        const std::vector<std::string>& checksums) {
  auto algorithms = parse_algorithms(checksums);
  if (!algorithms.ok()) return common::fail(algorithms.error());
  return state_->files.store(read, size_hint, *algorithms);
}

void S3Engine::discard(const StoredData& data) {
  if (data.segments.empty()) return;
  store::Transaction tx(state_->db, store::Transaction::Mode::Write);
  if (!tx.ok()) {
    common::log::warn("s3: cannot discard data: {}", tx.error().message);
    return;
  }
  std::vector<std::string> files;
  for (const Segment& segment : data.segments) files.push_back(segment.file);
  if (auto r = commit_and_reap(*state_, tx, std::move(files)); !r.ok()) {
    common::log::warn("s3: cannot discard data: {}", r.error().message);
  }
}

std::string S3Engine::file_path(const std::string& file) const { return state_->files.path(file); }

Status S3Engine::read_data(const ObjectVersion& object, const std::function<void(std::string_view)>& sink) const {
  if (object.segments.empty()) {
    if (!object.inline_data.empty()) sink(object.inline_data);
    return common::ok();
  }
  if (!state_->files.read(object.segments, sink).ok()) return common::fail(no_such_key());
  return common::ok();
}

// --- shared steps (internal.h)

Error no_such_key() { return make_error(Reason::NoSuchKey, "The specified key does not exist."); }

Error no_such_upload() {
  return make_error(Reason::NoSuchUpload,
                    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
                    "aborted or completed.");
}

int clamp_max(int max) { return std::clamp(max, 0, 1000); }

Result<Bucket> find_bucket(EngineState& state, std::string_view name) {
  if (auto cached = state.bucket_cache.get(name)) return std::move(*cached);
  uint64_t generation = state.bucket_cache.generation();
  auto found = state.buckets.by_name(name);
  if (!found.ok()) return common::fail(found.error());
  if (!found->has_value()) return common::fail(make_error(Reason::NoSuchBucket, "The specified bucket does not exist"));
  state.bucket_cache.put(generation, **found);
  return std::move(**found);
}

Result<std::string> current_versioning(EngineState& state, const Bucket& bucket) {
  auto versioning = state.buckets.versioning(bucket.id);
  if (!versioning.ok()) return common::fail(versioning.error());
  if (!versioning->has_value()) {
    return common::fail(make_error(Reason::NoSuchBucket, "The specified bucket does not exist"));
  }
  return std::move(**versioning);
}

Result<StoredVersion> resolve_version(EngineState& state, const Bucket& bucket, std::string_view key,
                                      std::string_view version_id) {
  auto marker_error = [](Reason reason, std::string message, const ObjectVersion& marker) {
    Error e = make_error(reason, std::move(message));
    e.delete_marker = true;
    e.version_id = marker.version_id;
    e.last_modified = marker.last_modified;
    return e;
  };
  if (version_id.empty()) {
    auto latest = state.objects.latest(bucket.id, key);
    if (!latest.ok()) return common::fail(latest.error());
    if (!latest->has_value()) return common::fail(no_such_key());
    StoredVersion& found = **latest;
    if (found.version.delete_marker) {
      return common::fail(marker_error(Reason::NoSuchKey, "The specified key does not exist.", found.version));
    }
    found.version.bucket = bucket.name;
    return std::move(found);
  }
  if (!valid_version_id(version_id)) {
    return common::fail(make_error(Reason::InvalidArgument, "Invalid version id specified"));
  }
  auto version = state.objects.version(bucket.id, key, version_id);
  if (!version.ok()) return common::fail(version.error());
  if (!version->has_value()) {
    return common::fail(make_error(Reason::NoSuchVersion, "The specified version does not exist."));
  }
  StoredVersion& found = **version;
  if (found.version.delete_marker) {
    return common::fail(marker_error(Reason::MethodNotAllowed,
                                     "The specified method is not allowed against this resource.", found.version));
  }
  found.version.bucket = bucket.name;
  return std::move(found);
}

Status write_version(EngineState& state, int64_t bucket_id, std::string_view versioning, ObjectVersion& version,
                     const std::vector<Segment>& segments, std::vector<std::string>& released) {
  if (versioning == "Enabled") {
    version.version_id = new_version_id();
  } else {
    version.version_id = "null";
    auto existing = state.objects.find(bucket_id, version.key, "null");
    if (!existing.ok()) return common::fail(existing.error());
    if (existing->has_value()) {
      if (auto r = remove_version(state, **existing, released); !r.ok()) return r;
    }
  }
  bool in_files = !segments.empty();
  auto id = state.objects.insert(bucket_id, version, in_files);
  if (!id.ok()) return common::fail(id.error());
  if (in_files) return state.segments.add(SegmentOwner::Version, *id, segments);
  return common::ok();
}

Status remove_version(EngineState& state, const VersionHandle& version, std::vector<std::string>& released) {
  if (version.in_files) {
    if (auto r = state.segments.release(SegmentOwner::Version, version.id, released); !r.ok()) return r;
  }
  return state.objects.remove(version.id);
}

Status check_files(EngineState& state, const std::vector<Segment>& segments) {
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0 && segments[i].file == segments[i - 1].file) continue;
    if (!state.files.exists(segments[i].file)) {
      return common::fail(make_error(
          Reason::Storage, "data file " + segments[i].file + " is gone (the source was deleted or the store reset)"));
    }
  }
  return common::ok();
}

Status commit_and_reap(EngineState& state, store::Transaction& tx, std::vector<std::string> released) {
  std::sort(released.begin(), released.end());
  released.erase(std::unique(released.begin(), released.end()), released.end());
  std::vector<std::string> orphans;
  for (std::string& file : released) {
    auto referenced = state.segments.referenced(file);
    if (!referenced.ok()) return common::fail(referenced.error());
    if (!*referenced) orphans.push_back(std::move(file));
  }
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  state.files.remove(orphans);
  return common::ok();
}

}  // namespace s3
