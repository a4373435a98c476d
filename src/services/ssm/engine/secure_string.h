// SecureString values at rest: AES-256-GCM (OpenSSL EVP) under a random 256-bit master key
// per (account, region), kept in the ssm_keys table and cached in memory. The data key for a
// value is HMAC-SHA256(master, KeyId), so a KeyId is bound to its ciphertexts; the scope and
// parameter key are the GCM additional data. Ciphertext = base64(0x01 | nonce | data | tag),
// which is also what GetParameter returns as Value without WithDecryption, as AWS does.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "services/ssm/model/errors.h"
#include "services/ssm/model/parameter.h"
#include "store/db.h"

namespace ssm {

class SecureStrings {
 public:
  explicit SecureStrings(store::Db& db) : db_(db) {}

  // Creates the scope's master key if needed, in its own committed transaction; call it
  // before the caller's write transaction so no rolled-back key is ever cached.
  Status ensure_key(const Scope& scope);
  Result<std::string> encrypt(const Scope& scope, std::string_view key_id, std::string_view parameter_key,
                              std::string_view plaintext);
  Result<std::string> decrypt(const Scope& scope, std::string_view key_id, std::string_view parameter_key,
                              std::string_view ciphertext);
  // After a reset wiped ssm_keys.
  void forget_keys();

 private:
  Result<std::string> master_key(const Scope& scope);

  store::Db& db_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> keys_;  // "account\nregion" -> 32 bytes
};

}  // namespace ssm
