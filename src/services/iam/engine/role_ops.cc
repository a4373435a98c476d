// Roles, and the tags of users and roles.
#include <algorithm>
#include <set>

#include "common/strings.h"
#include "services/iam/engine/iam_engine.h"
#include "services/iam/engine/internal.h"
#include "services/iam/engine/repos.h"
#include "services/iam/model/arns.h"

namespace iam {

using internal::not_found;
using internal::role_not_found;

namespace internal {

common::Result<std::string> require_owner(store::Db& db, const std::string& account, const Owner& owner) {
  if (owner.kind == OwnerKind::User) {
    IAM_ASSIGN(user, repo::find_user(db, account, owner.name));
    if (!user) return common::fail(not_found(user_not_found(owner.name)));
    return user->name;
  }
  IAM_ASSIGN(role, repo::find_role(db, account, owner.name));
  if (!role) return common::fail(not_found(role_not_found(owner.name)));
  return role->name;
}

}  // namespace internal

namespace {

Result<Role> require_role(store::Db& db, const std::string& account, const std::string& name) {
  IAM_ASSIGN(role, repo::find_role(db, account, name));
  if (!role) return common::fail(not_found(role_not_found(name)));
  return std::move(*role);
}

}  // namespace

Result<Role> IamEngine::create_role(const std::string& account, const NewRole& spec) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(existing, repo::find_role(db_, account, spec.name));
  if (existing) return common::fail(internal::already_exists("Role with name " + spec.name + " already exists."));
  Role role;
  role.account_id = account;
  role.name = spec.name;
  role.path = spec.path.empty() ? "/" : spec.path;
  role.role_id = new_unique_id("AROA");
  role.arn = role_arn(account, role.path, role.name);
  role.trust_policy = spec.trust_policy;
  role.description = spec.description;
  role.max_session_duration = spec.max_session_duration;
  role.create_date = now_epoch();
  role.tags = spec.tags;
  IAM_TRY(repo::insert_role(db_, role));
  for (const auto& tag : spec.tags) {
    IAM_TRY(repo::put_tag(db_, account, "role", role.name, tag));
  }
  IAM_TRY(tx.commit());
  bump_generation();
  return role;
}

Result<Role> IamEngine::get_role(const std::string& account, const std::string& name) {
  IAM_ASSIGN(role, require_role(db_, account, name));
  IAM_ASSIGN(tags, repo::list_tags(db_, account, "role", role.name));
  role.tags = std::move(tags);
  return role;
}

Result<std::vector<Role>> IamEngine::list_roles(const std::string& account, const std::string& path_prefix) {
  IAM_ASSIGN(roles, repo::list_roles(db_, account));
  std::erase_if(roles, [&](const Role& r) { return !r.path.starts_with(path_prefix); });
  return roles;
}

Status<> IamEngine::update_role(const std::string& account, const std::string& name,
                                const std::optional<std::string>& description,
                                std::optional<int> max_session_duration) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(role, require_role(db_, account, name));
  if (description) role.description = *description;
  if (max_session_duration) role.max_session_duration = *max_session_duration;
  IAM_TRY(repo::update_role(db_, role));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Status<> IamEngine::update_trust_policy(const std::string& account, const std::string& name,
                                        const std::string& document) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(role, require_role(db_, account, name));
  role.trust_policy = document;
  IAM_TRY(repo::update_role(db_, role));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Status<> IamEngine::delete_role(const std::string& account, const std::string& name) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(role, require_role(db_, account, name));
  IAM_ASSIGN(inline_policies, repo::list_inline(db_, account, "role", role.name));
  if (!inline_policies.empty()) {
    return common::fail(internal::conflict("Cannot delete entity, must delete policies first."));
  }
  IAM_ASSIGN(attached, repo::attached_arns(db_, account, "role", role.name));
  if (!attached.empty()) {
    return common::fail(internal::conflict("Cannot delete entity, must detach all policies first."));
  }
  IAM_TRY(repo::delete_role(db_, account, role.name));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Result<Role> IamEngine::find_role_by_arn(const std::string& arn) {
  auto parsed = parse_iam_arn(arn);
  if (!parsed || parsed->kind != "role" || parsed->account == "aws") {
    return common::fail(not_found("Role " + arn + " does not exist."));
  }
  IAM_ASSIGN(role, repo::find_role(db_, parsed->account, parsed->name));
  if (!role || role->path != parsed->path) return common::fail(not_found("Role " + arn + " does not exist."));
  return std::move(*role);
}

std::string IamEngine::role_arn_for(const std::string& account, const std::string& name) {
  auto role = repo::find_role(db_, account, name);
  if (role.ok() && role->has_value()) return (*role)->arn;
  return role_arn(account, "/", name);
}

Status<> IamEngine::tag(const std::string& account, const Owner& owner, const std::vector<Tag>& tags) {
  std::string_view kind = repo::owner_kind_name(owner.kind);
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  IAM_ASSIGN(existing, repo::list_tags(db_, account, kind, name));
  std::set<std::string> keys;
  for (const auto& t : existing) keys.insert(common::to_lower(t.key));
  for (const auto& t : tags) keys.insert(common::to_lower(t.key));
  if (static_cast<int>(keys.size()) > kMaxTagsPerEntity) {
    return common::fail(internal::limit_exceeded("The number of tags has reached the maximum limit."));
  }
  for (const auto& t : tags) {
    IAM_TRY(repo::put_tag(db_, account, kind, name, t));
  }
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Status<> IamEngine::untag(const std::string& account, const Owner& owner, const std::vector<std::string>& keys) {
  std::string_view kind = repo::owner_kind_name(owner.kind);
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  for (const auto& key : keys) {
    IAM_TRY(repo::delete_tag(db_, account, kind, name, key));
  }
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Result<std::vector<Tag>> IamEngine::list_tags(const std::string& account, const Owner& owner) {
  IAM_ASSIGN(name, internal::require_owner(db_, account, owner));
  return repo::list_tags(db_, account, repo::owner_kind_name(owner.kind), name);
}

dispatch::Principal role_session_principal(const Role& role, std::string_view session) {
  dispatch::Principal principal;
  principal.kind = dispatch::Principal::Kind::AssumedRole;
  principal.account_id = role.account_id;
  principal.arn = assumed_role_arn(role.account_id, role.name, session);
  principal.user_id = role.role_id + ":" + std::string(session);
  principal.name = role.name;
  principal.session_name = std::string(session);
  principal.role_arn = role.arn;
  return principal;
}

}  // namespace iam
