// Multipart uploads: create, parts (uploaded or sliced from an object), complete (the object
// is the listed parts' segments: no bytes are copied), abort.
#include <algorithm>
#include <climits>
#include <map>

#include "common/crypto.h"
#include "common/strings.h"
#include "services/s3/engine/checksums.h"
#include "services/s3/engine/internal.h"
#include "services/s3/model/names.h"

namespace s3 {

namespace {

constexpr int kMaxPartNumber = 10000;
constexpr uint64_t kMaxObjectSize = 5ull << 40;  // 5 TiB

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

std::string hex_decode(std::string_view hex) {
  std::string raw;
  raw.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    raw.push_back(static_cast<char>(hex_digit(hex[i]) * 16 + hex_digit(hex[i + 1])));
  }
  return raw;
}

std::string unquoted(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

// The upload `upload_id` names, if it belongs to bucket/key; NoSuchUpload otherwise.
Result<StoredUpload> find_upload(EngineState& state, const Bucket& bucket, std::string_view key,
                                 std::string_view upload_id) {
  auto found = state.uploads.by_upload_id(upload_id);
  if (!found.ok()) return common::fail(found.error());
  if (!found->has_value() || (*found)->bucket_id != bucket.id || (*found)->upload.key != key) {
    return common::fail(no_such_upload());
  }
  (*found)->upload.bucket = bucket.name;
  return std::move(**found);
}

// Removes every part of an upload (rows and segment references).
Status drop_parts(EngineState& state, int64_t upload, std::vector<std::string>& released) {
  auto parts = state.uploads.parts(upload, 0, INT_MAX);
  if (!parts.ok()) return common::fail(parts.error());
  for (const StoredPart& part : *parts) {
    if (part.in_files) {
      if (auto r = state.segments.release(SegmentOwner::Part, part.id, released); !r.ok()) return r;
    }
    if (auto r = state.uploads.remove_part(part.id); !r.ok()) return r;
  }
  return common::ok();
}

// Validates the checksum settings of a new upload and fills the default type.
std::optional<Error> check_checksum_settings(Upload& upload) {
  if (upload.checksum_algorithm.empty()) {
    if (!upload.checksum_type.empty()) {
      return make_error(Reason::InvalidRequest,
                        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
    }
    return std::nullopt;
  }
  auto algorithm = common::parse_checksum_algorithm(upload.checksum_algorithm);
  if (!algorithm || *algorithm == common::ChecksumAlgorithm::MD5) {
    return make_error(Reason::InvalidRequest, "Checksum algorithm provided is unsupported.");
  }
  upload.checksum_algorithm = std::string(common::checksum_name(*algorithm));
  if (upload.checksum_type.empty()) {
    upload.checksum_type = *algorithm == common::ChecksumAlgorithm::CRC64NVME ? "FULL_OBJECT" : "COMPOSITE";
  }
  std::string lower = common::to_lower(upload.checksum_algorithm);
  if (upload.checksum_type == "FULL_OBJECT" && !is_crc(*algorithm)) {
    return make_error(Reason::InvalidRequest,
                      "The FULL_OBJECT checksum type cannot be used with the " + lower + " checksum algorithm.");
  }
  if (upload.checksum_type == "COMPOSITE" && *algorithm == common::ChecksumAlgorithm::CRC64NVME) {
    return make_error(Reason::InvalidRequest,
                      "The COMPOSITE checksum type cannot be used with the " + lower + " checksum algorithm.");
  }
  if (upload.checksum_type != "FULL_OBJECT" && upload.checksum_type != "COMPOSITE") {
    return make_error(Reason::InvalidRequest, "Value for x-amz-checksum-type header is invalid.");
  }
  return std::nullopt;
}

}  // namespace

Result<Upload> S3Engine::create_upload(Upload upload) {
  EngineState& state = *state_;
  if (auto e = check_key(upload.key)) return common::fail(std::move(*e));
  if (auto e = check_metadata(upload.metadata)) return common::fail(std::move(*e));
  if (auto e = check_object_tags(upload.tags)) return common::fail(std::move(*e));
  if (auto e = check_checksum_settings(upload)) return common::fail(std::move(*e));
  auto bucket = find_bucket(state, upload.bucket);
  if (!bucket.ok()) return common::fail(bucket.error());
  upload.upload_id = new_upload_id();
  upload.initiated = state.clock.now();
  if (upload.storage_class.empty()) upload.storage_class = "STANDARD";
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  if (auto exists = current_versioning(state, *bucket); !exists.ok()) return common::fail(exists.error());
  if (auto id = state.uploads.insert(bucket->id, upload); !id.ok()) return common::fail(id.error());
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  return upload;
}

Result<Upload> S3Engine::get_upload(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  auto found_bucket = find_bucket(*state_, bucket);
  if (!found_bucket.ok()) return common::fail(found_bucket.error());
  auto found = find_upload(*state_, *found_bucket, key, upload_id);
  if (!found.ok()) return common::fail(found.error());
  return std::move(found->upload);
}

Result<Part> S3Engine::put_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                int part_number, StoredData data) {
  EngineState& state = *state_;
  auto put = [&]() -> Result<Part> {
    if (part_number < 1 || part_number > kMaxPartNumber) {
      return common::fail(
          make_error(Reason::InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive"));
    }
    if (data.size > kMaxPutSize) {
      return common::fail(make_error(Reason::EntityTooLarge, "Your proposed upload exceeds the maximum allowed size"));
    }
    auto found_bucket = find_bucket(state, bucket);
    if (!found_bucket.ok()) return common::fail(found_bucket.error());
    store::Transaction tx(state.db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(storage_error(tx.error()));
    auto upload = find_upload(state, *found_bucket, key, upload_id);
    if (!upload.ok()) return common::fail(upload.error());
    const std::string& algorithm = upload->upload.checksum_algorithm;
    if (!algorithm.empty() && !data.checksums.count(algorithm)) {
      return common::fail(
          make_error(Reason::InvalidRequest, "Checksum Type mismatch occurred, expected checksum Type: " +
                                                 common::to_lower(algorithm) + ", actual checksum Type: null"));
    }
    if (auto r = check_files(state, data.segments); !r.ok()) return common::fail(r.error());
    std::vector<std::string> released;
    auto existing = state.uploads.part(upload->id, part_number);
    if (!existing.ok()) return common::fail(existing.error());
    if (existing->has_value()) {
      if ((*existing)->in_files) {
        if (auto r = state.segments.release(SegmentOwner::Part, (*existing)->id, released); !r.ok()) {
          return common::fail(r.error());
        }
      }
      if (auto r = state.uploads.remove_part((*existing)->id); !r.ok()) return common::fail(r.error());
    }
    StoredPart part;
    part.in_files = !data.segments.empty();
    part.md5_hex = data.md5_hex;
    part.part.part_number = part_number;
    part.part.size = data.size;
    part.part.etag = "\"" + data.md5_hex + "\"";
    part.part.last_modified = state.clock.now();
    part.part.checksums = data.checksums;
    part.inline_data = std::move(data.inline_data);
    auto id = state.uploads.insert_part(upload->id, part);
    if (!id.ok()) return common::fail(id.error());
    if (part.in_files) {
      if (auto r = state.segments.add(SegmentOwner::Part, *id, data.segments); !r.ok()) return common::fail(r.error());
    }
    if (auto r = commit_and_reap(state, tx, std::move(released)); !r.ok()) return common::fail(r.error());
    return std::move(part.part);
  };
  auto result = put();
  if (!result.ok()) discard(data);  // after the transaction: discard takes its own
  return result;
}

Result<StoredData> S3Engine::slice_object(const ObjectRef& source, uint64_t first, uint64_t length,
                                          const std::vector<std::string>& checksums) {
  EngineState& state = *state_;
  auto algorithms = parse_algorithms(checksums);
  if (!algorithms.ok()) return common::fail(algorithms.error());
  if (length > kMaxPutSize) {
    return common::fail(make_error(Reason::EntityTooLarge, "Your proposed upload exceeds the maximum allowed size"));
  }
  auto bucket = find_bucket(state, source.bucket);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto found = resolve_version(state, *bucket, source.key, source.version_id);
  if (!found.ok()) return common::fail(found.error());
  const ObjectVersion& src = found->version;
  if (first > src.size || length > src.size - first) {
    return common::fail(make_error(Reason::InvalidArgument, "Range specified is not valid for source object of size: " +
                                                                std::to_string(src.size)));
  }
  Digests digests(*algorithms);
  StoredData out;
  if (!found->in_files) {
    out.inline_data = src.inline_data.substr(first, length);
    digests.update(out.inline_data);
    digests.finish(out);
    return out;
  }
  // The segments covering [first, first + length).
  std::vector<Segment> range;
  uint64_t position = 0;
  for (const Segment& segment : src.segments) {
    uint64_t begin = std::max(first, position);
    uint64_t end = std::min(first + length, position + segment.length);
    if (begin < end) range.push_back(Segment{segment.file, segment.offset + (begin - position), end - begin});
    position += segment.length;
  }
  bool small = length <= kInlineMax;
  auto read = state.files.read(range, [&](std::string_view bytes) {
    digests.update(bytes);
    if (small) out.inline_data.append(bytes);
  });
  if (!read.ok()) return common::fail(no_such_key());  // the source went while it was read
  digests.finish(out);
  if (!small) out.segments = std::move(range);
  return out;
}

Result<PartListResult> S3Engine::list_parts(const std::string& bucket, const std::string& key,
                                            const std::string& upload_id, int part_number_marker, int max_parts) {
  EngineState& state = *state_;
  if (max_parts < 0 || part_number_marker < 0) {
    return common::fail(make_error(Reason::InvalidArgument, "max-parts and part-number-marker cannot be negative"));
  }
  auto found_bucket = find_bucket(state, bucket);
  if (!found_bucket.ok()) return common::fail(found_bucket.error());
  store::Transaction tx(state.db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto upload = find_upload(state, *found_bucket, key, upload_id);
  if (!upload.ok()) return common::fail(upload.error());
  int max = clamp_max(max_parts);
  auto parts = state.uploads.parts(upload->id, part_number_marker, max + 1);
  if (!parts.ok()) return common::fail(parts.error());
  PartListResult out;
  out.truncated = static_cast<int>(parts->size()) > max;
  if (out.truncated) parts->resize(static_cast<size_t>(max));
  for (StoredPart& part : *parts) out.parts.push_back(std::move(part.part));
  if (!out.parts.empty()) out.next_part_number_marker = out.parts.back().part_number;
  return out;
}

Result<PutObjectOutput> S3Engine::complete_upload(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id,
                                                  const std::vector<CompletedPart>& parts) {
  EngineState& state = *state_;
  if (parts.empty()) {
    return common::fail(make_error(Reason::MalformedXML,
                                   "The XML you provided was not well-formed or did not validate against our "
                                   "published schema"));
  }
  auto found_bucket = find_bucket(state, bucket);
  if (!found_bucket.ok()) return common::fail(found_bucket.error());
  std::vector<std::string> fresh_files;  // inline parts written out; removed again on failure
  auto complete = [&]() -> Result<PutObjectOutput> {
    store::Transaction tx(state.db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(storage_error(tx.error()));
    auto upload = find_upload(state, *found_bucket, key, upload_id);
    if (!upload.ok()) return common::fail(upload.error());
    for (size_t i = 1; i < parts.size(); ++i) {
      if (parts[i].part_number <= parts[i - 1].part_number) {
        return common::fail(make_error(Reason::InvalidPartOrder,
                                       "The list of parts was not in ascending order. Parts must be ordered by part "
                                       "number."));
      }
    }
    auto stored = state.uploads.parts_with_data(upload->id);
    if (!stored.ok()) return common::fail(stored.error());
    std::map<int, StoredPart*> by_number;
    for (StoredPart& part : *stored) by_number[part.part.part_number] = &part;

    const std::string& algorithm_name = upload->upload.checksum_algorithm;
    auto invalid_part = [] {
      return make_error(Reason::InvalidPart,
                        "One or more of the specified parts could not be found.  The part may not have been "
                        "uploaded, or the specified entity tag may not match the part's entity tag.");
    };
    std::vector<StoredPart*> listed;
    for (const CompletedPart& requested : parts) {
      auto it = by_number.find(requested.part_number);
      if (it == by_number.end() || unquoted(requested.etag) != it->second->md5_hex) {
        return common::fail(invalid_part());
      }
      if (!algorithm_name.empty()) {
        auto sent = requested.checksums.find(algorithm_name);
        auto have = it->second->part.checksums.find(algorithm_name);
        if (sent != requested.checksums.end() &&
            (have == it->second->part.checksums.end() || have->second != sent->second)) {
          return common::fail(invalid_part());
        }
      }
      listed.push_back(it->second);
    }
    uint64_t total = 0;
    for (size_t i = 0; i < listed.size(); ++i) {
      if (i + 1 < listed.size() && listed[i]->part.size < kMinPartSize) {
        return common::fail(
            make_error(Reason::EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size"));
      }
      total += listed[i]->part.size;
    }
    if (total > kMaxObjectSize) {
      return common::fail(make_error(Reason::EntityTooLarge, "Your proposed upload exceeds the maximum allowed size"));
    }

    ObjectVersion v;
    const Upload& u = upload->upload;
    v.bucket = bucket;
    v.key = key;
    v.is_latest = true;
    v.size = total;
    v.last_modified = state.clock.now();
    v.headers = u.headers;
    v.metadata = u.metadata;
    v.tags = u.tags;
    v.storage_class = u.storage_class;
    v.owner_account = u.owner_account;
    v.parts_count = static_cast<int>(listed.size());
    std::string md5s;
    std::vector<std::string> part_checksums;
    for (StoredPart* part : listed) {
      md5s += hex_decode(part->md5_hex);
      v.part_sizes.push_back(part->part.size);
      if (!algorithm_name.empty()) {
        auto have = part->part.checksums.find(algorithm_name);
        part_checksums.push_back(have == part->part.checksums.end() ? std::string() : have->second);
      }
    }
    v.etag = "\"" + common::md5_hex(md5s) + "-" + std::to_string(listed.size()) + "\"";
    if (!algorithm_name.empty()) {
      auto algorithm = common::parse_checksum_algorithm(algorithm_name);
      auto checksum = multipart_checksum(*algorithm, u.checksum_type, part_checksums, v.part_sizes);
      if (!checksum.ok()) return common::fail(checksum.error());
      v.checksums[algorithm_name] = std::move(*checksum);
      v.checksum_type = u.checksum_type;
    }

    // The bytes: inline when every part is and the object is small; else the parts' segments
    // in order, with any inline part (the last, or a lone small one) written to a file of its own.
    std::vector<Segment> segments;
    bool all_inline = std::all_of(listed.begin(), listed.end(), [](const StoredPart* p) { return !p->in_files; });
    if (all_inline && total <= kInlineMax) {
      for (StoredPart* part : listed) v.inline_data += part->inline_data;
    } else {
      for (StoredPart* part : listed) {
        if (part->part.size == 0) continue;
        if (part->in_files) {
          auto of = state.segments.of(SegmentOwner::Part, part->id);
          if (!of.ok()) return common::fail(of.error());
          segments.insert(segments.end(), of->begin(), of->end());
          continue;
        }
        auto file = state.files.write(part->inline_data);
        if (!file.ok()) return common::fail(file.error());
        fresh_files.push_back(*file);
        segments.push_back(Segment{*file, 0, part->part.size});
      }
    }

    auto versioning = current_versioning(state, *found_bucket);
    if (!versioning.ok()) return common::fail(versioning.error());
    std::vector<std::string> released;
    if (auto r = write_version(state, found_bucket->id, *versioning, v, segments, released); !r.ok()) {
      return common::fail(r.error());
    }
    // Every part goes; the files of unlisted ones (and of replaced versions) with it.
    if (auto r = drop_parts(state, upload->id, released); !r.ok()) return common::fail(r.error());
    if (auto r = state.uploads.remove(upload->id); !r.ok()) return common::fail(r.error());
    if (auto r = commit_and_reap(state, tx, std::move(released)); !r.ok()) return common::fail(r.error());
    fresh_files.clear();
    PutObjectOutput out;
    out.version_id = v.version_id;
    out.etag = v.etag;
    out.size = v.size;
    out.last_modified = v.last_modified;
    return out;
  };
  auto result = complete();
  state.files.remove(fresh_files);  // only when the object was not made
  return result;
}

Status S3Engine::abort_upload(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  EngineState& state = *state_;
  auto found_bucket = find_bucket(state, bucket);
  if (!found_bucket.ok()) return common::fail(found_bucket.error());
  store::Transaction tx(state.db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto upload = find_upload(state, *found_bucket, key, upload_id);
  if (!upload.ok()) return common::fail(upload.error());
  std::vector<std::string> released;
  if (auto r = drop_parts(state, upload->id, released); !r.ok()) return r;
  if (auto r = state.uploads.remove(upload->id); !r.ok()) return r;
  return commit_and_reap(state, tx, std::move(released));
}

}  // namespace s3
