// IamEngine: IAM entities (users, access keys, roles, inline and managed policies, tags) and
// STS sessions in SQLite, plus the credential resolver SigV4 asks on every request and the
// per-principal policy sets the authorizer evaluates. Thread-safe: every method may be called
// from any connection thread. Errors are common::ErrorKind; the api layer names them for AWS.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aws/dispatch/accounts.h"
#include "aws/dispatch/credentials.h"
#include "common/clock.h"
#include "common/result.h"
#include "policy/policy.h"
#include "services/iam/model/types.h"
#include "store/db.h"

namespace iam {

using common::Result;
using common::Status;

// Limits AWS enforces that this engine applies too.
inline constexpr int kMaxAccessKeysPerUser = 2;
inline constexpr int kMaxPolicyVersions = 5;
inline constexpr int kMaxTagsPerEntity = 50;
inline constexpr int kMaxServiceCredentialsPerService = 2;  // per user and service
inline constexpr std::string_view kCodeCommitService = "codecommit.amazonaws.com";

struct NewRole {
  std::string name;
  std::string path = "/";
  std::string trust_policy;
  std::optional<std::string> description;
  int max_session_duration = 3600;
  std::vector<Tag> tags;
};

struct NewPolicy {
  std::string name;
  std::string path = "/";
  std::string document;
  std::optional<std::string> description;
  std::vector<Tag> tags;
};

// Temporary credentials (AssumeRole, GetSessionToken) and whose they are.
struct Session {
  std::string access_key_id;  // ASIA...
  std::string secret_access_key;
  std::string session_token;
  int64_t expires_epoch = 0;
  dispatch::Principal principal;  // the identity requests signed with these keys act as
};

// The parsed identity-based policies of one principal: what the authorizer evaluates.
struct PolicySet {
  std::vector<std::shared_ptr<const policy::Policy>> identity;
  std::shared_ptr<const policy::Policy> session;  // AssumeRole(Policy=...), null when none
};

// The principal of a session of `role` named `session` (AssumeRole's, CodeBuild's service role):
// its assumed-role ARN, AROA...:session user id, role ARN. No session policy, no keys yet.
dispatch::Principal role_session_principal(const Role& role, std::string_view session);

class IamEngine final : public dispatch::CredentialResolver {
 public:
  IamEngine(store::Db& db, const common::Clock& clock, std::vector<dispatch::Account> accounts);

  common::Status<> migrate();
  // After the database was wiped (moto-api reset): drop every cache.
  void on_reset();

  // SigV4's lookup: root keys (from the accounts list), IAM user keys, STS session keys.
  common::Result<dispatch::ResolvedKey, dispatch::CredentialError> resolve(std::string_view access_key_id,
                                                                           std::string_view session_token,
                                                                           int64_t now_epoch) override;

  const common::Clock& clock() const { return clock_; }
  bool account_exists(std::string_view account_id) const;
  // Account owning an access key (root, user or session key); nullopt when unknown.
  std::optional<std::string> account_of_access_key(std::string_view access_key_id);

  // Users
  Result<User> create_user(const std::string& account, const std::string& name, const std::string& path,
                           const std::vector<Tag>& tags);
  Result<User> get_user(const std::string& account, const std::string& name);
  Result<std::vector<User>> list_users(const std::string& account, const std::string& path_prefix);
  Status<> update_user(const std::string& account, const std::string& name, const std::optional<std::string>& new_name,
                       const std::optional<std::string>& new_path);
  Status<> delete_user(const std::string& account, const std::string& name);

  // Access keys
  Result<AccessKey> create_access_key(const std::string& account, const std::string& user_name);
  Result<std::vector<AccessKey>> list_access_keys(const std::string& account, const std::string& user_name);
  Status<> update_access_key(const std::string& account, const std::string& user_name, const std::string& access_key_id,
                             bool active);
  Status<> delete_access_key(const std::string& account, const std::string& user_name,
                             const std::string& access_key_id);
  Result<AccessKey> find_access_key(const std::string& account, const std::string& access_key_id);

  // Service-specific credentials (service_credential_ops.cc). Create and reset return the password.
  Result<ServiceCredential> create_service_credential(const std::string& account, const std::string& user_name,
                                                      const std::string& service_name);
  Result<std::vector<ServiceCredential>> list_service_credentials(const std::string& account,
                                                                  const std::string& user_name,
                                                                  const std::optional<std::string>& service_name);
  Result<ServiceCredential> reset_service_credential(const std::string& account, const std::string& user_name,
                                                     const std::string& credential_id);
  Status<> update_service_credential(const std::string& account, const std::string& user_name,
                                     const std::string& credential_id, bool active);
  Status<> delete_service_credential(const std::string& account, const std::string& user_name,
                                     const std::string& credential_id);
  // The git front's login check: the user owning an Active CodeCommit credential with this
  // ServiceUserName and password, as a principal shaped like an access key's; nullopt otherwise.
  std::optional<dispatch::Principal> verify_service_password(std::string_view service_user_name,
                                                             std::string_view password);

