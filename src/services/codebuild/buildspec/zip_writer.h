// A streaming ZIP writer for build artifacts: each entry is deflated (zlib) and its CRC-32
// computed while it is copied, nothing is buffered whole, and the output needs no seeking (a
// data descriptor follows each entry), so it can write to a file or to an upload stream.
// ZIP64 records are written when an entry, an offset or the entry count needs them. Unix modes
// (and symlinks, S_IFLNK) sit in the external attributes; modification times in the DOS fields
// and in an extended-timestamp extra field.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "services/codebuild/buildspec/artifacts.h"

namespace buildspec {

// Where the bytes go. write() returns false on failure (the writer then stops).
class ZipSink {
 public:
  virtual ~ZipSink() = default;
  virtual bool write(const void* data, size_t size) = 0;
};

// A file descriptor (not owned).
class FdZipSink final : public ZipSink {
 public:
  explicit FdZipSink(int fd) : fd_(fd) {}
  bool write(const void* data, size_t size) override;

 private:
  int fd_;
};

struct ZipWriterOptions {
  int level = 6;  // zlib compression level
  // Entries whose size reaches this get ZIP64 sizes. Real archives need it from 4 GiB (a little
  // below, for deflate's worst-case growth); tests lower it to exercise the ZIP64 records.
  uint64_t zip64_entry_threshold = 0xFF000000ULL;
  // Local header offsets, and the central directory's offset, from which ZIP64 fields and end
  // records are written (the format's limit is 4 GiB; tests lower it).
  uint64_t zip64_offset_threshold = 0xFFFFFFFFULL;
};

class ZipWriter {
 public:
  explicit ZipWriter(ZipSink& sink, ZipWriterOptions options = {});
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // A file's content (symlinks followed), with its mode and modification time.
  common::Status<> add_file(std::string_view archive_path, const std::string& source_path);
  // A symbolic link entry whose content is the target path.
  common::Status<> add_symlink(std::string_view archive_path, std::string_view target, time_t mtime);
  // Bytes held in memory (small generated files).
  common::Status<> add_bytes(std::string_view archive_path, std::string_view data, uint32_t mode = 0100644,
                             time_t mtime = 0);
  // Writes the central directory and the end records. No entry can be added afterwards.
  common::Status<> finish();

  uint64_t bytes_written() const { return offset_; }
  size_t entry_count() const { return entries_.size(); }

 private:
  struct Entry {
    std::string name;
    uint32_t mode = 0;
    time_t mtime = 0;
    uint32_t crc = 0;
    uint64_t compressed = 0;
    uint64_t size = 0;
    uint64_t offset = 0;
    bool zip64 = false;  // sizes in ZIP64 form (local extra field, 8-byte data descriptor)
  };
  class Deflater;

  common::Status<> begin(Entry& entry, uint64_t size_hint);
  common::Status<> end(Entry& entry);
  bool put(const void* data, size_t size);
  bool put(const std::string& bytes) { return put(bytes.data(), bytes.size()); }

  ZipSink& sink_;
  ZipWriterOptions options_;
  void* zstream_ = nullptr;  // one z_stream reset for every entry (many small files are common)
  uint64_t offset_ = 0;
  std::vector<Entry> entries_;
  bool finished_ = false;
  bool failed_ = false;
};

// Writes `files` (select_artifacts' result) to a new zip file at `zip_path`.
common::Status<> write_zip(const std::string& zip_path, const std::vector<ArtifactFile>& files,
                           ZipWriterOptions options = {});

}  // namespace buildspec
