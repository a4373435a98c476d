#include "aws/dispatch/rest_request.h"

#include <openssl/evp.h>

#include "common/strings.h"

namespace dispatch {

S3Target parse_s3_target(const http::Request& request) {
  S3Target target;
  std::string_view path = request.path;
  if (const std::string* host = request.header("host")) {
    std::string_view h = *host;
    if (!h.empty() && h.front() != '[') {
      size_t colon = h.rfind(':');
      if (colon != std::string_view::npos) h = h.substr(0, colon);
    }
    size_t at = h.find(".s3.");
    if (at == std::string_view::npos && h.size() > 3 && h.substr(h.size() - 3) == ".s3") at = h.size() - 3;
    if (at != std::string_view::npos && at > 0) {
      target.bucket = common::to_lower(h.substr(0, at));
      target.virtual_host = true;
    }
  }
  std::string_view rest = path;
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  if (!target.virtual_host) {
    size_t slash = rest.find('/');
    std::string_view bucket = slash == std::string_view::npos ? rest : rest.substr(0, slash);
    target.bucket = common::uri_decode(bucket, false);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  if (target.bucket.empty()) return target;
  target.labels = 1;
  if (!rest.empty()) {
    target.key = common::uri_decode(rest, false);
    target.labels = 2;
  }
  return target;
}

Sha256CheckingReader::Sha256CheckingReader(http::BodyReader& inner, std::string expected_hex)
    : inner_(inner), expected_(common::to_lower(expected_hex)) {
  auto* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  hash_ = ctx;
}

Sha256CheckingReader::~Sha256CheckingReader() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(hash_)); }

long Sha256CheckingReader::read(char* buffer, size_t size) {
  if (mismatch_) return -1;
  if (done_) return 0;
  long n = inner_.read(buffer, size);
  if (n > 0) {
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(hash_), buffer, static_cast<size_t>(n));
    return n;
  }
  if (n < 0) return n;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(hash_), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  computed_.clear();
  for (unsigned int i = 0; i < length; ++i) {
    computed_ += kHex[digest[i] >> 4];
    computed_ += kHex[digest[i] & 15];
  }
  done_ = true;
  if (computed_ != expected_) {
    mismatch_ = true;
    return -1;
  }
  return 0;
}

bool read_all(http::BodyReader& reader, std::string& out, size_t max_bytes, bool* too_large) {
  out.clear();
  char buffer[16384];
  while (true) {
    long n = reader.read(buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) return false;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      if (too_large != nullptr) *too_large = true;
      return false;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace dispatch
