#include "services/ecr/engine/blob_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "common/hash_thread.h"
#include "common/log.h"
#include "store/atomic_file.h"
#include "store/file_stream.h"

namespace ecr {
namespace fs = std::filesystem;

namespace {

// Writeback of a file is started every this many bytes, without waiting for it, so the fsync
// that publishes the file has little left to write (as S3's DataFiles does).
constexpr int64_t kWritebackStep = 8 << 20;

Error io_error(const std::string& what) { return error(Errc::Internal, what + ": " + std::strerror(errno)); }

// An open file descriptor, closed at scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

bool write_all(int fd, const char* data, size_t size, int64_t offset) {
  while (size > 0) {
    ssize_t w = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    size -= static_cast<size_t>(w);
    offset += w;
  }
  return true;
}

// Past this many bytes in one body, SHA-256 runs on a second thread while this one reads and
// writes (starting a thread costs tens of microseconds; small chunks hash inline).
constexpr int64_t kHashThreadMin = 8 << 20;

// Feeds a Sha256Stream with the buffers a body is read into: inline at first, then, once the
// body passed kHashThreadMin, on a common::HashThread, so hashing overlaps reading and writing
// (as S3's DataFiles does for MD5). The caller reads into buffer(), passes the byte count to
// hash() and may go on using the buffer (to write it) until its next buffer(). finish() waits
// for the hash to have seen everything; destroyed without finish(), the thread stops without
// hashing the rest.
class Hasher {
 public:
  explicit Hasher(common::Sha256Stream* hash)
      : hash_(hash),
        own_(std::make_unique_for_overwrite<char[]>(BlobFiles::kBufferSize)),
        thread_(BlobFiles::kBufferSize, [hash](std::string_view bytes) { hash->update(bytes); }) {}

  char* buffer() { return thread_.running() ? thread_.acquire() : own_.get(); }

  void hash(size_t size) {
    if (hash_ == nullptr) return;
    if (thread_.running()) {
      thread_.submit(size);
      return;
    }
    hash_->update(std::string_view(own_.get(), size));
    seen_ += static_cast<int64_t>(size);
    if (seen_ >= kHashThreadMin) thread_.start();  // else inline on
  }

  void finish() { thread_.finish(); }

 private:
  common::Sha256Stream* hash_;
  std::unique_ptr<char[]> own_;
  int64_t seen_ = 0;
  common::HashThread thread_;
};

}  // namespace

void BlobFiles::prepare() const {
  std::error_code ec;
  fs::create_directories(blobs_root_, ec);
  if (ec) common::log::error("ecr: cannot create {}: {}", blobs_root_, ec.message());
  fs::create_directories(uploads_root_, ec);
  if (ec) common::log::error("ecr: cannot create {}: {}", uploads_root_, ec.message());
}

std::string BlobFiles::blob_path(std::string_view hex) const {
  std::string out;
  out.reserve(blobs_root_.size() + hex.size() + 4);
  out.append(blobs_root_).push_back('/');
  out.append(hex.substr(0, 2)).push_back('/');
  out.append(hex);
  return out;
}

std::string BlobFiles::upload_path(std::string_view name) const {
  std::string out;
  out.reserve(uploads_root_.size() + name.size() + 1);
  out.append(uploads_root_).push_back('/');
  out.append(name);
  return out;
}

Status BlobFiles::create_upload(std::string_view name) const {
  std::string path = upload_path(name);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.ok()) return common::fail(io_error("cannot create " + path));
  return common::ok();
}

