// SHA-256 and HMAC-SHA256 for the verification hot path. OpenSSL 3's one-shot SHA256()/HMAC()
// look the algorithm up on every call (about 4 us per HMAC here); fetching it once and reusing
// a per-thread context makes a whole verify() a few microseconds.
#include <openssl/evp.h>

#include <cstring>

#include "aws/sigv4/internal.h"

namespace sigv4::internal {
namespace {

constexpr size_t kBlockSize = 64;

const EVP_MD* sha256_md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// One digest context per thread, freed when the thread ends.
class ThreadContext {
 public:
  ThreadContext() : ctx_(EVP_MD_CTX_new()) {}
  ~ThreadContext() { EVP_MD_CTX_free(ctx_); }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;
  EVP_MD_CTX* get() { return ctx_; }

 private:
  EVP_MD_CTX* ctx_;
};

EVP_MD_CTX* thread_context() {
  thread_local ThreadContext context;
  return context.get();
}

common::Sha256Digest digest(std::string_view first, std::string_view second) {
  EVP_MD_CTX* ctx = thread_context();
  const EVP_MD* md = sha256_md();
  if (ctx == nullptr || md == nullptr) {
    // Allocation or provider failure: fall back to the slow, always-working path.
    std::string joined(first);
    joined.append(second);
    return common::sha256(joined);
  }
  common::Sha256Digest out;
  unsigned int size = 0;
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, first.data(), first.size());
  EVP_DigestUpdate(ctx, second.data(), second.size());
  EVP_DigestFinal_ex(ctx, out.data(), &size);
  return out;
}

}  // namespace

common::Sha256Digest fast_sha256(std::string_view data) { return digest(data, {}); }

std::string fast_sha256_hex(std::string_view data) { return common::hex_encode(fast_sha256(data)); }

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || message)).
common::Sha256Digest fast_hmac_sha256(std::string_view key, std::string_view data) {
  common::Sha256Digest hashed_key;
  if (key.size() > kBlockSize) {
    hashed_key = fast_sha256(key);
    key = common::as_string_view(hashed_key);
  }
  char inner_pad[kBlockSize];
  char outer_pad[kBlockSize];
  std::memset(inner_pad, 0x36, kBlockSize);
  std::memset(outer_pad, 0x5c, kBlockSize);
  for (size_t i = 0; i < key.size(); ++i) {
    inner_pad[i] = static_cast<char>(inner_pad[i] ^ key[i]);
    outer_pad[i] = static_cast<char>(outer_pad[i] ^ key[i]);
  }
  common::Sha256Digest inner = digest(std::string_view(inner_pad, kBlockSize), data);
  return digest(std::string_view(outer_pad, kBlockSize), common::as_string_view(inner));
}

}  // namespace sigv4::internal
