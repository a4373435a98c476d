// Blob reads: HEAD/GET /v2/<name>/blobs/<digest>, ranges, bodies sent from the blob file with
// sendfile (never read into memory). DELETE is refused as ECR's registry does not offer it.
#include "common/strings.h"
#include "oci/digest.h"
#include "services/ecr/registry/internal.h"

namespace ecr::registry {
namespace {

bool etag_matches(const http::Request& request, const std::string& digest) {
  const std::string* header = request.header("if-none-match");
  if (header == nullptr) return false;
  for (std::string_view item : common::split(*header, ',')) {
    item = common::trim(item);
    if (item == "*" || item == digest || item == "\"" + digest + "\"") return true;
  }
  return false;
}

void reply_unsatisfiable(Call& call, int64_t size) {
  // Go's http.ServeContent (Distribution serves blobs with it) answers a bad range so.
  call.response.status = 416;
  call.response.set_header("Content-Range", "bytes */" + std::to_string(size));
  call.response.set_header("Content-Type", "text/plain; charset=utf-8");
  call.response.body = call.request.method == "HEAD" ? "" : "invalid range: failed to overlap\n";
  call.response.head_only = call.request.method == "HEAD";
  call.error_code = "RANGE_INVALID";
}

void serve_blob(Call& call, const BlobInfo& blob) {
  http::Response& response = call.response;
  bool head = call.request.method == "HEAD";
  std::string etag = "\"" + blob.digest + "\"";
  if (etag_matches(call.request, blob.digest)) {
    response.status = 304;
    response.set_header("Docker-Content-Digest", blob.digest);
    response.set_header("ETag", etag);
    return;
  }
  ByteRange range{0, blob.size};
  int status = 200;
  if (const std::string* header = call.request.header("range")) {
    switch (parse_range(*header, blob.size, range)) {
      case RangeResult::Whole: range = ByteRange{0, blob.size}; break;
      case RangeResult::Partial: status = 206; break;
      case RangeResult::Unsatisfiable: reply_unsatisfiable(call, blob.size); return;
    }
  }
  http::FileSegment segment{blob.path, static_cast<uint64_t>(range.first), static_cast<uint64_t>(range.length),
                            nullptr};
  if (!head && range.length > 0) {
    // Opened now: the bytes stay readable even if the blob file goes while the body is sent.
    segment.file = http::OpenFile::open(blob.path);
    if (!segment.file) {
      call.fail(make_error("BLOB_UNKNOWN").with_detail(blob.digest));
      return;
    }
  }
  response.status = status;
  response.set_header("Content-Type", "application/octet-stream");
  response.set_header("Docker-Content-Digest", blob.digest);
  response.set_header("ETag", etag);
  response.set_header("Accept-Ranges", "bytes");
  response.set_header("Cache-Control", "max-age=31536000");
  if (status == 206) {
    response.set_header("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                             std::to_string(range.first + range.length - 1) + "/" +
                                             std::to_string(blob.size));
  }
  if (range.length > 0) response.files.push_back(std::move(segment));
  response.head_only = head;
}

}  // namespace

void handle_blob(Call& call) {
  const std::string& method = call.request.method;
  if (method != "GET" && method != "HEAD") {
    call.fail(make_error("UNSUPPORTED"));
    return;
  }
  if (!call.prepare(method == "HEAD" ? "ecr:BatchCheckLayerAvailability" : "ecr:GetDownloadUrlForLayer")) return;
  std::optional<oci::Digest> digest = oci::parse_digest(call.route.reference);
  if (!digest) {
    call.fail(make_error("DIGEST_INVALID", "invalid digest").with_detail(call.route.reference));
    return;
  }
  std::optional<BlobInfo> blob = call.deps.engine.find_blob(call.repo->id, digest->str());
  if (!blob) {
    call.fail(make_error("BLOB_UNKNOWN").with_detail(digest->str()));
    return;
  }
  serve_blob(call, *blob);
}

Reader body_reader(http::Request& request) {
  http::BodyReader* reader = request.body_reader;
  if (reader == nullptr) return [](char*, size_t) -> long { return 0; };
  return [reader](char* buffer, size_t size) -> long { return reader->read(buffer, size); };
}

std::string upload_location(const Call& call, std::string_view uuid) {
  return "/v2/" + call.route.name + "/blobs/uploads/" + std::string(uuid);
}

std::string blob_location(const Call& call, std::string_view digest) {
  return "/v2/" + call.route.name + "/blobs/" + std::string(digest);
}

}  // namespace ecr::registry
