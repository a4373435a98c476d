// The SQL of object versions (s3_objects; bytes in s3_segments, see SegmentRepo). The latest
// version of a key is its row with the largest id; a lookup is one statement on
// s3_objects_by_key (latest) or s3_objects_by_version, joined with the version's segments.
// Callers own transactions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/s3/engine/s3_engine.h"

namespace s3 {

struct StoredVersion {
  int64_t id = 0;         // s3_objects.id
  bool in_files = false;  // bytes in segments (else inline)
  ObjectVersion version;  // bucket left empty
};

// A version's row without its description (what a delete or an overwrite needs).
struct VersionHandle {
  int64_t id = 0;
  bool in_files = false;
  bool delete_marker = false;
};

class ObjectRepo {
 public:
  explicit ObjectRepo(store::Db& db) : db_(db) {}

  // With the version's bytes (inline data or segments); nullopt when absent.
  Result<std::optional<StoredVersion>> latest(int64_t bucket_id, std::string_view key);
  Result<std::optional<StoredVersion>> version(int64_t bucket_id, std::string_view key, std::string_view version_id);

  Result<std::optional<VersionHandle>> find(int64_t bucket_id, std::string_view key, std::string_view version_id);

  // Returns the new row's id (newer than every existing row).
  Result<int64_t> insert(int64_t bucket_id, const ObjectVersion& version, bool in_files);
  Status remove(int64_t id);
  Status set_tags(int64_t id, const std::vector<Tag>& tags);

  // Listing cursors over (key, id DESC): rows with key >= `key` (`inclusive`) or > `key`; or
  // the versions of `key` older than row `below_id`. Read rows with row_key() and read_row().
  Result<store::Statement> scan(int64_t bucket_id, std::string_view key, bool inclusive);
  Result<store::Statement> scan_older(int64_t bucket_id, std::string_view key, int64_t below_id);
  static std::string row_key(const store::Statement& s);
  static bool row_is_delete_marker(const store::Statement& s);
  // The version a cursor row describes (no bytes).
  static StoredVersion read_row(const store::Statement& s);

 private:
  Result<std::optional<StoredVersion>> lookup(store::Statement& statement, bool latest);

  store::Db& db_;
};

}  // namespace s3
