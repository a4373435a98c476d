// S3 storage: buckets (global names, owned by one account), object versions, multipart
// uploads, stored in SQLite (metadata, and the bytes of small objects) plus data files for
// everything larger. No HTTP, XML or AWS error strings here: failures are s3::Error
// (model/errors.h) and the api layer picks the AWS error.
//
// Data files have unique names (not content-addressed), are written to a temporary name,
// fsynced and renamed before the row that references them commits, and are removed when the
// last row referencing them goes (inside the same write transaction, so a copy that shares
// a file can never race with its removal). A multipart object is the list of its parts'
// files: completing an upload copies nothing; a copy shares the source's segments.
//
// Thread-safe: every method may be called concurrently; each mutating call is one write
// transaction; reads are one read transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "services/s3/model/errors.h"
#include "services/s3/model/tag.h"
#include "store/db.h"

namespace s3 {

struct Bucket {
  int64_t id = 0;
  std::string name;
  std::string owner_account;
  std::string region;
  common::TimePoint created{};
  std::string versioning;             // "" (never enabled), "Enabled", "Suspended"
  std::optional<std::string> policy;  // the bucket policy document, as put
};

// A run of bytes inside a data file.
struct Segment {
  std::string file;  // data file id; engine.file_path(file) opens it
  uint64_t offset = 0;
  uint64_t length = 0;
};

// What the client said about the object's representation, returned as stored.
struct ObjectHeaders {
  std::string content_type;  // "" = not given (GET answers binary/octet-stream)
  std::string content_encoding;
  std::string content_disposition;
  std::string content_language;
  std::string cache_control;
  std::string expires;  // as sent (an HTTP date)
  std::string website_redirect_location;
};

// The bytes of a new object or part, already stored (inline or in a data file), with the
// digests computed while they streamed in.
struct StoredData {
  uint64_t size = 0;
  std::string md5_hex;
  std::map<std::string, std::string> checksums;  // "CRC32" -> base64, as requested
  std::string inline_data;                       // small bodies
  std::vector<Segment> segments;                 // else: the data file(s)
};

struct ObjectVersion {
  std::string bucket;
  std::string key;
  std::string version_id;  // "null" for objects written while versioning was off/suspended
  bool delete_marker = false;
  bool is_latest = false;
  uint64_t size = 0;
  std::string etag;  // quoted: "\"<md5>\"" or "\"<md5>-<parts>\""
  common::TimePoint last_modified{};
  ObjectHeaders headers;
  std::vector<std::pair<std::string, std::string>> metadata;  // x-amz-meta-<name> (lower-cased name)
  std::map<std::string, std::string> checksums;               // "CRC32" -> base64 ("...-N" composite)
  std::string checksum_type;                                  // "FULL_OBJECT", "COMPOSITE" or ""
  std::vector<Tag> tags;
  std::string storage_class = "STANDARD";
  int parts_count = 0;               // multipart objects: number of parts
  std::vector<uint64_t> part_sizes;  // multipart objects: size of each part, in order
  std::string owner_account;         // who wrote this version
  std::string inline_data;           // the bytes of a small object
  std::vector<Segment> segments;     // else where they are, in order
};

struct PutObjectInput {
  std::string bucket;
  std::string key;
  ObjectHeaders headers;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<Tag> tags;
  std::string storage_class = "STANDARD";
  std::string checksum_type;  // "" = FULL_OBJECT when checksums are present
  std::string owner_account;
  StoredData data;
};

struct PutObjectOutput {
  std::string version_id;  // "null" when the bucket is not versioning-enabled
  std::string etag;
  uint64_t size = 0;
  common::TimePoint last_modified{};
  std::string source_version_id;  // copy_object: the version that was copied
};

// What copy_object takes from the source rather than from `target` (MetadataDirective and
// TaggingDirective COPY), read in the copy's own transaction.
struct CopyDirectives {
  bool copy_metadata = false;  // headers and user metadata
  bool copy_tags = false;
};

// Which version: latest when empty; "null" names the unversioned one.
struct ObjectRef {
  std::string bucket;
  std::string key;
  std::string version_id;
};

struct DeleteOutput {
  bool delete_marker = false;  // a delete marker was created or deleted
  std::string version_id;      // of the marker created / the version removed ("" = none)
};

struct ListQuery {
  std::string prefix;
  std::string delimiter;
  std::string after;  // exclusive start: start-after, marker, or a continuation token's key
  int max_keys = 1000;
};

struct ListResult {
  std::vector<ObjectVersion> objects;        // latest non-marker versions, by key (bytes)
  std::vector<std::string> common_prefixes;  // in key order; they count towards max_keys
  bool truncated = false;
  std::string last;  // the last key or common prefix returned (next marker / continuation)
};

struct VersionQuery {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string version_id_marker;
  int max_keys = 1000;
};

struct VersionListResult {
  std::vector<ObjectVersion> versions;  // by key, then newest first; delete markers included
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_version_id_marker;
};

struct Upload {
  std::string upload_id;
  std::string bucket;
  std::string key;
  common::TimePoint initiated{};
  std::string owner_account;
  ObjectHeaders headers;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<Tag> tags;
  std::string storage_class = "STANDARD";
  std::string checksum_algorithm;  // "CRC32", ... or ""
  std::string checksum_type;       // "COMPOSITE" / "FULL_OBJECT" / ""
};

struct Part {
  int part_number = 0;
  uint64_t size = 0;
  std::string etag;  // quoted md5
  common::TimePoint last_modified{};
  std::map<std::string, std::string> checksums;
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;                              // as the client sent it (quotes optional)
  std::map<std::string, std::string> checksums;  // as the client sent them (may be empty)
};

struct UploadListQuery {
  std::string prefix;
  std::string delimiter;
  std::string key_marker;
  std::string upload_id_marker;
  int max_uploads = 1000;
};

struct UploadListResult {
  std::vector<Upload> uploads;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

struct PartListResult {
  std::vector<Part> parts;
  bool truncated = false;
  int next_part_number_marker = 0;
};

class S3Engine {
 public:
  // Objects up to this size live in SQLite; larger ones in data files.
  static constexpr uint64_t kInlineMax = 64 * 1024;
  static constexpr uint64_t kMinPartSize = 5ull * 1024 * 1024;
  static constexpr uint64_t kMaxPutSize = 5ull * 1024 * 1024 * 1024;

