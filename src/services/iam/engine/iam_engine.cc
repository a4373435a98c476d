// The engine's core: construction, schema, the credential resolver, STS sessions and the
// per-principal policy cache. Entity operations live in user_ops.cc, role_ops.cc and
// policy_ops.cc.
#include "services/iam/engine/iam_engine.h"

#include <mutex>

#include "common/crypto.h"
#include "services/iam/engine/internal.h"
#include "services/iam/engine/repos.h"
#include "services/iam/model/arns.h"
#include "services/iam/model/managed_policies.h"

namespace iam {

using dispatch::CredentialError;
using dispatch::Principal;
using dispatch::ResolvedKey;

IamEngine::IamEngine(store::Db& db, const common::Clock& clock, std::vector<dispatch::Account> accounts)
    : db_(db), clock_(clock), accounts_(std::move(accounts)) {
  for (const auto& account : accounts_) {
    for (const auto& pair : account.access_keys) {
      ResolvedKey key;
      key.secret_access_key = pair.secret;
      key.principal.kind = Principal::Kind::Root;
      key.principal.account_id = account.id;
      key.principal.arn = root_arn(account.id);
      key.principal.user_id = account.id;
      key.principal.access_key_id = pair.id;
      root_keys_.emplace(pair.id, std::move(key));
    }
  }
}

common::Status<> IamEngine::migrate() { return db_.migrate("iam", repo::migrations()); }

void IamEngine::on_reset() {
  bump_generation();
  std::unique_lock lock(cache_mutex_);
  key_cache_.clear();
  policy_cache_.clear();
}

int64_t IamEngine::now_epoch() const { return static_cast<int64_t>(common::to_epoch_seconds(clock_.now())); }

bool IamEngine::account_exists(std::string_view account_id) const {
  for (const auto& account : accounts_) {
    if (account.id == account_id) return true;
  }
  return false;
}

common::Result<ResolvedKey, CredentialError> IamEngine::resolve(std::string_view access_key_id,
                                                                std::string_view session_token, int64_t now) {
  if (auto root = root_keys_.find(std::string(access_key_id)); root != root_keys_.end()) {
    return root->second;
  }
  std::string id(access_key_id);
  uint64_t generation = this->generation();
  std::optional<CachedKey> cached;
  {
    std::shared_lock lock(cache_mutex_);
    if (auto it = key_cache_.find(id); it != key_cache_.end() && it->second.generation == generation) {
      cached = it->second;
    }
  }
  if (!cached) {
    CachedKey entry{generation, {}, {}};
    if (id.starts_with("ASIA")) {
      auto session = repo::find_session(db_, id);
      if (!session.ok() || !session->has_value()) return common::fail(CredentialError::UnknownKey);
      entry.key.secret_access_key = (*session)->secret;
      entry.key.principal = std::move((*session)->principal);
      entry.session_token = std::move((*session)->token);
    } else {
      auto owner = repo::find_key_owner(db_, id);
      if (!owner.ok() || !owner->has_value() || !(*owner)->key.active) {
        return common::fail(CredentialError::UnknownKey);
      }
      const User& user = (*owner)->user;
      entry.key.secret_access_key = (*owner)->key.secret_access_key;
      entry.key.principal.kind = Principal::Kind::User;
      entry.key.principal.account_id = user.account_id;
      entry.key.principal.arn = user.arn;
      entry.key.principal.user_id = user.user_id;
      entry.key.principal.name = user.name;
      entry.key.principal.access_key_id = id;
    }
    std::unique_lock lock(cache_mutex_);
    key_cache_[id] = entry;
    cached = std::move(entry);
  }
  if (!cached->session_token.empty()) {
    if (session_token.empty() || !common::constant_time_equals(session_token, cached->session_token)) {
      return common::fail(CredentialError::InvalidToken);
    }
    if (cached->key.principal.expires_epoch <= now) return common::fail(CredentialError::ExpiredToken);
  }
  return std::move(cached->key);
}

std::optional<std::string> IamEngine::account_of_access_key(std::string_view access_key_id) {
  if (auto root = root_keys_.find(std::string(access_key_id)); root != root_keys_.end()) {
    return root->second.principal.account_id;
  }
  std::string id(access_key_id);
  if (auto session = repo::find_session(db_, id); session.ok() && session->has_value()) {
    return (*session)->principal.account_id;
  }
  if (auto key = repo::find_access_key(db_, id); key.ok() && key->has_value()) return (*key)->account_id;
  return std::nullopt;
}

Result<Session> IamEngine::create_session(Principal principal, int64_t expires_epoch) {
  Session session;
  session.access_key_id = new_access_key_id("ASIA");
  session.secret_access_key = new_secret_access_key();
  session.session_token = new_session_token();
  session.expires_epoch = expires_epoch;
  principal.access_key_id = session.access_key_id;
  principal.expires_epoch = expires_epoch;
  IAM_WRITE_TX(tx);
  IAM_TRY(repo::delete_expired_sessions(db_, now_epoch()));
  IAM_TRY(
      repo::insert_session(db_, session.access_key_id, session.secret_access_key, session.session_token, principal));
  IAM_TRY(tx.commit());
  session.principal = std::move(principal);
  return session;
}

std::shared_ptr<const PolicySet> IamEngine::policies_for(const Principal& principal) {
  const std::string& cache_key = principal.access_key_id.empty() ? principal.arn : principal.access_key_id;
  uint64_t generation = this->generation();
  {
    std::shared_lock lock(cache_mutex_);
    if (auto it = policy_cache_.find(cache_key); it != policy_cache_.end() && it->second.generation == generation) {
      return it->second.policies;
    }
  }
  auto loaded = load_policies(principal);
  std::unique_lock lock(cache_mutex_);
  policy_cache_[cache_key] = CachedPolicies{generation, loaded};
  return loaded;
}

std::shared_ptr<const PolicySet> IamEngine::load_policies(const Principal& principal) {
  auto set = std::make_shared<PolicySet>();
  if (principal.session_policy) {
    if (auto parsed = policy::parse(*principal.session_policy, policy::PolicyKind::Identity); parsed.ok()) {
      set->session = std::make_shared<const policy::Policy>(std::move(*parsed));
    } else {
      // Validated at AssumeRole; an unparsable one must not widen anything: deny-all.
      set->session = std::make_shared<const policy::Policy>();
    }
  }
  if (principal.kind == Principal::Kind::Root) return set;
  std::string_view kind = principal.kind == Principal::Kind::User ? "user" : "role";
  const std::string& owner = principal.name;
  std::vector<std::string> documents;
  if (auto inline_policies = repo::list_inline(db_, principal.account_id, kind, owner); inline_policies.ok()) {
    for (auto& [name, document] : *inline_policies) documents.push_back(std::move(document));
  }
  if (auto arns = repo::attached_arns(db_, principal.account_id, kind, owner); arns.ok()) {
    for (const auto& arn : *arns) {
      if (const AwsManagedPolicy* builtin = find_aws_managed_policy(arn)) {
        documents.emplace_back(builtin->document);
        continue;
      }
      auto versions = repo::list_versions(db_, arn);
      if (!versions.ok()) continue;
      for (auto& version : *versions) {
        if (version.is_default) documents.push_back(std::move(version.document));
      }
    }
  }
  for (const auto& document : documents) {
    if (auto parsed = policy::parse(document, policy::PolicyKind::Identity); parsed.ok()) {
      set->identity.push_back(std::make_shared<const policy::Policy>(std::move(*parsed)));
    }
  }
  return set;
}

}  // namespace iam
