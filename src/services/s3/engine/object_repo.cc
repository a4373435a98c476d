#include "services/s3/engine/object_repo.h"

#include "services/s3/engine/row_codec.h"
#include "services/s3/engine/sql.h"

namespace s3 {
namespace {

// The columns every read selects, in read_row()'s order.
#define S3_OBJECT_COLUMNS                                                                              \
  "o.id, o.key, o.version_id, o.delete_marker, o.size, o.etag, o.modified, o.owner, o.storage_class, " \
  "o.headers, o.metadata, o.tags, o.checksums, o.checksum_type, o.part_sizes, o.in_files"
constexpr int kDataColumn = 16;  // then s.file, s.offset, s.length, is_latest

constexpr std::string_view kLatestSql =
    "SELECT " S3_OBJECT_COLUMNS
    ", o.data, s.file, s.offset, s.length, 1 FROM s3_objects o LEFT JOIN s3_segments s ON s.kind = 0 AND "
    "s.owner = o.id WHERE o.id = (SELECT id FROM s3_objects WHERE bucket_id = ?1 AND key = ?2 ORDER BY id DESC "
    "LIMIT 1) ORDER BY s.seq";
constexpr std::string_view kVersionSql =
    "SELECT " S3_OBJECT_COLUMNS
    ", o.data, s.file, s.offset, s.length, o.id = (SELECT l.id FROM s3_objects l WHERE l.bucket_id = o.bucket_id "
    "AND l.key = o.key ORDER BY l.id DESC LIMIT 1) FROM s3_objects o LEFT JOIN s3_segments s ON s.kind = 0 AND "
    "s.owner = o.id WHERE o.bucket_id = ?1 AND o.key = ?2 AND o.version_id = ?3 ORDER BY s.seq";
constexpr std::string_view kScanFromSql =
    "SELECT " S3_OBJECT_COLUMNS " FROM s3_objects o WHERE o.bucket_id = ?1 AND o.key >= ?2 ORDER BY o.key, o.id DESC";
constexpr std::string_view kScanAfterSql =
    "SELECT " S3_OBJECT_COLUMNS " FROM s3_objects o WHERE o.bucket_id = ?1 AND o.key > ?2 ORDER BY o.key, o.id DESC";
constexpr std::string_view kScanOlderSql =
    "SELECT " S3_OBJECT_COLUMNS
    " FROM s3_objects o WHERE o.bucket_id = ?1 AND o.key = ?2 AND o.id < ?3 ORDER BY o.key, o.id DESC";
#undef S3_OBJECT_COLUMNS

}  // namespace

std::string ObjectRepo::row_key(const store::Statement& s) { return s.text(1); }
bool ObjectRepo::row_is_delete_marker(const store::Statement& s) { return s.integer(3) != 0; }

StoredVersion ObjectRepo::read_row(const store::Statement& s) {
  StoredVersion out;
  out.id = s.integer(0);
  ObjectVersion& v = out.version;
  v.key = s.text(1);
  v.version_id = s.text(2);
  v.delete_marker = s.integer(3) != 0;
  v.size = static_cast<uint64_t>(s.integer(4));
  v.etag = s.text(5);
  v.last_modified = from_millis(s.integer(6));
  v.owner_account = s.text(7);
  v.storage_class = s.text(8);
  v.headers = decode_headers(s.text(9));
  v.metadata = decode_pairs(s.text(10));
  v.tags = decode_tags(s.text(11));
  v.checksums = decode_map(s.text(12));
  v.checksum_type = s.text(13);
  v.part_sizes = decode_sizes(s.text(14));
  v.parts_count = static_cast<int>(v.part_sizes.size());
  out.in_files = s.integer(15) != 0;
  return out;
}

Result<std::optional<StoredVersion>> ObjectRepo::lookup(store::Statement& statement, bool latest) {
  std::optional<StoredVersion> found;
  while (true) {
    auto row = Sql::step(statement);
    if (!row.ok()) return common::fail(row.error());
    if (!*row) break;
    if (!found) {
      found = read_row(statement);
      found->version.is_latest = latest || statement.integer(kDataColumn + 4) != 0;
      if (!found->in_files) found->version.inline_data = statement.text(kDataColumn);
    }
    if (found->in_files && !statement.is_null(kDataColumn + 1)) {
      found->version.segments.push_back(Segment{statement.text(kDataColumn + 1),
                                                static_cast<uint64_t>(statement.integer(kDataColumn + 2)),
                                                static_cast<uint64_t>(statement.integer(kDataColumn + 3))});
    }
  }
  return found;
}

Result<std::optional<StoredVersion>> ObjectRepo::latest(int64_t bucket_id, std::string_view key) {
  auto s = Sql::prepare(db_, kLatestSql);
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, bucket_id).bind(2, key);
  return lookup(*s, true);
}

