// A file written under a temporary name and published atomically: write() appends, publish()
// fsyncs it, renames it to its final name and fsyncs that directory, so a crash never leaves a
// partial file under a final name (only temporaries, which their owner removes at start).
// Destroyed unpublished, the temporary file is removed. Used by BlobStore and S3's data files.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace store {

class AtomicFile {
 public:
  // Creates `temp_path` (which must not exist; its directory must).
  static common::Result<AtomicFile> create(std::string temp_path);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  common::Status<> write(std::string_view data);
  // fsync, rename to `final_path` (its directory is created if missing), fsync the directory.
  // On failure the temporary file is removed.
  common::Status<> publish(const std::string& final_path);

  const std::string& temp_path() const { return temp_path_; }

 private:
  AtomicFile(int fd, std::string temp_path) : fd_(fd), temp_path_(std::move(temp_path)) {}
  void abandon();

  int fd_ = -1;
  std::string temp_path_;
};

// fsyncs a directory so a rename or unlink inside it is durable. False on failure.
bool fsync_directory(const std::string& dir);

}  // namespace store
