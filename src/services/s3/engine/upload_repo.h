// The SQL of multipart uploads (s3_uploads, in initiation order) and their parts (s3_parts,
// bytes inline or in s3_segments). Callers own transactions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/s3/engine/s3_engine.h"

namespace s3 {

struct StoredUpload {
  int64_t id = 0;  // s3_uploads.id
  int64_t bucket_id = 0;
  Upload upload;  // bucket left empty
};

struct StoredPart {
  int64_t id = 0;  // s3_parts.id
  bool in_files = false;
  std::string md5_hex;
  Part part;
  std::string inline_data;  // read only by parts_with_data()
};

class UploadRepo {
 public:
  explicit UploadRepo(store::Db& db) : db_(db) {}

  Result<std::optional<StoredUpload>> by_upload_id(std::string_view upload_id);
  Result<int64_t> insert(int64_t bucket_id, const Upload& upload);
  Status remove(int64_t id);  // the upload row only

  Result<std::optional<StoredPart>> part(int64_t upload, int part_number);
  Result<int64_t> insert_part(int64_t upload, const StoredPart& part);
  Status remove_part(int64_t id);
  // Parts after `marker` in part-number order, at most `limit` (metadata only).
  Result<std::vector<StoredPart>> parts(int64_t upload, int marker, int limit);
  // Every part, with inline bytes.
  Result<std::vector<StoredPart>> parts_with_data(int64_t upload);

  // Listing cursors over (key, id): uploads with key >= `key` (`inclusive`) or > `key`; or the
  // uploads of `key` initiated after row `after_id`. Read rows with row_key() and read_row().
  Result<store::Statement> scan(int64_t bucket_id, std::string_view key, bool inclusive);
  Result<store::Statement> scan_newer(int64_t bucket_id, std::string_view key, int64_t after_id);
  static std::string row_key(const store::Statement& s);
  static StoredUpload read_row(const store::Statement& s);

 private:
  store::Db& db_;
};

}  // namespace s3
