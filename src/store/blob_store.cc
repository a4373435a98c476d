#include "store/blob_store.h"

#include <openssl/evp.h>

#include <cstring>
#include <filesystem>
#include <memory>

#include "common/crypto.h"
#include "common/ids.h"
#include "store/atomic_file.h"

namespace store {
namespace fs = std::filesystem;

namespace {

bool valid_digest(std::string_view hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

common::Result<BlobStore> BlobStore::open(const std::string& root) {
  std::error_code ec;
  fs::create_directories(fs::path(root) / "tmp", ec);
  if (ec) return common::fail(common::make_error(common::ErrorKind::Unavailable, "cannot create " + root));
  fs::create_directories(fs::path(root) / "sha256", ec);
  for (const auto& entry : fs::directory_iterator(fs::path(root) / "tmp", ec)) {
    fs::remove(entry.path(), ec);
  }
  return BlobStore(root);
}

common::Result<BlobInfo> BlobStore::put(const std::function<long(char*, size_t)>& read) {
  auto file = AtomicFile::create((fs::path(root_) / "tmp" / common::random_hex(24)).string());
  if (!file.ok()) return common::fail(file.error());
  common::Sha256Stream sha;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md5(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
  uint64_t size = 0;
  std::string buffer(1 << 20, '\0');
  while (true) {
    long n = read(buffer.data(), buffer.size());
    if (n == 0) break;
    if (n < 0) return common::fail(common::make_error(common::ErrorKind::Unavailable, "upload interrupted"));
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    sha.update(chunk);
    EVP_DigestUpdate(md5.get(), chunk.data(), chunk.size());
    size += chunk.size();
    if (auto r = file->write(chunk); !r.ok()) return common::fail(r.error());
  }
  unsigned char md5_out[EVP_MAX_MD_SIZE];
  unsigned int md5_len = 0;
  EVP_DigestFinal_ex(md5.get(), md5_out, &md5_len);

  BlobInfo info;
  info.sha256 = common::hex_encode(sha.finish());
  info.size = size;
  info.md5 = common::hex_encode(md5_out, md5_len);
  std::string final_path = path(info.sha256);
  if (auto r = file->publish(final_path); !r.ok()) return common::fail(r.error());
  return info;
}

common::Result<BlobInfo> BlobStore::put_bytes(std::string_view data) {
  size_t offset = 0;
  return put([&](char* out, size_t size) -> long {
    size_t n = std::min(size, data.size() - offset);
    std::memcpy(out, data.data() + offset, n);
    offset += n;
    return static_cast<long>(n);
  });
}

bool BlobStore::exists(std::string_view sha256) const {
  if (!valid_digest(sha256)) return false;
  std::error_code ec;
  return fs::exists(path(sha256), ec);
}

std::string BlobStore::path(std::string_view sha256) const {
  std::string hex(sha256);
  return (fs::path(root_) / "sha256" / hex.substr(0, 2) / hex).string();
}

common::Status<> BlobStore::remove(std::string_view sha256) {
  if (!valid_digest(sha256)) {
    return common::fail(common::make_error(common::ErrorKind::InvalidArgument, "not a sha256 digest"));
  }
  std::error_code ec;
  fs::remove(path(sha256), ec);
  if (ec) return common::fail(common::make_error(common::ErrorKind::Unavailable, ec.message()));
  return common::ok();
}

common::Status<> BlobStore::clear() {
  std::error_code ec;
  fs::remove_all(fs::path(root_) / "sha256", ec);
  fs::create_directories(fs::path(root_) / "sha256", ec);
  if (ec) return common::fail(common::make_error(common::ErrorKind::Unavailable, ec.message()));
  return common::ok();
}

}  // namespace store
