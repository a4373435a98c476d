#include "store/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace store {
namespace fs = std::filesystem;

namespace {

common::Error io_error(const std::string& what) {
  return common::make_error(common::ErrorKind::Unavailable, what + ": " + std::strerror(errno));
}

}  // namespace

bool fsync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

common::Result<AtomicFile> AtomicFile::create(std::string temp_path) {
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return common::fail(io_error("cannot create " + temp_path));
  return AtomicFile(fd, std::move(temp_path));
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept : fd_(other.fd_), temp_path_(std::move(other.temp_path_)) {
  other.fd_ = -1;
  other.temp_path_.clear();
}

AtomicFile::~AtomicFile() { abandon(); }

void AtomicFile::abandon() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
}

common::Status<> AtomicFile::write(std::string_view data) {
  if (fd_ < 0) return common::fail(common::make_error(common::ErrorKind::Internal, "file already closed"));
  while (!data.empty()) {
    ssize_t w = ::write(fd_, data.data(), data.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return common::fail(io_error("write " + temp_path_));
    }
    data.remove_prefix(static_cast<size_t>(w));
  }
  return common::ok();
}

common::Status<> AtomicFile::publish(const std::string& final_path) {
  if (fd_ < 0) return common::fail(common::make_error(common::ErrorKind::Internal, "file already closed"));
  auto failed = [&](common::Error e) {
    abandon();
    return common::fail(std::move(e));
  };
  if (::fsync(fd_) != 0) return failed(io_error("fsync " + temp_path_));
  ::close(fd_);
  fd_ = -1;
  fs::path dir = fs::path(final_path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !fs::is_directory(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return failed(common::make_error(common::ErrorKind::Unavailable, "cannot create " + dir.string()));
    fsync_directory(dir.parent_path().string());  // the new directory's entry
  }
  if (::rename(temp_path_.c_str(), final_path.c_str()) != 0) return failed(io_error("rename to " + final_path));
  temp_path_.clear();
  fsync_directory(dir.empty() ? "." : dir.string());
  return common::ok();
}

}  // namespace store
