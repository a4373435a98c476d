// ECR authorization tokens. GetAuthorizationToken answers base64("AWS:" + password); clients
// send that back as HTTP Basic credentials to the registry. The password is opaque to clients
// (AWS documents no format); hakobu's is a signed claim naming the credentials that asked for it:
//   "hk1." + base64url(JSON {"k": access key id, "t": session token or "", "x": expiry epoch})
//          + "." + base64url(HMAC-SHA256(key, the part before this dot))
// The key is 32 random bytes kept in <data_dir>/ecr/token.key (created on first start), so
// tokens survive a restart. Verification checks only the signature and the format; the
// registry then checks expiry against its clock and resolves the credentials as SigV4 would
// (a deleted user's or expired session's tokens stop working).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ecr {

struct TokenClaims {
  std::string access_key_id;
  std::string session_token;
  int64_t expires_epoch = 0;
};

class TokenIssuer {
 public:
  // Reads the key from `key_path`, creating it (0600, atomically) when missing.
  static common::Result<TokenIssuer> open(const std::string& key_path);
  explicit TokenIssuer(std::string key) : key_(std::move(key)) {}

  std::string password(const TokenClaims& claims) const;
  // base64("AWS:" + password(claims)): GetAuthorizationToken's authorizationToken.
  std::string authorization_token(const TokenClaims& claims) const;
  // nullopt when the signature or format is wrong.
  std::optional<TokenClaims> verify(std::string_view password) const;

 private:
  std::string key_;
};

}  // namespace ecr
