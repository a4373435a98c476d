// STS GetAccessKeyInfo: the account an access key belongs to.
#include "services/sts/api/handlers.h"

namespace sts::api {

HandlerResult get_access_key_info(iam::IamEngine& engine, RequestContext&, const Json& input) {
  std::string id = input.value("AccessKeyId", std::string());
  auto account = engine.account_of_access_key(id);
  if (!account) {
    // AWS decodes the account from the key id itself; hakobu's ids carry none, so unknown
    // keys are reported as such.
    return common::fail(validation_error("The access key ID " + id + " is not valid."));
  }
  return Json{{"Account", *account}};
}

}  // namespace sts::api
