// The SQL of buckets: s3_buckets (one row per bucket, names unique across accounts) and
// s3_bucket_configs (documents stored as given: tagging, notification...). Callers own
// transactions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/s3/engine/s3_engine.h"

namespace s3 {

class BucketRepo {
 public:
  explicit BucketRepo(store::Db& db) : db_(db) {}

  Result<std::optional<Bucket>> by_name(std::string_view name);
  // The versioning state of a bucket by id, read inside a write transaction; nullopt when the
  // bucket is gone.
  Result<std::optional<std::string>> versioning(int64_t id);
  Result<std::vector<Bucket>> owned_by(const std::string& account);
  Result<int64_t> insert(const Bucket& bucket);
  Status remove(int64_t id);
  Status set_versioning(int64_t id, const std::string& status);
  Status set_policy(int64_t id, const std::optional<std::string>& policy);

  Result<std::optional<std::string>> config(int64_t id, std::string_view kind);
  Status put_config(int64_t id, std::string_view kind, const std::optional<std::string>& value);

  // True while any object version, delete marker or multipart upload remains.
  Result<bool> has_contents(int64_t id);

 private:
  store::Db& db_;
};

}  // namespace s3