Result<BlobFiles::Appended> BlobFiles::append(std::string_view name, int64_t offset, const Reader& body,
                                              common::Sha256Stream* hash, int64_t limit) const {
  std::string path = upload_path(name);
  Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.ok()) return common::fail(io_error("cannot open " + path));
  Hasher hasher(hash);
  Appended out;
  int64_t flushed = offset;  // writeback started up to here
  auto cut_back = [&] {
    if (::ftruncate(fd.get(), static_cast<off_t>(offset)) != 0) {
      common::log::warn("ecr: cannot truncate {}: {}", path, std::strerror(errno));
    }
  };
  while (true) {
    char* buffer = hasher.buffer();
    size_t n = 0;
    if (!store::fill(body, buffer, kBufferSize, n)) {
      cut_back();
      return Appended{out.bytes, true};
    }
    if (n == 0) break;
    if (limit >= 0 && out.bytes + static_cast<int64_t>(n) > limit) {
      cut_back();
      return common::fail(error(Errc::SizeInvalid, "blob larger than its declared size"));
    }
    hasher.hash(n);  // overlaps the write when on its thread
    if (!write_all(fd.get(), buffer, n, offset + out.bytes)) {
      Error e = io_error("write " + path);
      cut_back();
      return common::fail(std::move(e));
    }
    out.bytes += static_cast<int64_t>(n);
    int64_t end = offset + out.bytes;
    if (end - flushed >= kWritebackStep) {
      (void)store::start_writeback(fd.get(), static_cast<uint64_t>(flushed), static_cast<uint64_t>(end));
      flushed = end;
    }
    if (n < kBufferSize) break;  // fill() stops short only at the end of the body
  }
  hasher.finish();
  return out;
}

Status BlobFiles::truncate(std::string_view name, int64_t size) const {
  std::string path = upload_path(name);
  if (::truncate(path.c_str(), static_cast<off_t>(size)) != 0) return common::fail(io_error("truncate " + path));
  return common::ok();
}

int64_t BlobFiles::upload_size(std::string_view name) const {
  struct stat st {};
  if (::stat(upload_path(name).c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_size);
}

Result<std::string> BlobFiles::hash_upload(std::string_view name) const {
  std::string path = upload_path(name);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.ok()) return common::fail(io_error("cannot open " + path));
  auto buffer = std::make_unique_for_overwrite<char[]>(kBufferSize);
  common::Sha256Stream hash;
  while (true) {
    ssize_t n = ::read(fd.get(), buffer.get(), kBufferSize);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return common::fail(io_error("read " + path));
    if (n == 0) break;
    hash.update(std::string_view(buffer.get(), static_cast<size_t>(n)));
  }
  return common::hex_encode(hash.finish());
}

Status BlobFiles::publish(std::string_view name, std::string_view hex) const {
  std::string from = upload_path(name);
  std::string to = blob_path(hex);
  if (::access(to.c_str(), F_OK) == 0) {
    ::unlink(from.c_str());
    return common::ok();
  }
  {
    Fd fd(::open(from.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.ok()) return common::fail(io_error("cannot open " + from));
    if (::fdatasync(fd.get()) != 0) return common::fail(io_error("fsync " + from));
  }
  fs::path dir = fs::path(to).parent_path();
  if (::mkdir(dir.c_str(), 0755) == 0) {
    store::fsync_directory(blobs_root_);  // the new shard directory's entry
  } else if (errno != EEXIST) {
    return common::fail(io_error("cannot create " + dir.string()));
  }
  if (::rename(from.c_str(), to.c_str()) != 0) return common::fail(io_error("rename to " + to));
  if (!store::fsync_directory(dir.string())) return common::fail(io_error("fsync " + dir.string()));
  return common::ok();
}

void BlobFiles::remove_upload(std::string_view name) const { ::unlink(upload_path(name).c_str()); }

void BlobFiles::remove_blob(std::string_view hex) const { ::unlink(blob_path(hex).c_str()); }

std::vector<std::string> BlobFiles::list_uploads() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(uploads_root_, ec)) names.push_back(entry.path().filename().string());
  return names;
}

void BlobFiles::remove_all() const {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(blobs_root_, ec)) fs::remove_all(entry.path(), ec);
  for (const auto& entry : fs::directory_iterator(uploads_root_, ec)) fs::remove_all(entry.path(), ec);
}

}  // namespace ecr
