#include "store/blob_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/crypto.h"
#include "common/ids.h"

namespace store {
namespace fs = std::filesystem;

namespace {

common::Error io_error(const std::string& what) {
  return common::make_error(common::ErrorKind::Unavailable, what + ": " + std::strerror(errno));
}

bool fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

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
  std::string tmp = (fs::path(root_) / "tmp" / common::random_hex(24)).string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return common::fail(io_error("cannot create " + tmp));
  auto abandon = [&](common::Error e) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return common::fail(std::move(e));
  };
  common::Sha256Stream sha;
  EVP_MD_CTX* md5 = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md5, EVP_md5(), nullptr);
  uint64_t size = 0;
  std::string buffer(1 << 20, '\0');
  while (true) {
    long n = read(buffer.data(), buffer.size());
    if (n == 0) break;
    if (n < 0) {
      EVP_MD_CTX_free(md5);
      return abandon(common::make_error(common::ErrorKind::Unavailable, "upload interrupted"));
    }
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    sha.update(chunk);
    EVP_DigestUpdate(md5, chunk.data(), chunk.size());
    size += chunk.size();
    while (!chunk.empty()) {
      ssize_t w = ::write(fd, chunk.data(), chunk.size());
      if (w < 0) {
        if (errno == EINTR) continue;
        EVP_MD_CTX_free(md5);
        return abandon(io_error("write " + tmp));
      }
      chunk.remove_prefix(static_cast<size_t>(w));
    }
  }
  unsigned char md5_out[EVP_MAX_MD_SIZE];
  unsigned int md5_len = 0;
  EVP_DigestFinal_ex(md5, md5_out, &md5_len);
  EVP_MD_CTX_free(md5);
  if (::fsync(fd) != 0) return abandon(io_error("fsync " + tmp));
  ::close(fd);

  BlobInfo info;
  info.sha256 = common::hex_encode(sha.finish());
  info.size = size;
  info.md5 = common::hex_encode(md5_out, md5_len);
  fs::path dir = fs::path(root_) / "sha256" / info.sha256.substr(0, 2);
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string final_path = (dir / info.sha256).string();
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return common::fail(io_error("rename to " + final_path));
  }
  fsync_dir(dir.string());
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
