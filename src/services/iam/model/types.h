// IAM domain types (not wire types): what the engine stores and returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iam {

struct Tag {
  std::string key;
  std::string value;
};

struct User {
  std::string account_id;
  std::string name;
  std::string path;     // "/" or "/a/b/"
  std::string user_id;  // AIDA...
  std::string arn;
  int64_t create_date = 0;
  std::vector<Tag> tags;
};

struct Role {
  std::string account_id;
  std::string name;
  std::string path;
  std::string role_id;  // AROA...
  std::string arn;
  std::string trust_policy;  // AssumeRolePolicyDocument, as given
  std::optional<std::string> description;
  int max_session_duration = 3600;
  int64_t create_date = 0;
  std::vector<Tag> tags;
};

struct AccessKey {
  std::string account_id;
  std::string user_name;
  std::string access_key_id;  // AKIA...
  std::string secret_access_key;
  bool active = true;
  int64_t create_date = 0;
};

// A service-specific credential (HTTPS git password for CodeCommit). The password itself is
// only known when created or reset; the store keeps a salted hash.
struct ServiceCredential {
  std::string account_id;
  std::string user_name;
  std::string service_name;       // "codecommit.amazonaws.com"
  std::string service_user_name;  // "<user>-at-<account>"
  std::string credential_id;      // ACCA...
  std::string password;           // empty unless just created or reset
  bool active = true;
  int64_t create_date = 0;
};

// A customer-managed policy (account_id = the owner) or an AWS-managed one (account_id = "aws").
struct ManagedPolicy {
  std::string account_id;
  std::string name;
  std::string path;
  std::string policy_id;  // ANPA...
  std::string arn;
  int default_version = 1;
  int attachment_count = 0;
  std::optional<std::string> description;
  int64_t create_date = 0;
  int64_t update_date = 0;
  std::vector<Tag> tags;
  bool aws_managed() const { return account_id == "aws"; }
};

struct PolicyVersion {
  int version = 1;  // "v<version>" on the wire
  std::string document;
  bool is_default = false;
  int64_t create_date = 0;
};

// Who holds an inline policy, an attached policy or tags.
enum class OwnerKind { User, Role };
struct Owner {
  OwnerKind kind = OwnerKind::User;
  std::string name;
};

struct AttachedPolicy {
  std::string name;
  std::string arn;
};

struct PolicyEntities {
  std::vector<std::pair<std::string, std::string>> users;  // name, user id
  std::vector<std::pair<std::string, std::string>> roles;  // name, role id
};

}  // namespace iam