  // Roles
  Result<Role> create_role(const std::string& account, const NewRole& role);
  Result<Role> get_role(const std::string& account, const std::string& name);
  Result<std::vector<Role>> list_roles(const std::string& account, const std::string& path_prefix);
  Status<> update_role(const std::string& account, const std::string& name,
                       const std::optional<std::string>& description, std::optional<int> max_session_duration);
  Status<> update_trust_policy(const std::string& account, const std::string& name, const std::string& document);
  Status<> delete_role(const std::string& account, const std::string& name);

  // Inline policies of users and roles
  Status<> put_inline_policy(const std::string& account, const Owner& owner, const std::string& policy_name,
                             const std::string& document);
  Result<std::string> get_inline_policy(const std::string& account, const Owner& owner, const std::string& policy_name);
  Result<std::vector<std::string>> list_inline_policies(const std::string& account, const Owner& owner);
  Status<> delete_inline_policy(const std::string& account, const Owner& owner, const std::string& policy_name);

  // Managed policies (customer-managed in `account`, or AWS-managed by arn:aws:iam::aws:...)
  Result<ManagedPolicy> create_policy(const std::string& account, const NewPolicy& policy);
  Result<ManagedPolicy> get_policy(const std::string& account, const std::string& arn);
  // scope: "All" | "AWS" | "Local"
  Result<std::vector<ManagedPolicy>> list_policies(const std::string& account, const std::string& scope,
                                                   bool only_attached, const std::string& path_prefix);
  Status<> delete_policy(const std::string& account, const std::string& arn);
  Result<PolicyVersion> create_policy_version(const std::string& account, const std::string& arn,
                                              const std::string& document, bool set_as_default);
  Result<PolicyVersion> get_policy_version(const std::string& account, const std::string& arn, int version);
  Result<std::vector<PolicyVersion>> list_policy_versions(const std::string& account, const std::string& arn);
  Status<> delete_policy_version(const std::string& account, const std::string& arn, int version);

  // Attachments
  Status<> attach_policy(const std::string& account, const Owner& owner, const std::string& arn);
  Status<> detach_policy(const std::string& account, const Owner& owner, const std::string& arn);
  Result<std::vector<AttachedPolicy>> list_attached_policies(const std::string& account, const Owner& owner);
  Result<PolicyEntities> list_entities_for_policy(const std::string& account, const std::string& arn);

  // Tags of users and roles
  Status<> tag(const std::string& account, const Owner& owner, const std::vector<Tag>& tags);
  Status<> untag(const std::string& account, const Owner& owner, const std::vector<std::string>& keys);
  Result<std::vector<Tag>> list_tags(const std::string& account, const Owner& owner);

  // STS: stores a session for `principal` (its arn/user_id/account already filled in) and
  // returns its credentials.
  Result<Session> create_session(dispatch::Principal principal, int64_t expires_epoch);
  // A role by ARN (any account), for AssumeRole.
  Result<Role> find_role_by_arn(const std::string& arn);
  // "/" when the entity does not exist: the resource ARN an authorization check names.
  std::string user_arn_for(const std::string& account, const std::string& name);
  std::string role_arn_for(const std::string& account, const std::string& name);

  // The identity-based policies of a principal (cached until the next IAM write). Never null.
  std::shared_ptr<const PolicySet> policies_for(const dispatch::Principal& principal);
  // Bumped by every IAM write; caches compare against it.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  void bump_generation() { generation_.fetch_add(1, std::memory_order_acq_rel); }
  int64_t now_epoch() const;
  std::shared_ptr<const PolicySet> load_policies(const dispatch::Principal& principal);

  store::Db& db_;
  const common::Clock& clock_;
  std::vector<dispatch::Account> accounts_;
  std::unordered_map<std::string, dispatch::ResolvedKey> root_keys_;  // immutable after construction
  std::atomic<uint64_t> generation_{1};

  struct CachedKey {
    uint64_t generation;
    dispatch::ResolvedKey key;
    std::string session_token;  // sessions only
  };
  struct CachedPolicies {
    uint64_t generation;
    std::shared_ptr<const PolicySet> policies;
  };
  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, CachedKey> key_cache_;          // by access key id
  std::unordered_map<std::string, CachedPolicies> policy_cache_;  // by principal access key id
};

}  // namespace iam
