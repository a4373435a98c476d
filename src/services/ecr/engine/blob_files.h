// The files behind ECR's blobs. Complete blobs are content-addressed and shared by every
// repository that links them: <data_dir>/blobs/sha256/<first two hex>/<hex>, written once,
// never changed. Bytes being received live in <data_dir>/uploads/<name> (an upload session's
// uuid, or "put-<random>" for a monolithic upload) until publish() makes them durable under the
// final name. Which rows reference which file is the engine's business; this class only
// writes, hashes, publishes, lists and removes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "services/ecr/engine/ecr_engine.h"

namespace ecr {

class BlobFiles {
 public:
  static constexpr size_t kBufferSize = 1 << 20;

  explicit BlobFiles(const std::string& data_dir)
      : blobs_root_(data_dir + "/blobs/sha256"), uploads_root_(data_dir + "/uploads") {}

  // Creates the directories.
  void prepare() const;

  std::string blob_path(std::string_view hex) const;
  std::string upload_path(std::string_view name) const;

  // Creates an empty upload file (which must not exist).
  Status create_upload(std::string_view name) const;

  struct Appended {
    int64_t bytes = 0;         // written after `offset` (the file now ends at offset + bytes);
                               // with body_broken: how many `hash` saw before the body failed
    bool body_broken = false;  // the body failed; the file was cut back to `offset`
  };
  // Streams `body` into the upload file from `offset` in reads of kBufferSize, feeding `hash`
  // (when not null) with every byte written, and starting writeback as it goes so publishing
  // has little left to flush. At most `limit` bytes (>= 0) are accepted: more is SizeInvalid.
  // A broken body, or an error, leaves the file as it was (and `hash` perhaps fed with part of
  // the body).
  Result<Appended> append(std::string_view name, int64_t offset, const Reader& body, common::Sha256Stream* hash,
                          int64_t limit = -1) const;
  // Cuts an upload file back to `size` bytes.
  Status truncate(std::string_view name, int64_t size) const;
  // The upload file's size, or -1 when it does not exist.
  int64_t upload_size(std::string_view name) const;
  // Reads the upload file through SHA-256 (sessions whose in-memory hash is gone): lower-case hex.
  Result<std::string> hash_upload(std::string_view name) const;

  // Makes the upload file the blob `hex`: fsync, rename, fsync the directory. When the blob's
  // file already exists (another push of the same content), the upload file is dropped.
  Status publish(std::string_view name, std::string_view hex) const;

  void remove_upload(std::string_view name) const;
  void remove_blob(std::string_view hex) const;
  // Names of the files in uploads/.
  std::vector<std::string> list_uploads() const;
  // Removes every blob and upload file (reset).
  void remove_all() const;

 private:
  std::string blobs_root_;
  std::string uploads_root_;
};

}  // namespace ecr
