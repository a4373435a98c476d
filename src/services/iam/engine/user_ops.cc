// Users and their access keys.
#include <algorithm>

#include "common/strings.h"
#include "services/iam/engine/iam_engine.h"
#include "services/iam/engine/internal.h"
#include "services/iam/engine/repos.h"
#include "services/iam/model/arns.h"

namespace iam {

using internal::not_found;
using internal::user_not_found;

namespace {

Status<> put_tags(store::Db& db, const std::string& account, std::string_view kind, const std::string& owner,
                  const std::vector<Tag>& tags) {
  for (const auto& tag : tags) {
    IAM_TRY(repo::put_tag(db, account, kind, owner, tag));
  }
  return common::ok();
}

Result<User> require_user(store::Db& db, const std::string& account, const std::string& name) {
  IAM_ASSIGN(user, repo::find_user(db, account, name));
  if (!user) return common::fail(not_found(user_not_found(name)));
  return std::move(*user);
}

}  // namespace

Result<User> IamEngine::create_user(const std::string& account, const std::string& name, const std::string& path,
                                    const std::vector<Tag>& tags) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(existing, repo::find_user(db_, account, name));
  if (existing) return common::fail(internal::already_exists("User with name " + name + " already exists."));
  User user;
  user.account_id = account;
  user.name = name;
  user.path = path.empty() ? "/" : path;
  user.user_id = new_unique_id("AIDA");
  user.arn = user_arn(account, user.path, name);
  user.create_date = now_epoch();
  user.tags = tags;
  IAM_TRY(repo::insert_user(db_, user));
  IAM_TRY(put_tags(db_, account, "user", name, tags));
  IAM_TRY(tx.commit());
  bump_generation();
  return user;
}

Result<User> IamEngine::get_user(const std::string& account, const std::string& name) {
  IAM_ASSIGN(user, require_user(db_, account, name));
  IAM_ASSIGN(tags, repo::list_tags(db_, account, "user", user.name));
  user.tags = std::move(tags);
  return user;
}

Result<std::vector<User>> IamEngine::list_users(const std::string& account, const std::string& path_prefix) {
  IAM_ASSIGN(users, repo::list_users(db_, account));
  std::erase_if(users, [&](const User& u) { return !u.path.starts_with(path_prefix); });
  return users;
}

Status<> IamEngine::update_user(const std::string& account, const std::string& name,
                                const std::optional<std::string>& new_name,
                                const std::optional<std::string>& new_path) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(user, require_user(db_, account, name));
  std::string target = new_name.value_or(user.name);
  if (new_name && !common::iequals(*new_name, user.name)) {
    IAM_ASSIGN(clash, repo::find_user(db_, account, *new_name));
    if (clash) return common::fail(internal::already_exists("User with name " + *new_name + " already exists."));
  }
  IAM_TRY(repo::rename_user(db_, account, user.name, target, new_path.value_or(user.path)));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Status<> IamEngine::delete_user(const std::string& account, const std::string& name) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(user, require_user(db_, account, name));
  IAM_ASSIGN(keys, repo::list_access_keys(db_, account, user.name));
  if (!keys.empty()) return common::fail(internal::conflict("Cannot delete entity, must delete access keys first."));
  IAM_ASSIGN(credentials, repo::list_service_credentials(db_, account, user.name));
  if (!credentials.empty()) {
    return common::fail(internal::conflict("Cannot delete entity, must delete service specific credentials first."));
  }
  IAM_ASSIGN(inline_policies, repo::list_inline(db_, account, "user", user.name));
  if (!inline_policies.empty()) {
    return common::fail(internal::conflict("Cannot delete entity, must delete policies first."));
  }
  IAM_ASSIGN(attached, repo::attached_arns(db_, account, "user", user.name));
  if (!attached.empty()) {
    return common::fail(internal::conflict("Cannot delete entity, must detach all policies first."));
  }
  IAM_TRY(repo::delete_user(db_, account, user.name));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Result<AccessKey> IamEngine::create_access_key(const std::string& account, const std::string& user_name) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(user, require_user(db_, account, user_name));
  IAM_ASSIGN(keys, repo::list_access_keys(db_, account, user.name));
  if (static_cast<int>(keys.size()) >= kMaxAccessKeysPerUser) {
    return common::fail(internal::limit_exceeded("Cannot exceed quota for AccessKeysPerUser: " +
                                                 std::to_string(kMaxAccessKeysPerUser)));
  }
  AccessKey key;
  key.account_id = account;
  key.user_name = user.name;
  key.access_key_id = new_access_key_id("AKIA");
  key.secret_access_key = new_secret_access_key();
  key.create_date = now_epoch();
  IAM_TRY(repo::insert_access_key(db_, key));
  IAM_TRY(tx.commit());
  bump_generation();
  return key;
}

Result<std::vector<AccessKey>> IamEngine::list_access_keys(const std::string& account, const std::string& user_name) {
  IAM_ASSIGN(user, require_user(db_, account, user_name));
  return repo::list_access_keys(db_, account, user.name);
}

Result<AccessKey> IamEngine::find_access_key(const std::string& account, const std::string& access_key_id) {
  IAM_ASSIGN(key, repo::find_access_key(db_, access_key_id));
  if (!key || key->account_id != account) {
    return common::fail(not_found("The Access Key with id " + access_key_id + " cannot be found."));
  }
  return std::move(*key);
}

namespace {

Result<AccessKey> require_key_of(store::Db& db, const std::string& account, const std::string& user_name,
                                 const std::string& access_key_id) {
  IAM_ASSIGN(user, require_user(db, account, user_name));
  IAM_ASSIGN(key, repo::find_access_key(db, access_key_id));
  if (!key || key->account_id != account || !common::iequals(key->user_name, user.name)) {
    return common::fail(not_found("The Access Key with id " + access_key_id + " cannot be found."));
  }
  return std::move(*key);
}

}  // namespace

Status<> IamEngine::update_access_key(const std::string& account, const std::string& user_name,
                                      const std::string& access_key_id, bool active) {
  IAM_WRITE_TX(tx);
  IAM_TRY(require_key_of(db_, account, user_name, access_key_id));
  IAM_TRY(repo::set_access_key_status(db_, access_key_id, active));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Status<> IamEngine::delete_access_key(const std::string& account, const std::string& user_name,
                                      const std::string& access_key_id) {
  IAM_WRITE_TX(tx);
  IAM_TRY(require_key_of(db_, account, user_name, access_key_id));
  IAM_TRY(repo::delete_access_key(db_, access_key_id));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

std::string IamEngine::user_arn_for(const std::string& account, const std::string& name) {
  auto user = repo::find_user(db_, account, name);
  if (user.ok() && user->has_value()) return (*user)->arn;
  return user_arn(account, "/", name);
}

}  // namespace iam
