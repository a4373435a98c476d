// The KMS key a repository reports (UpdateRepositoryEncryptionKey, repositoryMetadata.kmsKeyId).
// hakobu has no KMS: the id is checked for the forms KMS accepts and stored, and git data stays
// as git writes it.
#include <algorithm>

#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

// What AWS reports for a repository on the AWS managed key (observed in get-repository output).
constexpr std::string_view kAwsManagedKey = "alias/aws/codecommit";

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 1234abcd-12ab-34cd-56ef-1234567890ab, or a multi-Region key's mrk-<32 hex digits>.
bool key_id(std::string_view s) {
  if (s.rfind("mrk-", 0) == 0) return s.size() == 36 && std::all_of(s.begin() + 4, s.end(), hex_digit);
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !hex_digit(s[i])) return false;
  }
  return true;
}

bool alias_name(std::string_view s) {
  if (s.rfind("alias/", 0) != 0 || s.size() == 6 || s.size() > 256) return false;
  return std::all_of(s.begin() + 6, s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
           c == '-';
  });
}

Error invalid_key(std::string_view id) {
  return error(Errc::EncryptionKeyInvalidId, "The Key Management Service encryption key is not valid: " +
                                                 std::string(id) + ". Use a key ID, key ARN, alias name or alias ARN.");
}

// A key id, alias, key ARN or alias ARN; ARNs must name the repository's region.
Status check_key_id(std::string_view id, std::string_view region) {
  if (id.empty()) {
    return common::fail(
        error(Errc::EncryptionKeyRequired, "A KMS encryption key ID is required but was not specified."));
  }
  if (key_id(id) || alias_name(id)) return common::ok();
  // arn:<partition>:kms:<region>:<account>:key/<id> | alias/<name>
  size_t colons[5];
  size_t pos = 0;
  for (size_t& colon : colons) {
    colon = id.find(':', pos);
    if (colon == std::string_view::npos) return common::fail(invalid_key(id));
    pos = colon + 1;
  }
  std::string_view prefix = id.substr(0, colons[0]);
  std::string_view service = id.substr(colons[1] + 1, colons[2] - colons[1] - 1);
  std::string_view key_region = id.substr(colons[2] + 1, colons[3] - colons[2] - 1);
  std::string_view account = id.substr(colons[3] + 1, colons[4] - colons[3] - 1);
  std::string_view resource = id.substr(colons[4] + 1);
  bool resource_ok = (resource.rfind("key/", 0) == 0 && key_id(resource.substr(4))) || alias_name(resource);
  bool account_ok = account.size() == 12 && digits(account);
  if (prefix != "arn" || service != "kms" || key_region.empty() || !account_ok || !resource_ok) {
    return common::fail(invalid_key(id));
  }
  if (key_region != region) {
    return common::fail(error(Errc::EncryptionKeyNotFound, "No encryption key was found in " + std::string(region) +
                                                               " for " + std::string(id) + "."));
  }
  return common::ok();
}

}  // namespace

Status CodeCommitEngine::check_encryption_key(std::string_view kms_key_id, std::string_view region) {
  return check_key_id(kms_key_id, region);
}

std::string CodeCommitEngine::encryption_key_of(const Repository& repo) {
  return repo.kms_key_id.empty() ? std::string(kAwsManagedKey) : repo.kms_key_id;
}

Result<EncryptionKeyChange> CodeCommitEngine::set_encryption_key(const RepoRef& ref, std::string kms_key_id) {
  if (auto r = check_key_id(kms_key_id, ref.region); !r.ok()) return common::fail(r.error());
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto found = read_repository(db_, data_dir_, ref);
  if (!found.ok()) return common::fail(found.error());
  if (!*found) return common::fail(repository_not_found(ref.name));
  const Repository& repo = **found;
  auto r = Sql::execute(db_, "UPDATE codecommit_repositories SET kms_key_id = ?, modified = ? WHERE id = ?",
                        [&](store::Statement& s) {
                          s.bind(1, kms_key_id).bind(2, common::to_epoch_seconds(clock_.now())).bind(3, repo.id);
                        });
  if (!r.ok()) return common::fail(r.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return EncryptionKeyChange{repo.id, std::move(kms_key_id), encryption_key_of(repo)};
}

}  // namespace codecommit
