#include "services/s3/engine/bucket_repo.h"

#include "services/s3/engine/sql.h"

namespace s3 {
namespace {

constexpr std::string_view kColumns = "id, name, owner, region, created, versioning, policy";

Bucket read_bucket(const store::Statement& s) {
  Bucket b;
  b.id = s.integer(0);
  b.name = s.text(1);
  b.owner_account = s.text(2);
  b.region = s.text(3);
  b.created = from_millis(s.integer(4));
  b.versioning = s.text(5);
  b.policy = s.optional_text(6);
  return b;
}

}  // namespace

Result<std::optional<Bucket>> BucketRepo::by_name(std::string_view name) {
  std::optional<Bucket> found;
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM s3_buckets WHERE name = ?1";
  auto r = Sql::query(
      db_, sql, [&](store::Statement& s) { s.bind(1, name); },
      [&](store::Statement& s) {
        found = read_bucket(s);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

Result<std::optional<std::string>> BucketRepo::versioning(int64_t id) {
  std::optional<std::string> found;
  auto r = Sql::query(
      db_, "SELECT versioning FROM s3_buckets WHERE id = ?1", [&](store::Statement& s) { s.bind(1, id); },
      [&](store::Statement& s) {
        found = s.text(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

Result<std::vector<Bucket>> BucketRepo::owned_by(const std::string& account) {
  std::vector<Bucket> out;
  static const std::string sql = "SELECT " + std::string(kColumns) + " FROM s3_buckets WHERE owner = ?1 ORDER BY name";
  auto r = Sql::query(
      db_, sql, [&](store::Statement& s) { s.bind(1, account); },
      [&](store::Statement& s) {
        out.push_back(read_bucket(s));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<int64_t> BucketRepo::insert(const Bucket& bucket) {
  int64_t id = 0;
  auto r = Sql::query(
      db_,
      "INSERT INTO s3_buckets (name, owner, region, created, versioning, policy) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "RETURNING id",
      [&](store::Statement& s) {
        s.bind(1, bucket.name)
            .bind(2, bucket.owner_account)
            .bind(3, bucket.region)
            .bind(4, to_millis(bucket.created))
            .bind(5, bucket.versioning)
            .bind(6, bucket.policy);
      },
      [&](store::Statement& s) {
        id = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return id;
}

Status BucketRepo::remove(int64_t id) {
  if (auto r = Sql::execute(db_, "DELETE FROM s3_bucket_configs WHERE bucket_id = ?1",
                            [&](store::Statement& s) { s.bind(1, id); });
      !r.ok()) {
    return r;
  }
  return Sql::execute(db_, "DELETE FROM s3_buckets WHERE id = ?1", [&](store::Statement& s) { s.bind(1, id); });
}

Status BucketRepo::set_versioning(int64_t id, const std::string& status) {
  return Sql::execute(db_, "UPDATE s3_buckets SET versioning = ?2 WHERE id = ?1",
                      [&](store::Statement& s) { s.bind(1, id).bind(2, status); });
}

Status BucketRepo::set_policy(int64_t id, const std::optional<std::string>& policy) {
  return Sql::execute(db_, "UPDATE s3_buckets SET policy = ?2 WHERE id = ?1",
                      [&](store::Statement& s) { s.bind(1, id).bind(2, policy); });
}

Result<std::optional<std::string>> BucketRepo::config(int64_t id, std::string_view kind) {
  std::optional<std::string> found;
  auto r = Sql::query(
      db_, "SELECT value FROM s3_bucket_configs WHERE bucket_id = ?1 AND kind = ?2",
      [&](store::Statement& s) { s.bind(1, id).bind(2, kind); },
      [&](store::Statement& s) {
        found = s.text(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

Status BucketRepo::put_config(int64_t id, std::string_view kind, const std::optional<std::string>& value) {
  if (!value) {
    return Sql::execute(db_, "DELETE FROM s3_bucket_configs WHERE bucket_id = ?1 AND kind = ?2",
                        [&](store::Statement& s) { s.bind(1, id).bind(2, kind); });
  }
  return Sql::execute(db_,
                      "INSERT INTO s3_bucket_configs (bucket_id, kind, value) VALUES (?1, ?2, ?3) "
                      "ON CONFLICT (bucket_id, kind) DO UPDATE SET value = excluded.value",
                      [&](store::Statement& s) { s.bind(1, id).bind(2, kind).bind(3, *value); });
}

Result<bool> BucketRepo::has_contents(int64_t id) {
  bool found = false;
  auto r = Sql::query(
      db_,
      "SELECT EXISTS (SELECT 1 FROM s3_objects WHERE bucket_id = ?1) OR "
      "EXISTS (SELECT 1 FROM s3_uploads WHERE bucket_id = ?1)",
      [&](store::Statement& s) { s.bind(1, id); },
      [&](store::Statement& s) {
        found = s.integer(0) != 0;
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

}  // namespace s3
