// Object versions: put, get, delete (markers), copy (shared segments), tags.
#include "services/s3/engine/internal.h"
#include "services/s3/model/names.h"

namespace s3 {

namespace {

std::optional<Error> check_object(const PutObjectInput& input) {
  if (auto e = check_key(input.key)) return e;
  if (auto e = check_metadata(input.metadata)) return e;
  if (auto e = check_object_tags(input.tags)) return e;
  return std::nullopt;
}

// The new version `input` describes, without its bytes.
ObjectVersion describe(const PutObjectInput& input, common::TimePoint now) {
  ObjectVersion v;
  v.bucket = input.bucket;
  v.key = input.key;
  v.is_latest = true;
  v.last_modified = now;
  v.headers = input.headers;
  v.metadata = input.metadata;
  v.tags = input.tags;
  v.storage_class = input.storage_class.empty() ? "STANDARD" : input.storage_class;
  v.owner_account = input.owner_account;
  return v;
}

PutObjectOutput output_of(const ObjectVersion& v) {
  PutObjectOutput out;
  out.version_id = v.version_id;
  out.etag = v.etag;
  out.size = v.size;
  out.last_modified = v.last_modified;
  return out;
}

}  // namespace

Result<PutObjectOutput> S3Engine::put_object(PutObjectInput input) {
  EngineState& state = *state_;
  auto put = [&]() -> Result<PutObjectOutput> {
    if (auto e = check_object(input)) return common::fail(std::move(*e));
    if (input.data.size > kMaxPutSize) {
      return common::fail(make_error(Reason::EntityTooLarge, "Your proposed upload exceeds the maximum allowed size"));
    }
    auto bucket = find_bucket(state, input.bucket);
    if (!bucket.ok()) return common::fail(bucket.error());
    ObjectVersion v = describe(input, state.clock.now());
    v.size = input.data.size;
    v.etag = "\"" + input.data.md5_hex + "\"";
    v.checksums = input.data.checksums;
    if (!v.checksums.empty()) v.checksum_type = input.checksum_type.empty() ? "FULL_OBJECT" : input.checksum_type;
    v.inline_data = std::move(input.data.inline_data);

    store::Transaction tx(state.db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(storage_error(tx.error()));
    auto versioning = current_versioning(state, *bucket);
    if (!versioning.ok()) return common::fail(versioning.error());
    if (auto r = check_files(state, input.data.segments); !r.ok()) return common::fail(r.error());
    std::vector<std::string> released;
    if (auto r = write_version(state, bucket->id, *versioning, v, input.data.segments, released); !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = commit_and_reap(state, tx, std::move(released)); !r.ok()) return common::fail(r.error());
    return output_of(v);
  };
  auto result = put();
  if (!result.ok()) discard(input.data);  // after the transaction: discard takes its own
  return result;
}

Result<ObjectVersion> S3Engine::get_object(const ObjectRef& ref) {
  auto bucket = find_bucket(*state_, ref.bucket);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto found = resolve_version(*state_, *bucket, ref.key, ref.version_id);
  if (!found.ok()) return common::fail(found.error());
  return std::move(found->version);
}

Result<DeleteOutput> S3Engine::delete_object(const ObjectRef& ref) {
  EngineState& state = *state_;
  auto bucket = find_bucket(state, ref.bucket);
  if (!bucket.ok()) return common::fail(bucket.error());
  if (!ref.version_id.empty() && !valid_version_id(ref.version_id)) {
    return common::fail(make_error(Reason::InvalidArgument, "Invalid version id specified"));
  }
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto versioning = current_versioning(state, *bucket);
  if (!versioning.ok()) return common::fail(versioning.error());
  std::vector<std::string> released;
  DeleteOutput out;

  if (!ref.version_id.empty() || versioning->empty()) {
    // Exactly one version goes: the one named, or the null version of an unversioned bucket.
    std::string version_id = ref.version_id.empty() ? "null" : ref.version_id;
    auto found = state.objects.find(bucket->id, ref.key, version_id);
    if (!found.ok()) return common::fail(found.error());
    if (!found->has_value()) return out;  // deleting what does not exist succeeds
    if (auto r = remove_version(state, **found, released); !r.ok()) return common::fail(r.error());
    if (!ref.version_id.empty()) {
      out.delete_marker = (*found)->delete_marker;
      out.version_id = version_id;
    }
  } else {
    // Enabled: a new delete marker; Suspended: a "null" marker replacing the null version.
    ObjectVersion marker;
    marker.key = ref.key;
    marker.delete_marker = true;
    marker.last_modified = state.clock.now();
    marker.owner_account = bucket->owner_account;
    marker.storage_class.clear();
    if (auto r = write_version(state, bucket->id, *versioning, marker, {}, released); !r.ok()) {
      return common::fail(r.error());
    }
    out.delete_marker = true;
    out.version_id = marker.version_id;
  }
  if (auto r = commit_and_reap(state, tx, std::move(released)); !r.ok()) return common::fail(r.error());
  return out;
}

Result<PutObjectOutput> S3Engine::copy_object(const ObjectRef& source, PutObjectInput target,
                                              CopyDirectives directives) {
  EngineState& state = *state_;
  if (auto e = check_object(target)) return common::fail(std::move(*e));
  auto source_bucket = find_bucket(state, source.bucket);
  if (!source_bucket.ok()) return common::fail(source_bucket.error());
  auto target_bucket = find_bucket(state, target.bucket);
  if (!target_bucket.ok()) return common::fail(target_bucket.error());

  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  // Read under the write lock: the source's files cannot go before the copy references them.
  auto found = resolve_version(state, *source_bucket, source.key, source.version_id);
  if (!found.ok()) return common::fail(found.error());
  ObjectVersion& src = found->version;
  if (src.size > kMaxPutSize) {
    return common::fail(make_error(Reason::InvalidRequest,
                                   "The specified copy source is larger than the maximum allowable size for a copy "
                                   "source: " +
                                       std::to_string(kMaxPutSize)));
  }
  std::string storage_class = target.storage_class.empty() ? "STANDARD" : target.storage_class;
  if (source.bucket == target.bucket && source.key == target.key && src.is_latest && directives.copy_metadata &&
      storage_class == src.storage_class && target.headers.website_redirect_location.empty()) {
    return common::fail(make_error(Reason::InvalidRequest,
                                   "This copy request is illegal because it is trying to copy an object to itself "
                                   "without changing the object's metadata, storage class, website redirect location "
                                   "or encryption attributes."));
  }
  auto versioning = current_versioning(state, *target_bucket);
  if (!versioning.ok()) return common::fail(versioning.error());

  ObjectVersion v = describe(target, state.clock.now());
  if (directives.copy_metadata) {
    v.headers = src.headers;
    v.metadata = src.metadata;
  }
  if (directives.copy_tags) v.tags = src.tags;
  v.size = src.size;
  v.etag = src.etag;
  v.checksums = src.checksums;
  v.checksum_type = src.checksum_type;
  v.part_sizes = src.part_sizes;
  v.parts_count = src.parts_count;
  v.inline_data = std::move(src.inline_data);
  std::vector<std::string> released;
  if (auto r = write_version(state, target_bucket->id, *versioning, v, src.segments, released); !r.ok()) {
    return common::fail(r.error());
  }
  if (auto r = commit_and_reap(state, tx, std::move(released)); !r.ok()) return common::fail(r.error());
  PutObjectOutput out = output_of(v);
  out.source_version_id = src.version_id;
  return out;
}

Status S3Engine::put_object_tags(const ObjectRef& ref, std::vector<Tag> tags, std::string* version_id) {
  EngineState& state = *state_;
  if (auto e = check_object_tags(tags)) return common::fail(std::move(*e));
  auto bucket = find_bucket(state, ref.bucket);
  if (!bucket.ok()) return common::fail(bucket.error());
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto found = resolve_version(state, *bucket, ref.key, ref.version_id);
  if (!found.ok()) return common::fail(found.error());
  if (auto r = state.objects.set_tags(found->id, tags); !r.ok()) return r;
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  if (version_id != nullptr) *version_id = found->version.version_id;
  return common::ok();
}

}  // namespace s3
