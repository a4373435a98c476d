// The files holding object and part bytes larger than S3Engine::kInlineMax. Each file has a
// unique random id and lives at <root>/<first two characters>/<id>; it is streamed into
// <root>/tmp/, fsynced and renamed (store::AtomicFile) before any row references it, and never
// changes afterwards. Which rows reference which file is the engine's business (s3_segments);
// this class only writes, reads, lists and removes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/checksum.h"
#include "services/s3/engine/s3_engine.h"

namespace s3 {

// MD5 (for the ETag) and the requested S3 checksums of bytes seen in order.
class Digests {
 public:
  explicit Digests(const std::vector<common::ChecksumAlgorithm>& algorithms);
  void update(std::string_view bytes);
  // Fills size, md5_hex and checksums.
  void finish(StoredData& out);

  // update() in two halves that may run at the same time on two threads (each half on one
  // thread at a time, over the same bytes in the same order): update_first runs MD5 and the
  // checksums that share its thread, update_second the others. The split balances the halves'
  // cost, counting the reading and writing of the body by the thread calling update_second.
  void update_first(std::string_view bytes);
  void update_second(std::string_view bytes);

 private:
  common::Checksum md5_;
  std::vector<common::Checksum> checksums_;  // [0, first_) go with MD5 in update_first
  size_t first_ = 0;
  uint64_t size_ = 0;
};

// "CRC32", "sha256"... -> algorithms (deduplicated); InvalidArgument for anything else.
Result<std::vector<common::ChecksumAlgorithm>> parse_algorithms(const std::vector<std::string>& names);

class DataFiles {
 public:
  static constexpr size_t kBufferSize = 1 << 20;

  explicit DataFiles(std::string root) : root_(std::move(root)) {}

  // Creates the root and tmp/, and removes temporary files a crash left behind (logged).
  void prepare();
  std::string path(std::string_view file) const;
  bool exists(std::string_view file) const;

  // S3Engine::store_data.
  Result<StoredData> store(const std::function<long(char*, size_t)>& read, int64_t size_hint,
                           const std::vector<common::ChecksumAlgorithm>& algorithms);
  // A new data file holding `bytes`; returns its id.
  Result<std::string> write(std::string_view bytes);
  // Streams the bytes of `segments`, in order, through `visit` in reads of at most kBufferSize.
  Status read(const std::vector<Segment>& segments, const std::function<void(std::string_view)>& visit) const;

  // Unlinks data files (missing ones are ignored).
  void remove(const std::vector<std::string>& files);
  // Every data file id on disk.
  std::vector<std::string> list() const;
  // Removes every data file and emptied shard directory (reset); temporaries of uploads in
  // flight are left alone, and so is anything else in the directory.
  void remove_all();

 private:
  std::string temp_path() const;

  std::string root_;
};

}  // namespace s3
