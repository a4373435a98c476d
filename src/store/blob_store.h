// Content-addressed blobs on disk, shared by S3 objects, image layers and build artifacts.
// A blob is written to a temporary file, fsynced, then renamed to blobs/sha256/<ab>/<hex>
// (and the directory fsynced), so a crash never leaves a partial blob under its final name.
// Callers commit the database row that references a blob only after put() returns.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace store {

struct BlobInfo {
  std::string sha256;  // hex digest: the blob's name
  uint64_t size = 0;
  std::string md5;  // hex, for S3 ETags
};

class BlobStore {
 public:
  // `root` is created if missing; stale temporary files from a crash are removed.
  static common::Result<BlobStore> open(const std::string& root);

  // Streams a blob in: `read` fills the buffer and returns bytes read, 0 at end, -1 on
  // error (the upload is abandoned and nothing becomes visible). Never holds the whole
  // blob in memory.
  common::Result<BlobInfo> put(const std::function<long(char*, size_t)>& read);
  common::Result<BlobInfo> put_bytes(std::string_view data);

  bool exists(std::string_view sha256) const;
  // Path of a stored blob, for reading (open it; blobs are immutable).
  std::string path(std::string_view sha256) const;
  common::Status<> remove(std::string_view sha256);
  // Removes every blob (reset).
  common::Status<> clear();

  const std::string& root() const { return root_; }

 private:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

}  // namespace store
