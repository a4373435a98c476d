#include "services/s3/engine/migrations.h"

namespace s3 {

// Keys are TEXT compared with SQLite's BINARY collation (memcmp): S3's byte order.
// s3_objects.id orders the versions of a key (larger is newer): a new version always gets
// an id above every existing row, so the latest version of a key is the first entry of
// s3_objects_by_key for (bucket_id, key).
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE s3_buckets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  owner TEXT NOT NULL,        -- account id
  region TEXT NOT NULL,
  created INTEGER NOT NULL,   -- epoch milliseconds
  versioning TEXT NOT NULL,   -- '', 'Enabled', 'Suspended'
  policy TEXT
);
CREATE INDEX s3_buckets_by_owner ON s3_buckets (owner, name);
CREATE TABLE s3_bucket_configs (
  bucket_id INTEGER NOT NULL,
  kind TEXT NOT NULL,         -- 'tagging', 'notification', ...
  value TEXT NOT NULL,
  PRIMARY KEY (bucket_id, kind)
) WITHOUT ROWID;
CREATE TABLE s3_objects (
  id INTEGER PRIMARY KEY,
  bucket_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  version_id TEXT NOT NULL,   -- 'null' for the unversioned one
  delete_marker INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,         -- quoted
  modified INTEGER NOT NULL,  -- epoch milliseconds
  owner TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  headers TEXT NOT NULL,      -- row_codec fields: content-type, -encoding, -disposition, -language,
                              -- cache-control, expires, website redirect
  metadata TEXT NOT NULL,     -- row_codec name/value pairs
  tags TEXT NOT NULL,         -- row_codec key/value pairs
  checksums TEXT NOT NULL,    -- row_codec algorithm/base64 pairs
  checksum_type TEXT NOT NULL,
  part_sizes TEXT NOT NULL,   -- row_codec sizes of a multipart object's parts
  in_files INTEGER NOT NULL,  -- 1: the bytes are the s3_segments rows (kind 0) of this id
  data BLOB                   -- else the bytes themselves (last: listings never read it)
);
CREATE INDEX s3_objects_by_key ON s3_objects (bucket_id, key, id DESC);
CREATE UNIQUE INDEX s3_objects_by_version ON s3_objects (bucket_id, key, version_id);
CREATE TABLE s3_uploads (
  id INTEGER PRIMARY KEY,     -- initiation order
  upload_id TEXT NOT NULL UNIQUE,
  bucket_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  initiated INTEGER NOT NULL, -- epoch milliseconds
  owner TEXT NOT NULL,
  storage_class TEXT NOT NULL,
  headers TEXT NOT NULL,
  metadata TEXT NOT NULL,
  tags TEXT NOT NULL,
  checksum_algorithm TEXT NOT NULL,
  checksum_type TEXT NOT NULL
);
CREATE INDEX s3_uploads_by_key ON s3_uploads (bucket_id, key, id);
CREATE TABLE s3_parts (
  id INTEGER PRIMARY KEY,
  upload INTEGER NOT NULL,    -- s3_uploads.id
  part_number INTEGER NOT NULL,
  size INTEGER NOT NULL,
  md5 TEXT NOT NULL,          -- hex
  modified INTEGER NOT NULL,
  checksums TEXT NOT NULL,
  in_files INTEGER NOT NULL,  -- 1: s3_segments rows (kind 1) of this id
  data BLOB,
  UNIQUE (upload, part_number)
);
-- Where the bytes of an object version (kind 0, owner = s3_objects.id) or a part (kind 1,
-- owner = s3_parts.id) are, in order. A data file is removed when its last row goes.
CREATE TABLE s3_segments (
  kind INTEGER NOT NULL,
  owner INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  PRIMARY KEY (kind, owner, seq)
) WITHOUT ROWID;
CREATE INDEX s3_segments_by_file ON s3_segments (file);
)sql"},
  };
  return kMigrations;
}

}  // namespace s3
