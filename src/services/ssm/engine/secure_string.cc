#include "services/ssm/engine/secure_string.h"

#include <openssl/evp.h>

#include <memory>

#include "common/crypto.h"

namespace ssm {
namespace {

constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr char kFormat = '\x01';

std::string cache_key(const Scope& scope) {
  std::string key(scope.account);
  key.push_back('\n');
  key.append(scope.region);
  return key;
}

std::string additional_data(const Scope& scope, std::string_view parameter_key) {
  std::string aad = cache_key(scope);
  aad.push_back('\n');
  aad.append(parameter_key);
  return aad;
}

Error crypto_error(std::string_view what) {
  return Error{common::ErrorKind::Internal, Reason::Storage, "SecureString " + std::string(what) + " failed"};
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Status SecureStrings::ensure_key(const Scope& scope) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (keys_.count(cache_key(scope)) != 0) return common::ok();
  }
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto insert = db_.prepare("INSERT OR IGNORE INTO ssm_keys (account, region, material) VALUES (?, ?, ?)");
  if (!insert.ok()) return common::fail(storage_error(insert.error()));
  insert->bind(1, scope.account).bind(2, scope.region).bind(3, common::base64_encode(common::random_bytes(32)));
  if (auto r = insert->exec(); !r.ok()) return common::fail(storage_error(r.error()));
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  return common::ok();
}

Result<std::string> SecureStrings::master_key(const Scope& scope) {
  std::string cache = cache_key(scope);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = keys_.find(cache);
    if (it != keys_.end()) return it->second;
  }
  auto select = db_.prepare("SELECT material FROM ssm_keys WHERE account = ? AND region = ?");
  if (!select.ok()) return common::fail(storage_error(select.error()));
  select->bind(1, scope.account).bind(2, scope.region);
  auto row = select->step();
  if (!row.ok()) return common::fail(storage_error(row.error()));
  std::string material;
  if (!*row || !common::base64_decode(select->text(0), material) || material.size() != 32) {
    return common::fail(crypto_error("key lookup"));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  keys_[cache] = material;
  return material;
}

void SecureStrings::forget_keys() {
  std::lock_guard<std::mutex> lock(mutex_);
  keys_.clear();
}

Result<std::string> SecureStrings::encrypt(const Scope& scope, std::string_view key_id, std::string_view parameter_key,
                                           std::string_view plaintext) {
  auto master = master_key(scope);
  if (!master.ok()) return common::fail(master.error());
  common::Sha256Digest data_key = common::hmac_sha256(*master, key_id);
  std::string nonce = common::random_bytes(kNonceSize);
  std::string aad = additional_data(scope, parameter_key);

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out(1 + kNonceSize + plaintext.size() + kTagSize, '\0');
  out[0] = kFormat;
  out.replace(1, kNonceSize, nonce);
  auto* body = reinterpret_cast<unsigned char*>(out.data() + 1 + kNonceSize);
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, data_key.data(), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, body + plaintext.size()) != 1) {
    return common::fail(crypto_error("encryption"));
  }
  return common::base64_encode(out);
}

Result<std::string> SecureStrings::decrypt(const Scope& scope, std::string_view key_id, std::string_view parameter_key,
                                           std::string_view ciphertext) {
  std::string raw;
  if (!common::base64_decode(ciphertext, raw) || raw.size() < 1 + kNonceSize + kTagSize || raw[0] != kFormat) {
    return common::fail(crypto_error("decoding"));
  }
  auto master = master_key(scope);
  if (!master.ok()) return common::fail(master.error());
  common::Sha256Digest data_key = common::hmac_sha256(*master, key_id);
  std::string aad = additional_data(scope, parameter_key);
  std::string_view nonce = std::string_view(raw).substr(1, kNonceSize);
  size_t body_size = raw.size() - 1 - kNonceSize - kTagSize;
  std::string_view body = std::string_view(raw).substr(1 + kNonceSize, body_size);
  std::string tag(raw.substr(1 + kNonceSize + body_size));

  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out(body_size, '\0');
  auto* plain = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, data_key.data(), bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), plain, &len, bytes(body), static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), plain + len, &len) != 1) {
    return common::fail(crypto_error("decryption"));
  }
  return out;
}

}  // namespace ssm
