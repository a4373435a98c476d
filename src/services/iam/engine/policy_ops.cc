// Inline policies, managed policies and their versions, attachments.
#include <algorithm>

#include "services/iam/engine/iam_engine.h"
#include "services/iam/engine/internal.h"
#include "services/iam/engine/repos.h"
#include "services/iam/model/arns.h"
#include "services/iam/model/managed_policies.h"

namespace iam {

using internal::not_found;

namespace {

std::string inline_not_found(const Owner& owner, const std::string& policy_name) {
  return std::string("The ") + (owner.kind == OwnerKind::User ? "user" : "role") + " policy with name " + policy_name +
         " cannot be found.";
}

std::string not_attachable(const std::string& arn) { return "Policy " + arn + " does not exist or is not attachable."; }

ManagedPolicy from_builtin(const AwsManagedPolicy& builtin) {
  ManagedPolicy policy;
  policy.account_id = "aws";
  policy.name = std::string(builtin.name);
  policy.path = std::string(builtin.path);
  policy.policy_id = std::string(builtin.policy_id);
  policy.arn = iam::policy_arn("aws", builtin.path, builtin.name);
  policy.default_version = 1;
  policy.description = std::string(builtin.description);
  policy.create_date = 1423522800;  // 2015-02-06, when AWS published them
  policy.update_date = policy.create_date;
  return policy;
}

// A managed policy `account` can see: its own, or an AWS-managed one.
Result<ManagedPolicy> require_policy(store::Db& db, const std::string& account, const std::string& arn,
                                     const std::string& missing_message) {
  if (const AwsManagedPolicy* builtin = find_aws_managed_policy(arn)) {
    ManagedPolicy policy = from_builtin(*builtin);
    IAM_ASSIGN(count, repo::attachment_count(db, account, arn));
    policy.attachment_count = count;
    return policy;
  }
  IAM_ASSIGN(policy, repo::find_policy(db, arn));
  if (!policy || policy->account_id != account) return common::fail(not_found(missing_message));
  return std::move(*policy);
}

}  // namespace

// Inline policies

Status<> IamEngine::put_inline_policy(const std::string& account, const Owner& owner, const std::string& policy_name,
                                      const std::string& document) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_TRY(repo::put_inline(db_, account, repo::owner_kind_name(owner.kind), name, policy_name, document));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Result<std::string> IamEngine::get_inline_policy(const std::string& account, const Owner& owner,
                                                 const std::string& policy_name) {
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_ASSIGN(document, repo::get_inline(db_, account, repo::owner_kind_name(owner.kind), name, policy_name));
  if (!document) return common::fail(not_found(inline_not_found(owner, policy_name)));
  return std::move(*document);
}

Result<std::vector<std::string>> IamEngine::list_inline_policies(const std::string& account, const Owner& owner) {
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_ASSIGN(policies, repo::list_inline(db_, account, repo::owner_kind_name(owner.kind), name));
  std::vector<std::string> names;
  for (auto& [policy_name, document] : policies) names.push_back(std::move(policy_name));
  return names;
}

Status<> IamEngine::delete_inline_policy(const std::string& account, const Owner& owner,
                                         const std::string& policy_name) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_ASSIGN(deleted, repo::delete_inline(db_, account, repo::owner_kind_name(owner.kind), name, policy_name));
  if (!deleted) return common::fail(not_found(inline_not_found(owner, policy_name)));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

// Managed policies

Result<ManagedPolicy> IamEngine::create_policy(const std::string& account, const NewPolicy& spec) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(existing, repo::find_policy_by_name(db_, account, spec.name));
  if (existing) {
    return common::fail(
        internal::already_exists("A policy called " + spec.name + " already exists. Duplicate names are not allowed."));
  }
  ManagedPolicy policy;
  policy.account_id = account;
  policy.name = spec.name;
  policy.path = spec.path.empty() ? "/" : spec.path;
  policy.policy_id = new_unique_id("ANPA");
  policy.arn = policy_arn(account, policy.path, policy.name);
  policy.description = spec.description;
  policy.create_date = policy.update_date = now_epoch();
  policy.tags = spec.tags;
  IAM_TRY(repo::insert_policy(db_, policy));
  IAM_TRY(repo::insert_version(db_, policy.arn, PolicyVersion{1, spec.document, true, policy.create_date}));
  IAM_TRY(tx.commit());
  bump_generation();
  return policy;
}

Result<ManagedPolicy> IamEngine::get_policy(const std::string& account, const std::string& arn) {
  return require_policy(db_, account, arn, "Policy " + arn + " was not found.");
}

Result<std::vector<ManagedPolicy>> IamEngine::list_policies(const std::string& account, const std::string& scope,
                                                            bool only_attached, const std::string& path_prefix) {
  std::vector<ManagedPolicy> policies;
  if (scope != "Local") {
    for (const auto& builtin : aws_managed_policies()) {
      IAM_ASSIGN(policy, require_policy(db_, account, policy_arn("aws", builtin.path, builtin.name), ""));
      policies.push_back(std::move(policy));
    }
  }
  if (scope != "AWS") {
    IAM_ASSIGN(local, repo::list_policies(db_, account));
    for (auto& policy : local) policies.push_back(std::move(policy));
  }
  std::erase_if(policies, [&](const ManagedPolicy& p) {
    return (only_attached && p.attachment_count == 0) || !p.path.starts_with(path_prefix);
  });
  return policies;
}

