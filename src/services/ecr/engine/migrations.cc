#include "services/ecr/engine/migrations.h"

namespace ecr {

// Times are REAL epoch seconds. Names and tags are TEXT with SQLite's BINARY collation, so
// ORDER BY gives the byte order the registry's pagination needs.
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE ecr_repositories (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  created REAL NOT NULL,
  tag_mutability TEXT NOT NULL,
  mutability_exclusions TEXT NOT NULL,  -- JSON array of {filterType, filter}
  scan_on_push INTEGER NOT NULL,
  encryption_type TEXT NOT NULL,
  kms_key TEXT NOT NULL,
  policy TEXT,
  lifecycle_policy TEXT,
  lifecycle_updated REAL,
  lifecycle_evaluated REAL,
  UNIQUE (account, region, name)
);
CREATE TABLE ecr_repo_tags (
  repo_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (repo_id, key)
) WITHOUT ROWID;
-- A blob whose file is complete and durable under blobs/sha256/<ab>/<hex>.
CREATE TABLE ecr_blobs (
  digest TEXT PRIMARY KEY,
  size INTEGER NOT NULL
) WITHOUT ROWID;
-- Which repositories may read a blob (pushed or mounted there).
CREATE TABLE ecr_repo_blobs (
  repo_id INTEGER NOT NULL,
  digest TEXT NOT NULL,
  linked REAL NOT NULL,
  PRIMARY KEY (repo_id, digest)
) WITHOUT ROWID;
CREATE INDEX ecr_repo_blobs_by_digest ON ecr_repo_blobs (digest);
-- Upload sessions; the bytes so far are uploads/<uuid>.
CREATE TABLE ecr_uploads (
  uuid TEXT PRIMARY KEY,
  repo_id INTEGER NOT NULL,
  started REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX ecr_uploads_by_repo ON ecr_uploads (repo_id);
CREATE TABLE ecr_images (
  repo_id INTEGER NOT NULL,
  digest TEXT NOT NULL,
  media_type TEXT NOT NULL,
  artifact_media_type TEXT NOT NULL,
  artifact_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  pushed REAL NOT NULL,
  last_pull REAL,
  subject TEXT,
  manifest BLOB NOT NULL,  -- the exact bytes pushed (last: listings that skip it read less)
  PRIMARY KEY (repo_id, digest)
) WITHOUT ROWID;
CREATE INDEX ecr_images_by_subject ON ecr_images (repo_id, subject) WHERE subject IS NOT NULL;
CREATE TABLE ecr_tags (
  repo_id INTEGER NOT NULL,
  tag TEXT NOT NULL,
  digest TEXT NOT NULL,
  updated REAL NOT NULL,
  PRIMARY KEY (repo_id, tag)
) WITHOUT ROWID;
CREATE INDEX ecr_tags_by_digest ON ecr_tags (repo_id, digest);
-- The manifests an index (manifest list) lists, for ImageReferenced on delete.
CREATE TABLE ecr_image_children (
  repo_id INTEGER NOT NULL,
  parent_digest TEXT NOT NULL,
  child_digest TEXT NOT NULL,
  PRIMARY KEY (repo_id, parent_digest, child_digest)
) WITHOUT ROWID;
CREATE INDEX ecr_image_children_by_child ON ecr_image_children (repo_id, child_digest);
)sql"},
  };
  return kMigrations;
}

}  // namespace ecr
