#include "services/ssm/engine/migrations.h"

namespace ssm {

const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE ssm_parameters (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  key TEXT NOT NULL,       -- the name without its leading '/': "/x" and "x" are one parameter
  name TEXT NOT NULL,      -- as created
  latest INTEGER NOT NULL,
  PRIMARY KEY (account, region, key)
) WITHOUT ROWID;
CREATE TABLE ssm_parameter_versions (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  value TEXT NOT NULL,     -- SecureString: base64 AES-256-GCM ciphertext
  modified REAL NOT NULL,  -- epoch seconds
  modified_user TEXT NOT NULL,
  description TEXT NOT NULL,
  allowed_pattern TEXT NOT NULL,
  key_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  data_type TEXT NOT NULL,
  policies TEXT NOT NULL,
  PRIMARY KEY (account, region, key, version)
) WITHOUT ROWID;
CREATE TABLE ssm_labels (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  key TEXT NOT NULL,
  label TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (account, region, key, label)
) WITHOUT ROWID;
CREATE INDEX ssm_labels_by_version ON ssm_labels (account, region, key, version);
CREATE TABLE ssm_tags (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  key TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (account, region, key, tag_key)
) WITHOUT ROWID;
CREATE TABLE ssm_keys (
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  material TEXT NOT NULL,  -- base64 of a random 256-bit master key
  PRIMARY KEY (account, region)
) WITHOUT ROWID;
)sql"},
  };
  return kMigrations;
}

}  // namespace ssm