Status<> IamEngine::delete_policy(const std::string& account, const std::string& arn) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(policy, require_policy(db_, account, arn, "Policy " + arn + " was not found."));
  if (policy.aws_managed()) return common::fail(internal::invalid("Cannot delete AWS managed policy " + arn + "."));
  if (policy.attachment_count > 0)
    return common::fail(internal::conflict("Cannot delete a policy attached to entities."));
  IAM_ASSIGN(versions, repo::list_versions(db_, arn));
  if (versions.size() > 1) {
    return common::fail(internal::conflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. "
        "The default version is deleted with the policy."));
  }
  IAM_TRY(repo::delete_policy(db_, arn));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Result<PolicyVersion> IamEngine::create_policy_version(const std::string& account, const std::string& arn,
                                                       const std::string& document, bool set_as_default) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(policy, require_policy(db_, account, arn, "Policy " + arn + " was not found."));
  if (policy.aws_managed()) return common::fail(internal::invalid("Cannot modify AWS managed policy " + arn + "."));
  IAM_ASSIGN(versions, repo::list_versions(db_, arn));
  if (static_cast<int>(versions.size()) >= kMaxPolicyVersions) {
    return common::fail(internal::limit_exceeded(
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing "
        "version."));
  }
  IAM_ASSIGN(number, repo::take_next_version(db_, arn));
  PolicyVersion version{number, document, set_as_default, now_epoch()};
  IAM_TRY(repo::insert_version(db_, arn, version));
  if (set_as_default) {
    IAM_TRY(repo::set_default_version(db_, arn, number, version.create_date));
  }
  IAM_TRY(tx.commit());
  bump_generation();
  return version;
}

Result<PolicyVersion> IamEngine::get_policy_version(const std::string& account, const std::string& arn, int version) {
  IAM_ASSIGN(versions, list_policy_versions(account, arn));
  for (auto& v : versions) {
    if (v.version == version) return std::move(v);
  }
  return common::fail(
      not_found("Policy " + arn + " version v" + std::to_string(version) + " does not exist or is not attachable."));
}

Result<std::vector<PolicyVersion>> IamEngine::list_policy_versions(const std::string& account, const std::string& arn) {
  if (const AwsManagedPolicy* builtin = find_aws_managed_policy(arn)) {
    return std::vector<PolicyVersion>{PolicyVersion{1, std::string(builtin->document), true, 1423522800}};
  }
  IAM_TRY(require_policy(db_, account, arn, "Policy " + arn + " was not found."));
  return repo::list_versions(db_, arn);
}

Status<> IamEngine::delete_policy_version(const std::string& account, const std::string& arn, int version) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(policy, require_policy(db_, account, arn, "Policy " + arn + " was not found."));
  if (policy.aws_managed()) return common::fail(internal::invalid("Cannot modify AWS managed policy " + arn + "."));
  IAM_ASSIGN(versions, repo::list_versions(db_, arn));
  auto it =
      std::find_if(versions.begin(), versions.end(), [&](const PolicyVersion& v) { return v.version == version; });
  if (it == versions.end()) {
    return common::fail(
        not_found("Policy " + arn + " version v" + std::to_string(version) + " does not exist or is not attachable."));
  }
  if (it->is_default) return common::fail(internal::conflict("Cannot delete the default version of a policy."));
  IAM_TRY(repo::delete_version(db_, arn, version));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

// Attachments

Status<> IamEngine::attach_policy(const std::string& account, const Owner& owner, const std::string& arn) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_TRY(require_policy(db_, account, arn, not_attachable(arn)));
  IAM_TRY(repo::attach(db_, account, repo::owner_kind_name(owner.kind), name, arn));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Status<> IamEngine::detach_policy(const std::string& account, const Owner& owner, const std::string& arn) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_ASSIGN(detached, repo::detach(db_, account, repo::owner_kind_name(owner.kind), name, arn));
  if (!detached) return common::fail(not_found("Policy " + arn + " was not found."));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Result<std::vector<AttachedPolicy>> IamEngine::list_attached_policies(const std::string& account, const Owner& owner) {
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_ASSIGN(arns, repo::attached_arns(db_, account, repo::owner_kind_name(owner.kind), name));
  std::vector<AttachedPolicy> attached;
  for (const auto& arn : arns) {
    auto parsed = parse_iam_arn(arn);
    attached.push_back(AttachedPolicy{parsed ? parsed->name : arn, arn});
  }
  return attached;
}

Result<PolicyEntities> IamEngine::list_entities_for_policy(const std::string& account, const std::string& arn) {
  IAM_TRY(require_policy(db_, account, arn, "Policy " + arn + " was not found."));
  IAM_ASSIGN(owners, repo::attachments_of(db_, account, arn));
  PolicyEntities entities;
  for (const auto& [kind, name] : owners) {
    if (kind == "user") {
      IAM_ASSIGN(user, repo::find_user(db_, account, name));
      if (user) entities.users.emplace_back(user->name, user->user_id);
    } else {
      IAM_ASSIGN(role, repo::find_role(db_, account, name));
      if (role) entities.roles.emplace_back(role->name, role->role_id);
    }
  }
  return entities;
}

}  // namespace iam
