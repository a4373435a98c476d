// SQL for each IAM aggregate. Internal to the engine: callers hold the transaction. Each
// function returns NotFound / AlreadyExists / Internal as store errors map.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/dispatch/principal.h"
#include "common/result.h"
#include "services/iam/model/types.h"
#include "store/db.h"

namespace iam::repo {

using common::Result;
using common::Status;

const std::vector<store::Migration>& migrations();

std::string_view owner_kind_name(OwnerKind kind);  // "user" | "role"

// user_repo.cc
Status<> insert_user(store::Db& db, const User& user);
Result<std::optional<User>> find_user(store::Db& db, const std::string& account, const std::string& name);
Result<std::vector<User>> list_users(store::Db& db, const std::string& account);
Status<> rename_user(store::Db& db, const std::string& account, const std::string& name, const std::string& new_name,
                     const std::string& new_path);
Status<> delete_user(store::Db& db, const std::string& account, const std::string& name);

// role_repo.cc
Status<> insert_role(store::Db& db, const Role& role);
Result<std::optional<Role>> find_role(store::Db& db, const std::string& account, const std::string& name);
Result<std::vector<Role>> list_roles(store::Db& db, const std::string& account);
Status<> update_role(store::Db& db, const Role& role);
Status<> delete_role(store::Db& db, const std::string& account, const std::string& name);

// tag_repo.cc
Result<std::vector<Tag>> list_tags(store::Db& db, const std::string& account, std::string_view kind,
                                   const std::string& owner);
Status<> put_tag(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                 const Tag& tag);
Status<> delete_tag(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& key);
Status<> delete_tags(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner);

// access_key_repo.cc
Status<> insert_access_key(store::Db& db, const AccessKey& key);
Result<std::optional<AccessKey>> find_access_key(store::Db& db, const std::string& access_key_id);
Result<std::vector<AccessKey>> list_access_keys(store::Db& db, const std::string& account,
                                                const std::string& user_name);
Status<> set_access_key_status(store::Db& db, const std::string& access_key_id, bool active);
Status<> delete_access_key(store::Db& db, const std::string& access_key_id);
// The user an active or inactive key belongs to, joined for the resolver.
struct KeyOwner {
  AccessKey key;
  User user;
};
Result<std::optional<KeyOwner>> find_key_owner(store::Db& db, const std::string& access_key_id);

// service_credential_repo.cc. `salt`/`hash` are the stored password check (see migrations).
struct StoredServiceCredential {
  ServiceCredential credential;  // password empty
  std::string salt;
  std::string hash;
};
Status<> insert_service_credential(store::Db& db, const StoredServiceCredential& stored);
Result<std::optional<StoredServiceCredential>> find_service_credential(store::Db& db, const std::string& credential_id);
Result<std::vector<StoredServiceCredential>> list_service_credentials(store::Db& db, const std::string& account,
                                                                      const std::string& user_name);
Result<std::vector<StoredServiceCredential>> service_credentials_by_login(store::Db& db,
                                                                          const std::string& service_user_name);
Status<> set_service_credential_status(store::Db& db, const std::string& credential_id, bool active);
Status<> set_service_credential_password(store::Db& db, const std::string& credential_id, const std::string& salt,
                                         const std::string& hash);
Status<> delete_service_credential(store::Db& db, const std::string& credential_id);

// policy_repo.cc: inline policies, managed policies and their versions, attachments
Status<> put_inline(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& name, const std::string& document);
Result<std::optional<std::string>> get_inline(store::Db& db, const std::string& account, std::string_view kind,
                                              const std::string& owner, const std::string& name);
Result<std::vector<std::pair<std::string, std::string>>> list_inline(store::Db& db, const std::string& account,
                                                                     std::string_view kind, const std::string& owner);
Result<bool> delete_inline(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                           const std::string& name);

Status<> insert_policy(store::Db& db, const ManagedPolicy& policy);
Result<std::optional<ManagedPolicy>> find_policy(store::Db& db, const std::string& arn);
Result<std::optional<ManagedPolicy>> find_policy_by_name(store::Db& db, const std::string& account,
                                                         const std::string& name);
Result<std::vector<ManagedPolicy>> list_policies(store::Db& db, const std::string& account);
Status<> set_default_version(store::Db& db, const std::string& arn, int version, int64_t now);
Status<> delete_policy(store::Db& db, const std::string& arn);
Status<> insert_version(store::Db& db, const std::string& arn, const PolicyVersion& version);
Result<std::vector<PolicyVersion>> list_versions(store::Db& db, const std::string& arn);
// Reserves the next version number of a policy (v1, v2, ... never reused).
Result<int> take_next_version(store::Db& db, const std::string& arn);
Status<> delete_version(store::Db& db, const std::string& arn, int version);

Result<bool> attach(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& arn);
Result<bool> detach(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                    const std::string& arn);
Result<std::vector<std::string>> attached_arns(store::Db& db, const std::string& account, std::string_view kind,
                                               const std::string& owner);
// (kind, owner name) pairs in `account` that have `arn` attached.
Result<std::vector<std::pair<std::string, std::string>>> attachments_of(store::Db& db, const std::string& account,
                                                                        const std::string& arn);
Result<int> attachment_count(store::Db& db, const std::string& account, const std::string& arn);
Status<> rename_owner(store::Db& db, const std::string& account, std::string_view kind, const std::string& name,
                      const std::string& new_name);

// session_repo.cc
Status<> insert_session(store::Db& db, const std::string& access_key_id, const std::string& secret,
                        const std::string& token, const dispatch::Principal& principal);
struct StoredSession {
  std::string secret;
  std::string token;
  dispatch::Principal principal;
};
Result<std::optional<StoredSession>> find_session(store::Db& db, const std::string& access_key_id);
Status<> delete_expired_sessions(store::Db& db, int64_t now);

}  // namespace iam::repo