  // `data_dir` is where data files go (created; stale temporary files removed).
  S3Engine(store::Db& db, const common::Clock& clock, std::string data_dir);
  ~S3Engine();
  // Creates or upgrades the s3_* tables (module "s3"), then removes data files no row
  // references (a crash between a commit and its unlink; logged). Call before serving.
  Status migrate();
  // After store reset (Db::reset_all): drops the bucket cache and every data file.
  void on_reset();

  // --- buckets
  // `region` is where the bucket lives; us-east-1 re-creation by the owner succeeds (AWS's
  // legacy behaviour), elsewhere BucketAlreadyOwnedByYou.
  Result<Bucket> create_bucket(const std::string& account, const std::string& region, const std::string& name);
  Result<Bucket> get_bucket(std::string_view name);                                 // cached; NoSuchBucket
  Result<std::vector<Bucket>> list_buckets(const std::string& account);             // by name
  Status delete_bucket(const std::string& name);                                    // BucketNotEmpty
  Status set_versioning(const std::string& bucket, const std::string& status);      // Enabled|Suspended
  Status set_policy(const std::string& bucket, std::optional<std::string> policy);  // nullopt deletes
  // Other per-bucket documents, stored as given: "tagging", "notification", ...
  Result<std::optional<std::string>> get_config(const std::string& bucket, std::string_view kind);
  Status put_config(const std::string& bucket, std::string_view kind, std::optional<std::string> value);

  // --- object data
  // Streams a body in: `read` fills the buffer, returns bytes, 0 at end, -1 on failure (then
  // nothing is kept). `size_hint` is the declared length (-1 unknown): known bodies up to
  // kInlineMax stay in memory. `checksums` names algorithms to compute (CRC32, CRC32C, SHA1,
  // SHA256, CRC64NVME). Fails with IncompleteBody when `size_hint` >= 0 and differs from
  // what was read.
  Result<StoredData> store_data(const std::function<long(char*, size_t)>& read, int64_t size_hint,
                                const std::vector<std::string>& checksums);
  // Releases data stored but never committed (the request failed after store_data). Files
  // that rows reference (a slice's shared segments) stay. Safe to call twice.
  void discard(const StoredData& data);
  // Where a segment's file is: open it and read [offset, offset + length). Files never change;
  // one may disappear once no version or part references it (delete, overwrite).
  std::string file_path(const std::string& file) const;
  // Hands the bytes of a version get_object returned to `sink`, in order, in pieces: for a
  // service reading an object to a file (CodeBuild's sources, CodePipeline's artifacts).
  // NoSuchKey when a data file went meanwhile (the version was deleted or overwritten).
  Status read_data(const ObjectVersion& object, const std::function<void(std::string_view)>& sink) const;

