// Schema of module "iam". Names of users, roles and policies are unique per account without
// regard to case, as in IAM (COLLATE NOCASE); they keep the case they were created with.
#include "services/iam/engine/repos.h"

namespace iam::repo {

const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE iam_users (
  account_id TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE, path TEXT NOT NULL,
  user_id TEXT NOT NULL, create_date INTEGER NOT NULL, PRIMARY KEY (account_id, name));
CREATE TABLE iam_roles (
  account_id TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE, path TEXT NOT NULL, role_id TEXT NOT NULL,
  trust_policy TEXT NOT NULL, description TEXT, max_session_duration INTEGER NOT NULL,
  create_date INTEGER NOT NULL, PRIMARY KEY (account_id, name));
CREATE TABLE iam_tags (
  account_id TEXT NOT NULL, owner_kind TEXT NOT NULL, owner_name TEXT NOT NULL COLLATE NOCASE,
  key TEXT NOT NULL COLLATE NOCASE, value TEXT NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY (account_id, owner_kind, owner_name, key));
CREATE TABLE iam_access_keys (
  access_key_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, user_name TEXT NOT NULL COLLATE NOCASE,
  secret TEXT NOT NULL, active INTEGER NOT NULL, create_date INTEGER NOT NULL);
CREATE INDEX iam_access_keys_user ON iam_access_keys (account_id, user_name);
CREATE TABLE iam_inline_policies (
  account_id TEXT NOT NULL, owner_kind TEXT NOT NULL, owner_name TEXT NOT NULL COLLATE NOCASE,
  policy_name TEXT NOT NULL COLLATE NOCASE, document TEXT NOT NULL,
  PRIMARY KEY (account_id, owner_kind, owner_name, policy_name));
CREATE TABLE iam_policies (
  arn TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE, path TEXT NOT NULL,
  policy_id TEXT NOT NULL, default_version INTEGER NOT NULL, next_version INTEGER NOT NULL DEFAULT 2,
  description TEXT,
  create_date INTEGER NOT NULL, update_date INTEGER NOT NULL, UNIQUE (account_id, name));
CREATE TABLE iam_policy_versions (
  policy_arn TEXT NOT NULL, version INTEGER NOT NULL, document TEXT NOT NULL, create_date INTEGER NOT NULL,
  PRIMARY KEY (policy_arn, version));
CREATE TABLE iam_attachments (
  account_id TEXT NOT NULL, owner_kind TEXT NOT NULL, owner_name TEXT NOT NULL COLLATE NOCASE,
  policy_arn TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (account_id, owner_kind, owner_name, policy_arn));
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);
CREATE TABLE iam_sessions (
  access_key_id TEXT PRIMARY KEY, secret TEXT NOT NULL, token TEXT NOT NULL, account_id TEXT NOT NULL,
  kind INTEGER NOT NULL, arn TEXT NOT NULL, user_id TEXT NOT NULL, name TEXT NOT NULL,
  session_name TEXT NOT NULL, role_arn TEXT NOT NULL, session_policy TEXT, expires INTEGER NOT NULL);
CREATE INDEX iam_sessions_expires ON iam_sessions (expires);
)sql"},
      // Service-specific credentials: the password as hex(HMAC-SHA256(salt, password)).
      {2, R"sql(
CREATE TABLE iam_service_credentials (
  credential_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, user_name TEXT NOT NULL COLLATE NOCASE,
  service_name TEXT NOT NULL, service_user_name TEXT NOT NULL, salt TEXT NOT NULL, password_hash TEXT NOT NULL,
  active INTEGER NOT NULL, create_date INTEGER NOT NULL);
CREATE INDEX iam_service_credentials_user ON iam_service_credentials (account_id, user_name);
CREATE INDEX iam_service_credentials_login ON iam_service_credentials (service_user_name);
)sql"},
  };
  return kMigrations;
}

std::string_view owner_kind_name(OwnerKind kind) {
  switch (kind) {
    case OwnerKind::User: return "user";
    case OwnerKind::Role: return "role";
  }
  return "user";
}

}  // namespace iam::repo
