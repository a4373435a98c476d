// Listings: latest objects, every version, multipart uploads. Each walks an index in key order
// inside one read transaction; keys rolling up into a common prefix (delimiter) are skipped
// with one seek past the prefix (prefix_successor), not by reading every key under it. A
// common prefix is reported only when it sorts after the marker, so resuming from a page that
// ended on a prefix does not repeat it.
#include <optional>

#include "services/s3/engine/internal.h"
#include "services/s3/engine/sql.h"
#include "services/s3/model/names.h"

namespace s3 {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The common prefix `key` rolls up into: up to and including the first `delimiter` after
// `prefix`; "" when there is none.
std::string rolled_up(std::string_view key, std::string_view prefix, std::string_view delimiter) {
  if (delimiter.empty()) return {};
  size_t at = key.find(delimiter, prefix.size());
  if (at == std::string_view::npos) return {};
  return std::string(key.substr(0, at + delimiter.size()));
}

Status check_max(int max) {
  if (max < 0)
    return common::fail(
        make_error(Reason::InvalidArgument, "Argument maxKeys must be an integer between 0 and 2147483647"));
  return common::ok();
}

// Counts entries (keys, versions, uploads, common prefixes) up to `max`; the first entry past
// it only marks the listing truncated.
class Budget {
 public:
  explicit Budget(int max) : max_(max) {}
  bool take(bool& truncated) {
    if (used_ == max_) {
      truncated = true;
      return false;
    }
    ++used_;
    return true;
  }

 private:
  int max_;
  int used_ = 0;
};

// A listing cursor the walk re-opens further on when it skips a common prefix. The statement
// is released before the same cached SQL is prepared again.
class Cursor {
 public:
  template <class Open>
  Status open(Open&& open) {
    statement_.reset();
    auto s = open();
    if (!s.ok()) return common::fail(s.error());
    statement_.emplace(std::move(*s));
    return common::ok();
  }
  Result<bool> next() { return Sql::step(*statement_); }
  const store::Statement& row() const { return *statement_; }

 private:
  std::optional<store::Statement> statement_;
};

}  // namespace

Result<ListResult> S3Engine::list_objects(const std::string& bucket_name, const ListQuery& query) {
  EngineState& state = *state_;
  if (auto r = check_max(query.max_keys); !r.ok()) return common::fail(r.error());
  auto bucket = find_bucket(state, bucket_name);
  if (!bucket.ok()) return common::fail(bucket.error());
  ListResult out;
  Budget budget(clamp_max(query.max_keys));
  if (clamp_max(query.max_keys) == 0) return out;
  store::Transaction tx(state.db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));

  Cursor cursor;
  auto seek = [&](std::string_view key, bool inclusive) {
    return cursor.open([&] { return state.objects.scan(bucket->id, key, inclusive); });
  };
  bool after_marker = query.after >= query.prefix;
  if (auto r = seek(after_marker ? query.after : query.prefix, !after_marker); !r.ok()) return common::fail(r.error());
  std::string previous;
  bool fresh = true;  // no key seen since the cursor (re)opened
  while (true) {
    auto more = cursor.next();
    if (!more.ok()) return common::fail(more.error());
    if (!*more) break;
    std::string key = ObjectRepo::row_key(cursor.row());
    if (!fresh && key == previous) continue;  // an older version of the key just seen
    fresh = false;
    previous = key;
    if (!starts_with(key, query.prefix)) break;
    bool dead = ObjectRepo::row_is_delete_marker(cursor.row());
    std::string prefix = rolled_up(key, query.prefix, query.delimiter);
    if (!prefix.empty()) {
      if (prefix > query.after) {
        if (dead) continue;  // a prefix is listed only when a live key is under it
        if (!budget.take(out.truncated)) break;
        out.common_prefixes.push_back(prefix);
        out.last = prefix;
      }
      std::string next = prefix_successor(prefix);
      if (next.empty()) break;
      if (auto r = seek(next, true); !r.ok()) return common::fail(r.error());
      fresh = true;
      continue;
    }
    if (dead) continue;
    if (!budget.take(out.truncated)) break;
    StoredVersion v = ObjectRepo::read_row(cursor.row());
    v.version.bucket = bucket->name;
    v.version.is_latest = true;
    out.last = key;
    out.objects.push_back(std::move(v.version));
  }
  return out;
}