  // --- objects
  // One write transaction; on failure input.data is discarded here. KeyTooLong,
  // MetadataTooLarge, TooManyTags/InvalidTag, EntityTooLarge, NoSuchBucket.
  Result<PutObjectOutput> put_object(PutObjectInput input);
  // One indexed lookup (with the version's segments). NoSuchKey (Error.delete_marker set when
  // the latest version is a delete marker), NoSuchVersion, InvalidArgument (malformed version
  // id), MethodNotAllowed (a delete marker named by version id; Error.delete_marker set).
  Result<ObjectVersion> get_object(const ObjectRef& ref);
  // Deletes a version (version_id set) or, without one, the latest: a delete marker when
  // versioning is Enabled/Suspended, else removal. Deleting what does not exist succeeds.
  Result<DeleteOutput> delete_object(const ObjectRef& ref);
  // Copies the source's bytes (shared segments) into a new object described by `target`
  // (target.data and target.checksum_type are ignored: the copy keeps the source's digests).
  // InvalidRequest when a latest version is copied onto itself with nothing changed.
  Result<PutObjectOutput> copy_object(const ObjectRef& source, PutObjectInput target, CopyDirectives directives = {});
  // Replaces the tags of one version (as get_object resolves it); `version_id` (may be null)
  // receives the version tagged.
  Status put_object_tags(const ObjectRef& ref, std::vector<Tag> tags, std::string* version_id);
  // max_keys above 1000 counts as 1000; negative: InvalidArgument; 0: an empty, untruncated page.
  Result<ListResult> list_objects(const std::string& bucket, const ListQuery& query);
  // InvalidArgument for a version_id_marker without key_marker, malformed, or naming no version
  // of key_marker.
  Result<VersionListResult> list_versions(const std::string& bucket, const VersionQuery& query);

  // --- multipart
  // Fills upload_id and initiated; normalises checksum_algorithm ("CRC32") and defaults
  // checksum_type (COMPOSITE; FULL_OBJECT for CRC64NVME). InvalidRequest for combinations S3
  // refuses (FULL_OBJECT with SHA*, COMPOSITE with CRC64NVME, a type without an algorithm).
  Result<Upload> create_upload(Upload upload);
  Result<Upload> get_upload(const std::string& bucket, const std::string& key, const std::string& upload_id);
  // Stores (or replaces) a part; `data` comes from store_data or slice_object and must carry
  // the upload's checksum algorithm if it has one (else InvalidRequest). On failure `data` is
  // discarded here. InvalidArgument for a part number outside 1..10000, NoSuchUpload.
  Result<Part> put_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                        int part_number, StoredData data);
  // The bytes of `range` [first, first+length) of an object as a new part's data (shared
  // segments; ranges up to kInlineMax are inlined). Reads the range once for its MD5 and the
  // `checksums` asked for (as store_data). InvalidArgument when the range is out of bounds.
  Result<StoredData> slice_object(const ObjectRef& source, uint64_t first, uint64_t length,
                                  const std::vector<std::string>& checksums = {});
  Result<PartListResult> list_parts(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                    int part_number_marker, int max_parts);
  Result<UploadListResult> list_uploads(const std::string& bucket, const UploadListQuery& query);
  // Validates parts (MalformedXML when empty, InvalidPartOrder, InvalidPart, EntityTooSmall),
  // makes the object (versioned as put_object), drops the unused parts and the upload.
  // ETag "<md5 of part md5s>-N"; checksums: COMPOSITE "<b64>-N", FULL_OBJECT the combined CRC.
  Result<PutObjectOutput> complete_upload(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id, const std::vector<CompletedPart>& parts);
  Status abort_upload(const std::string& bucket, const std::string& key, const std::string& upload_id);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace s3
