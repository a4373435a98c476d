// Resolves an access key id (and session token) to its secret and principal, for SigV4.
#pragma once

#include <string>
#include <string_view>

#include "aws/dispatch/principal.h"
#include "common/result.h"

namespace dispatch {

struct ResolvedKey {
  std::string secret_access_key;
  Principal principal;
};

enum class CredentialError {
  UnknownKey,    // no such access key id (or inactive)
  InvalidToken,  // session token missing/wrong for a temporary key
  ExpiredToken,  // temporary credentials past their expiry
};

class CredentialResolver {
 public:
  virtual ~CredentialResolver() = default;
  // `session_token` is empty when the request carried none. `now_epoch` is the server's time.
  virtual common::Result<ResolvedKey, CredentialError> resolve(std::string_view access_key_id,
                                                               std::string_view session_token, int64_t now_epoch) = 0;
};

}  // namespace dispatch
