// Service-specific credentials: HTTPS git passwords for CodeCommit, and their login check.
#include <algorithm>

#include "common/crypto.h"
#include "common/ids.h"
#include "common/strings.h"
#include "services/iam/engine/iam_engine.h"
#include "services/iam/engine/internal.h"
#include "services/iam/engine/repos.h"

namespace iam {

using internal::not_found;
using internal::user_not_found;

namespace {

// The passwords are 32 random bytes, so one keyed hash (no stretching) is enough; the git front
// checks one on every HTTP request of a clone or push.
std::string password_hash(std::string_view salt, std::string_view password) {
  return common::hex_encode(common::hmac_sha256(salt, password));
}

// AWS's form: 44 characters of base64 (32 random bytes).
std::string new_password() { return common::base64_encode(common::random_bytes(32)); }

void set_password(repo::StoredServiceCredential& stored, const std::string& password) {
  stored.salt = common::random_hex(32);
  stored.hash = password_hash(stored.salt, password);
}

Result<User> require_user(store::Db& db, const std::string& account, const std::string& name) {
  IAM_ASSIGN(user, repo::find_user(db, account, name));
  if (!user) return common::fail(not_found(user_not_found(name)));
  return std::move(*user);
}

Result<repo::StoredServiceCredential> require_credential(store::Db& db, const std::string& account,
                                                         const std::string& user_name, const std::string& id) {
  IAM_ASSIGN(user, require_user(db, account, user_name));
  IAM_ASSIGN(found, repo::find_service_credential(db, id));
  if (!found || found->credential.account_id != account || !common::iequals(found->credential.user_name, user.name)) {
    return common::fail(not_found("No such credential " + id + " exists"));
  }
  return std::move(*found);
}

}  // namespace

Result<ServiceCredential> IamEngine::create_service_credential(const std::string& account, const std::string& user_name,
                                                               const std::string& service_name) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(user, require_user(db_, account, user_name));
  IAM_ASSIGN(existing, repo::list_service_credentials(db_, account, user.name));
  auto same_service = std::count_if(existing.begin(), existing.end(), [&](const repo::StoredServiceCredential& s) {
    return s.credential.service_name == service_name;
  });
  if (same_service >= kMaxServiceCredentialsPerService) {
    return common::fail(
        internal::limit_exceeded("Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: " +
                                 std::to_string(kMaxServiceCredentialsPerService)));
  }
  repo::StoredServiceCredential stored;
  ServiceCredential& c = stored.credential;
  c.account_id = account;
  c.user_name = user.name;
  c.service_name = service_name;
  c.service_user_name = user.name + "-at-" + account;
  c.credential_id = "ACCA" + common::random_upper_alnum(17);
  c.create_date = now_epoch();
  std::string password = new_password();
  set_password(stored, password);
  IAM_TRY(repo::insert_service_credential(db_, stored));
  IAM_TRY(tx.commit());
  bump_generation();
  c.password = std::move(password);
  return c;
}

Result<std::vector<ServiceCredential>> IamEngine::list_service_credentials(
    const std::string& account, const std::string& user_name, const std::optional<std::string>& service_name) {
  IAM_ASSIGN(user, require_user(db_, account, user_name));
  IAM_ASSIGN(stored, repo::list_service_credentials(db_, account, user.name));
  std::vector<ServiceCredential> out;
  for (auto& s : stored) {
    if (service_name && s.credential.service_name != *service_name) continue;
    out.push_back(std::move(s.credential));
  }
  return out;
}

Result<ServiceCredential> IamEngine::reset_service_credential(const std::string& account, const std::string& user_name,
                                                              const std::string& credential_id) {
  IAM_WRITE_TX(tx);
  IAM_ASSIGN(stored, require_credential(db_, account, user_name, credential_id));
  std::string password = new_password();
  set_password(stored, password);
  IAM_TRY(repo::set_service_credential_password(db_, credential_id, stored.salt, stored.hash));
  IAM_TRY(tx.commit());
  bump_generation();
  stored.credential.password = std::move(password);
  return std::move(stored.credential);
}

Status<> IamEngine::update_service_credential(const std::string& account, const std::string& user_name,
                                              const std::string& credential_id, bool active) {
  IAM_WRITE_TX(tx);
  IAM_TRY(require_credential(db_, account, user_name, credential_id));
  IAM_TRY(repo::set_service_credential_status(db_, credential_id, active));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

Status<> IamEngine::delete_service_credential(const std::string& account, const std::string& user_name,
                                              const std::string& credential_id) {
  IAM_WRITE_TX(tx);
  IAM_TRY(require_credential(db_, account, user_name, credential_id));
  IAM_TRY(repo::delete_service_credential(db_, credential_id));
  IAM_TRY(tx.commit());
  bump_generation();
  return common::ok();
}

std::optional<dispatch::Principal> IamEngine::verify_service_password(std::string_view service_user_name,
                                                                      std::string_view password) {
  auto candidates = repo::service_credentials_by_login(db_, std::string(service_user_name));
  if (!candidates.ok()) return std::nullopt;
  for (const auto& stored : *candidates) {
    const ServiceCredential& c = stored.credential;
    if (!c.active || c.service_name != kCodeCommitService) continue;
    if (!common::constant_time_equals(password_hash(stored.salt, password), stored.hash)) continue;
    auto user = repo::find_user(db_, c.account_id, c.user_name);
    if (!user.ok() || !user->has_value()) return std::nullopt;
    dispatch::Principal principal;
    principal.kind = dispatch::Principal::Kind::User;
    principal.account_id = (*user)->account_id;
    principal.arn = (*user)->arn;
    principal.user_id = (*user)->user_id;
    principal.name = (*user)->name;
    return principal;
  }
  return std::nullopt;
}

}  // namespace iam
