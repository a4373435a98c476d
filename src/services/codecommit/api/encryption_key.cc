// UpdateRepositoryEncryptionKey: the KMS key id a repository reports. hakobu has no KMS; the id
// is checked for form and kept (GetRepository shows it as repositoryMetadata.kmsKeyId).
#include "services/codecommit/api/triggers_and_tags.h"

namespace codecommit::api {
namespace {

HandlerResult update_repository_encryption_key(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto changed = api.engine.set_encryption_key(ref, str(input, "kmsKeyId"));
  if (!changed.ok()) return common::fail(to_aws_error(changed.error(), ref.name));
  return Json{{"repositoryId", changed->repository_id},
              {"kmsKeyId", changed->kms_key_id},
              {"originalKmsKeyId", changed->original_kms_key_id}};
}

}  // namespace

void register_encryption_key(Registrar& r) {
  r.add("UpdateRepositoryEncryptionKey", on_repository(), update_repository_encryption_key);
}

}  // namespace codecommit::api
