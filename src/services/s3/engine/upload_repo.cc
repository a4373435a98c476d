#include "services/s3/engine/upload_repo.h"

#include "services/s3/engine/row_codec.h"
#include "services/s3/engine/sql.h"

namespace s3 {
namespace {

#define S3_UPLOAD_COLUMNS                                                                                         \
  "u.id, u.bucket_id, u.key, u.upload_id, u.initiated, u.owner, u.storage_class, u.headers, u.metadata, u.tags, " \
  "u.checksum_algorithm, u.checksum_type"
constexpr std::string_view kByUploadIdSql = "SELECT " S3_UPLOAD_COLUMNS " FROM s3_uploads u WHERE u.upload_id = ?1";
constexpr std::string_view kScanFromSql =
    "SELECT " S3_UPLOAD_COLUMNS " FROM s3_uploads u WHERE u.bucket_id = ?1 AND u.key >= ?2 ORDER BY u.key, u.id";
constexpr std::string_view kScanAfterSql =
    "SELECT " S3_UPLOAD_COLUMNS " FROM s3_uploads u WHERE u.bucket_id = ?1 AND u.key > ?2 ORDER BY u.key, u.id";
constexpr std::string_view kScanNewerSql = "SELECT " S3_UPLOAD_COLUMNS
                                           " FROM s3_uploads u WHERE u.bucket_id = ?1 AND u.key = ?2 AND u.id > ?3 "
                                           "ORDER BY u.key, u.id";
#undef S3_UPLOAD_COLUMNS

#define S3_PART_COLUMNS "id, part_number, size, md5, modified, checksums, in_files"

StoredPart read_part(const store::Statement& s) {
  StoredPart p;
  p.id = s.integer(0);
  p.part.part_number = static_cast<int>(s.integer(1));
  p.part.size = static_cast<uint64_t>(s.integer(2));
  p.md5_hex = s.text(3);
  p.part.etag = "\"" + p.md5_hex + "\"";
  p.part.last_modified = from_millis(s.integer(4));
  p.part.checksums = decode_map(s.text(5));
  p.in_files = s.integer(6) != 0;
  return p;
}

}  // namespace

std::string UploadRepo::row_key(const store::Statement& s) { return s.text(2); }

StoredUpload UploadRepo::read_row(const store::Statement& s) {
  StoredUpload out;
  out.id = s.integer(0);
  out.bucket_id = s.integer(1);
  Upload& u = out.upload;
  u.key = s.text(2);
  u.upload_id = s.text(3);
  u.initiated = from_millis(s.integer(4));
  u.owner_account = s.text(5);
  u.storage_class = s.text(6);
  u.headers = decode_headers(s.text(7));
  u.metadata = decode_pairs(s.text(8));
  u.tags = decode_tags(s.text(9));
  u.checksum_algorithm = s.text(10);
  u.checksum_type = s.text(11);
  return out;
}

Result<std::optional<StoredUpload>> UploadRepo::by_upload_id(std::string_view upload_id) {
  std::optional<StoredUpload> found;
  auto r = Sql::query(
      db_, kByUploadIdSql, [&](store::Statement& s) { s.bind(1, upload_id); },
      [&](store::Statement& s) {
        found = read_row(s);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

Result<int64_t> UploadRepo::insert(int64_t bucket_id, const Upload& u) {
  int64_t id = 0;
  auto r = Sql::query(
      db_,
      "INSERT INTO s3_uploads (upload_id, bucket_id, key, initiated, owner, storage_class, headers, metadata, tags, "
      "checksum_algorithm, checksum_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
      [&](store::Statement& s) {
        s.bind(1, u.upload_id)
            .bind(2, bucket_id)
            .bind(3, u.key)
            .bind(4, to_millis(u.initiated))
            .bind(5, u.owner_account)
            .bind(6, u.storage_class)
            .bind(7, encode_headers(u.headers))
            .bind(8, encode_pairs(u.metadata))
            .bind(9, encode_tags(u.tags))
            .bind(10, u.checksum_algorithm)
            .bind(11, u.checksum_type);
      },
      [&](store::Statement& s) {
        id = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return id;
}

Status UploadRepo::remove(int64_t id) {
  return Sql::execute(db_, "DELETE FROM s3_uploads WHERE id = ?1", [&](store::Statement& s) { s.bind(1, id); });
}

Result<std::optional<StoredPart>> UploadRepo::part(int64_t upload, int part_number) {
  std::optional<StoredPart> found;
  auto r = Sql::query(
      db_, "SELECT " S3_PART_COLUMNS " FROM s3_parts WHERE upload = ?1 AND part_number = ?2",
      [&](store::Statement& s) { s.bind(1, upload).bind(2, part_number); },
      [&](store::Statement& s) {
        found = read_part(s);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

Result<int64_t> UploadRepo::insert_part(int64_t upload, const StoredPart& p) {
  int64_t id = 0;
  auto r = Sql::query(
      db_,
      "INSERT INTO s3_parts (upload, part_number, size, md5, modified, checksums, in_files, data) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7, CAST(?8 AS BLOB)) RETURNING id",
      [&](store::Statement& s) {
        s.bind(1, upload)
            .bind(2, p.part.part_number)
            .bind(3, static_cast<int64_t>(p.part.size))
            .bind(4, p.md5_hex)
            .bind(5, to_millis(p.part.last_modified))
            .bind(6, encode_map(p.part.checksums))
            .bind(7, p.in_files);
        if (p.in_files) {
          s.bind_null(8);
        } else {
          s.bind(8, p.inline_data);
        }
      },
      [&](store::Statement& s) {
        id = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return id;
}

Status UploadRepo::remove_part(int64_t id) {
  return Sql::execute(db_, "DELETE FROM s3_parts WHERE id = ?1", [&](store::Statement& s) { s.bind(1, id); });
}

Result<std::vector<StoredPart>> UploadRepo::parts(int64_t upload, int marker, int limit) {
  std::vector<StoredPart> out;
  auto r = Sql::query(
      db_,
      "SELECT " S3_PART_COLUMNS " FROM s3_parts WHERE upload = ?1 AND part_number > ?2 ORDER BY part_number LIMIT ?3",
      [&](store::Statement& s) { s.bind(1, upload).bind(2, marker).bind(3, limit); },
      [&](store::Statement& s) {
        out.push_back(read_part(s));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<std::vector<StoredPart>> UploadRepo::parts_with_data(int64_t upload) {
  std::vector<StoredPart> out;
  auto r = Sql::query(
      db_, "SELECT " S3_PART_COLUMNS ", data FROM s3_parts WHERE upload = ?1 ORDER BY part_number",
      [&](store::Statement& s) { s.bind(1, upload); },
      [&](store::Statement& s) {
        out.push_back(read_part(s));
        if (!out.back().in_files) out.back().inline_data = s.text(7);
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<store::Statement> UploadRepo::scan(int64_t bucket_id, std::string_view key, bool inclusive) {
  auto s = Sql::prepare(db_, inclusive ? kScanFromSql : kScanAfterSql);
  if (!s.ok()) return s;
  s->bind(1, bucket_id).bind(2, key);
  return s;
}

Result<store::Statement> UploadRepo::scan_newer(int64_t bucket_id, std::string_view key, int64_t after_id) {
  auto s = Sql::prepare(db_, kScanNewerSql);
  if (!s.ok()) return s;
  s->bind(1, bucket_id).bind(2, key).bind(3, after_id);
  return s;
}

#undef S3_PART_COLUMNS

}  // namespace s3