Result<std::optional<StoredVersion>> ObjectRepo::version(int64_t bucket_id, std::string_view key,
                                                         std::string_view version_id) {
  auto s = Sql::prepare(db_, kVersionSql);
  if (!s.ok()) return common::fail(s.error());
  s->bind(1, bucket_id).bind(2, key).bind(3, version_id);
  return lookup(*s, false);
}

Result<std::optional<VersionHandle>> ObjectRepo::find(int64_t bucket_id, std::string_view key,
                                                      std::string_view version_id) {
  std::optional<VersionHandle> found;
  auto r = Sql::query(
      db_, "SELECT id, in_files, delete_marker FROM s3_objects WHERE bucket_id = ?1 AND key = ?2 AND version_id = ?3",
      [&](store::Statement& s) { s.bind(1, bucket_id).bind(2, key).bind(3, version_id); },
      [&](store::Statement& s) {
        found = VersionHandle{s.integer(0), s.integer(1) != 0, s.integer(2) != 0};
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

Result<int64_t> ObjectRepo::insert(int64_t bucket_id, const ObjectVersion& v, bool in_files) {
  int64_t id = 0;
  auto r = Sql::query(
      db_,
      "INSERT INTO s3_objects (bucket_id, key, version_id, delete_marker, size, etag, modified, owner, storage_class, "
      "headers, metadata, tags, checksums, checksum_type, part_sizes, in_files, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
      "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, CAST(?17 AS BLOB)) RETURNING id",
      [&](store::Statement& s) {
        s.bind(1, bucket_id)
            .bind(2, v.key)
            .bind(3, v.version_id)
            .bind(4, v.delete_marker)
            .bind(5, static_cast<int64_t>(v.size))
            .bind(6, v.etag)
            .bind(7, to_millis(v.last_modified))
            .bind(8, v.owner_account)
            .bind(9, v.storage_class)
            .bind(10, encode_headers(v.headers))
            .bind(11, encode_pairs(v.metadata))
            .bind(12, encode_tags(v.tags))
            .bind(13, encode_map(v.checksums))
            .bind(14, v.checksum_type)
            .bind(15, encode_sizes(v.part_sizes))
            .bind(16, in_files);
        if (in_files || v.delete_marker) {
          s.bind_null(17);
        } else {
          s.bind(17, v.inline_data);
        }
      },
      [&](store::Statement& s) {
        id = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return id;
}

Status ObjectRepo::remove(int64_t id) {
  return Sql::execute(db_, "DELETE FROM s3_objects WHERE id = ?1", [&](store::Statement& s) { s.bind(1, id); });
}

Status ObjectRepo::set_tags(int64_t id, const std::vector<Tag>& tags) {
  return Sql::execute(db_, "UPDATE s3_objects SET tags = ?2 WHERE id = ?1",
                      [&](store::Statement& s) { s.bind(1, id).bind(2, encode_tags(tags)); });
}

Result<store::Statement> ObjectRepo::scan(int64_t bucket_id, std::string_view key, bool inclusive) {
  auto s = Sql::prepare(db_, inclusive ? kScanFromSql : kScanAfterSql);
  if (!s.ok()) return s;
  s->bind(1, bucket_id).bind(2, key);
  return s;
}

Result<store::Statement> ObjectRepo::scan_older(int64_t bucket_id, std::string_view key, int64_t below_id) {
  auto s = Sql::prepare(db_, kScanOlderSql);
  if (!s.ok()) return s;
  s->bind(1, bucket_id).bind(2, key).bind(3, below_id);
  return s;
}

}  // namespace s3
