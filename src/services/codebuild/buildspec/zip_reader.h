// Reading ZIP archives: S3 zip sources and CodePipeline input artifacts become a build's
// source directory. The central directory is authoritative (ZIP64 included); entries are
// stored or deflated. Extraction refuses archives that would write outside the destination:
// absolute names, ".." segments, and symlinks whose targets leave it (links are created after
// every file, and files are never written through an existing link).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "common/result.h"

namespace buildspec {

struct ZipEntry {
  std::string name;  // as stored ('\\' separators turned into '/')
  uint16_t method = 0;
  uint16_t flags = 0;
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;
  uint64_t local_header_offset = 0;
  uint32_t mode = 0;  // Unix mode (type and permissions); 0100644 / 040755 when the archive has none
  time_t mtime = 0;
  bool is_directory() const { return (mode & 0170000) == 0040000; }
  bool is_symlink() const { return (mode & 0170000) == 0120000; }
};

struct ExtractOptions {
  uint64_t max_total_bytes = 0;  // 0: no limit; else a larger archive fails (zip bombs)
};

class ZipReader {
 public:
  // Opens and reads the central directory; InvalidArgument for what is not a readable zip.
  static common::Result<ZipReader> open(const std::string& path);
  ZipReader(ZipReader&& other) noexcept;
  ZipReader& operator=(ZipReader&&) = delete;
  ~ZipReader();

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(const std::string& name) const;

  // One entry's content (checked against its CRC); fails past `max_bytes`.
  common::Result<std::string> read(const ZipEntry& entry, uint64_t max_bytes = 64 << 20) const;
  // Every entry under `dest_dir` (created if missing).
  common::Status<> extract_all(const std::string& dest_dir, ExtractOptions options = {}) const;

 private:
  ZipReader(int fd, uint64_t size) : fd_(fd), size_(size) {}
  common::Status<> load_directory();
  // Streams an entry's content to `out` in chunks; checks size and CRC.
  template <class Out>
  common::Status<> stream(const ZipEntry& entry, uint64_t max_bytes, Out&& out) const;
  common::Result<std::string> pread_exact(uint64_t offset, size_t size) const;

  int fd_ = -1;
  uint64_t size_ = 0;
  std::vector<ZipEntry> entries_;
};

}  // namespace buildspec
