// Buckets: global names, one owner, versioning, policy and other per-bucket documents.
#include "services/s3/engine/internal.h"
#include "services/s3/model/names.h"

namespace s3 {

namespace {

Error no_such_bucket() { return make_error(Reason::NoSuchBucket, "The specified bucket does not exist"); }

}  // namespace

Result<Bucket> S3Engine::create_bucket(const std::string& account, const std::string& region, const std::string& name) {
  if (!valid_bucket_name(name))
    return common::fail(make_error(Reason::InvalidBucketName, "The specified bucket is not valid."));
  EngineState& state = *state_;
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto existing = state.buckets.by_name(name);
  if (!existing.ok()) return common::fail(existing.error());
  if (existing->has_value()) {
    const Bucket& bucket = **existing;
    if (bucket.owner_account != account) {
      return common::fail(make_error(Reason::BucketAlreadyExists,
                                     "The requested bucket name is not available. The bucket namespace is shared by "
                                     "all users of the system. Please select a different name and try again."));
    }
    // AWS's legacy us-east-1 behaviour: re-creating your own bucket there succeeds.
    if (region == "us-east-1" && bucket.region == "us-east-1") return std::move(**existing);
    return common::fail(
        make_error(Reason::BucketAlreadyOwnedByYou,
                   "Your previous request to create the named bucket succeeded and you already own it."));
  }
  Bucket bucket;
  bucket.name = name;
  bucket.owner_account = account;
  bucket.region = region;
  bucket.created = state.clock.now();
  auto id = state.buckets.insert(bucket);
  if (!id.ok()) return common::fail(id.error());
  bucket.id = *id;
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  state.bucket_cache.invalidate();
  return bucket;
}

Result<Bucket> S3Engine::get_bucket(std::string_view name) { return find_bucket(*state_, name); }

Result<std::vector<Bucket>> S3Engine::list_buckets(const std::string& account) {
  return state_->buckets.owned_by(account);
}

Status S3Engine::delete_bucket(const std::string& name) {
  EngineState& state = *state_;
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto bucket = state.buckets.by_name(name);
  if (!bucket.ok()) return common::fail(bucket.error());
  if (!bucket->has_value()) return common::fail(no_such_bucket());
  auto contents = state.buckets.has_contents((*bucket)->id);
  if (!contents.ok()) return common::fail(contents.error());
  if (*contents) {
    return common::fail(make_error(Reason::BucketNotEmpty, (*bucket)->versioning.empty()
                                                               ? "The bucket you tried to delete is not empty"
                                                               : "The bucket you tried to delete is not empty. You "
                                                                 "must delete all versions in the bucket."));
  }
  if (auto r = state.buckets.remove((*bucket)->id); !r.ok()) return r;
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  state.bucket_cache.invalidate();
  return common::ok();
}

Status S3Engine::set_versioning(const std::string& bucket, const std::string& status) {
  if (status != "Enabled" && status != "Suspended") {
    return common::fail(make_error(Reason::InvalidArgument, "Versioning status must be Enabled or Suspended"));
  }
  EngineState& state = *state_;
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto found = state.buckets.by_name(bucket);
  if (!found.ok()) return common::fail(found.error());
  if (!found->has_value()) return common::fail(no_such_bucket());
  if (auto r = state.buckets.set_versioning((*found)->id, status); !r.ok()) return r;
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  state.bucket_cache.invalidate();
  return common::ok();
}

Status S3Engine::set_policy(const std::string& bucket, std::optional<std::string> policy) {
  EngineState& state = *state_;
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto found = state.buckets.by_name(bucket);
  if (!found.ok()) return common::fail(found.error());
  if (!found->has_value()) return common::fail(no_such_bucket());
  if (auto r = state.buckets.set_policy((*found)->id, policy); !r.ok()) return r;
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  state.bucket_cache.invalidate();
  return common::ok();
}

Result<std::optional<std::string>> S3Engine::get_config(const std::string& bucket, std::string_view kind) {
  auto found = find_bucket(*state_, bucket);
  if (!found.ok()) return common::fail(found.error());
  return state_->buckets.config(found->id, kind);
}

Status S3Engine::put_config(const std::string& bucket, std::string_view kind, std::optional<std::string> value) {
  EngineState& state = *state_;
  auto found = find_bucket(state, bucket);
  if (!found.ok()) return common::fail(found.error());
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  if (auto exists = current_versioning(state, *found); !exists.ok()) return common::fail(exists.error());
  if (auto r = state.buckets.put_config(found->id, kind, value); !r.ok()) return r;
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  return common::ok();
}

}  // namespace s3