Result<VersionListResult> S3Engine::list_versions(const std::string& bucket_name, const VersionQuery& query) {
  EngineState& state = *state_;
  if (auto r = check_max(query.max_keys); !r.ok()) return common::fail(r.error());
  if (!query.version_id_marker.empty()) {
    if (query.key_marker.empty()) {
      return common::fail(
          make_error(Reason::InvalidArgument, "A version-id marker cannot be specified without a key marker."));
    }
    if (!valid_version_id(query.version_id_marker)) {
      return common::fail(make_error(Reason::InvalidArgument, "Invalid version id specified"));
    }
  }
  auto bucket = find_bucket(state, bucket_name);
  if (!bucket.ok()) return common::fail(bucket.error());
  VersionListResult out;
  Budget budget(clamp_max(query.max_keys));
  if (clamp_max(query.max_keys) == 0) return out;
  store::Transaction tx(state.db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));

  auto add_version = [&](const store::Statement& row, bool is_latest) {
    StoredVersion v = ObjectRepo::read_row(row);
    v.version.bucket = bucket->name;
    v.version.is_latest = is_latest;
    out.next_key_marker = v.version.key;
    out.next_version_id_marker = v.version.version_id;
    out.versions.push_back(std::move(v.version));
  };
  Cursor cursor;
  // The versions of key_marker older than version_id_marker come first.
  if (!query.version_id_marker.empty()) {
    auto marker = state.objects.find(bucket->id, query.key_marker, query.version_id_marker);
    if (!marker.ok()) return common::fail(marker.error());
    if (!marker->has_value()) return common::fail(make_error(Reason::InvalidArgument, "Invalid version id specified"));
    if (starts_with(query.key_marker, query.prefix) &&
        rolled_up(query.key_marker, query.prefix, query.delimiter).empty()) {
      auto r = cursor.open([&] { return state.objects.scan_older(bucket->id, query.key_marker, (*marker)->id); });
      if (!r.ok()) return common::fail(r.error());
      while (true) {
        auto more = cursor.next();
        if (!more.ok()) return common::fail(more.error());
        if (!*more || !budget.take(out.truncated)) break;
        add_version(cursor.row(), false);
      }
    }
  }
  if (!out.truncated) {
    auto seek = [&](std::string_view key, bool inclusive) {
      return cursor.open([&] { return state.objects.scan(bucket->id, key, inclusive); });
    };
    bool after_marker = query.key_marker >= query.prefix;
    if (auto r = seek(after_marker ? query.key_marker : query.prefix, !after_marker); !r.ok()) {
      return common::fail(r.error());
    }
    std::string previous;
    bool fresh = true;
    while (true) {
      auto more = cursor.next();
      if (!more.ok()) return common::fail(more.error());
      if (!*more) break;
      std::string key = ObjectRepo::row_key(cursor.row());
      bool is_latest = fresh || key != previous;
      fresh = false;
      previous = key;
      if (!starts_with(key, query.prefix)) break;
      std::string prefix = rolled_up(key, query.prefix, query.delimiter);
      if (!prefix.empty()) {
        if (prefix > query.key_marker) {
          if (!budget.take(out.truncated)) break;
          out.common_prefixes.push_back(prefix);
          out.next_key_marker = prefix;
          out.next_version_id_marker.clear();
        }
        std::string next = prefix_successor(prefix);
        if (next.empty()) break;
        if (auto r = seek(next, true); !r.ok()) return common::fail(r.error());
        fresh = true;
        continue;
      }
      if (!budget.take(out.truncated)) break;
      add_version(cursor.row(), is_latest);
    }
  }
  if (!out.truncated) {
    out.next_key_marker.clear();
    out.next_version_id_marker.clear();
  }
  return out;
}

Result<UploadListResult> S3Engine::list_uploads(const std::string& bucket_name, const UploadListQuery& query) {
  EngineState& state = *state_;
  if (auto r = check_max(query.max_uploads); !r.ok()) return common::fail(r.error());
  auto bucket = find_bucket(state, bucket_name);
  if (!bucket.ok()) return common::fail(bucket.error());
  UploadListResult out;
  Budget budget(clamp_max(query.max_uploads));
  if (clamp_max(query.max_uploads) == 0) return out;
  store::Transaction tx(state.db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));

  auto add_upload = [&](const store::Statement& row) {
    StoredUpload u = UploadRepo::read_row(row);
    u.upload.bucket = bucket->name;
    out.next_key_marker = u.upload.key;
    out.next_upload_id_marker = u.upload.upload_id;
    out.uploads.push_back(std::move(u.upload));
  };
  Cursor cursor;
  // With both markers, the uploads of key_marker initiated after upload_id_marker come first;
  // an upload id marker alone is ignored, as S3 does.
  if (!query.upload_id_marker.empty() && !query.key_marker.empty()) {
    auto marker = state.uploads.by_upload_id(query.upload_id_marker);
    if (!marker.ok()) return common::fail(marker.error());
    if (marker->has_value() && (*marker)->bucket_id == bucket->id && (*marker)->upload.key == query.key_marker &&
        starts_with(query.key_marker, query.prefix) &&
        rolled_up(query.key_marker, query.prefix, query.delimiter).empty()) {
      auto r = cursor.open([&] { return state.uploads.scan_newer(bucket->id, query.key_marker, (*marker)->id); });
      if (!r.ok()) return common::fail(r.error());
      while (true) {
        auto more = cursor.next();
        if (!more.ok()) return common::fail(more.error());
        if (!*more || !budget.take(out.truncated)) break;
        add_upload(cursor.row());
      }
    }
  }
  if (!out.truncated) {
    auto seek = [&](std::string_view key, bool inclusive) {
      return cursor.open([&] { return state.uploads.scan(bucket->id, key, inclusive); });
    };
    bool after_marker = query.key_marker >= query.prefix;
    if (auto r = seek(after_marker ? query.key_marker : query.prefix, !after_marker); !r.ok()) {
      return common::fail(r.error());
    }
    while (true) {
      auto more = cursor.next();
      if (!more.ok()) return common::fail(more.error());
      if (!*more) break;
      std::string key = UploadRepo::row_key(cursor.row());
      if (!starts_with(key, query.prefix)) break;
      std::string prefix = rolled_up(key, query.prefix, query.delimiter);
      if (!prefix.empty()) {
        if (prefix > query.key_marker) {
          if (!budget.take(out.truncated)) break;
          out.common_prefixes.push_back(prefix);
          out.next_key_marker = prefix;
          out.next_upload_id_marker.clear();
        }
        std::string next = prefix_successor(prefix);
        if (next.empty()) break;
        if (auto r = seek(next, true); !r.ok()) return common::fail(r.error());
        continue;
      }
      if (!budget.take(out.truncated)) break;
      add_upload(cursor.row());
    }
  }
  if (!out.truncated) {
    out.next_key_marker.clear();
    out.next_upload_id_marker.clear();
  }
  return out;
}

}  // namespace s3
