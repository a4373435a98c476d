// Manifests: PUT (stored verbatim; the engine validates and tags), GET/HEAD with Accept
// negotiation, DELETE by digest or tag.
#include "common/strings.h"
#include "oci/digest.h"
#include "oci/manifest.h"
#include "services/ecr/registry/internal.h"

namespace ecr::registry {
namespace {

constexpr size_t kMaxManifestBytes = 4 * 1024 * 1024;  // PutImage's imageManifest limit

// ECR's wording (docker shows "manifest unknown: Requested image not found").
constexpr const char* kImageNotFound = "Requested image not found";

// What Distribution says when the stored type is not acceptable to the client.
std::string unacceptable_message(std::string_view media_type) {
  if (media_type == oci::kOciManifest) return "OCI manifest found, but accept header does not support OCI manifests";
  if (media_type == oci::kOciIndex) return "OCI index found, but accept header does not support OCI indexes";
  if (media_type == oci::kDockerManifestList) {
    return "manifest list found, but accept header does not support manifest lists";
  }
  return "manifest found, but accept header does not support its media type";
}

// The media type without parameters ("...+json; charset=utf-8" -> "...+json").
std::string bare_media_type(const std::string* header) {
  if (header == nullptr) return "";
  std::string_view text = *header;
  return std::string(common::trim(text.substr(0, text.find(';'))));
}

void put_manifest(Call& call) {
  if (!call.prepare("ecr:PutImage")) return;
  const std::string& reference = call.route.reference;
  PutManifestInput input;
  if (oci::is_digest_reference(reference)) {
    std::optional<oci::Digest> digest = oci::parse_digest(reference);
    if (!digest) {
      call.fail(make_error("DIGEST_INVALID", "invalid digest").with_detail(reference));
      return;
    }
    input.expected_digest = digest->str();
  } else if (oci::valid_tag(reference)) {
    input.tag = reference;
  } else {
    call.fail(make_error("TAG_INVALID", "invalid tag").with_detail(reference));
    return;
  }
  if (call.request.content_length > static_cast<int64_t>(kMaxManifestBytes) ||
      !call.request.read_body(input.bytes, kMaxManifestBytes)) {
    call.fail(make_error("MANIFEST_INVALID").with_detail("manifest larger than 4 MiB or its body was cut short"));
    return;
  }
  input.content_type = bare_media_type(call.request.header("content-type"));
  auto put = call.deps.engine.put_manifest(call.repo->id, input);
  if (!put.ok()) {
    call.fail(put.error());
    return;
  }
  const Image& image = put->image;
  call.reply(201);
  call.response.set_header("Location", "/v2/" + call.route.name + "/manifests/" + image.digest);
  call.response.set_header("Docker-Content-Digest", image.digest);
  if (image.subject) call.response.set_header("OCI-Subject", *image.subject);
}

void get_manifest(Call& call) {
  if (!call.prepare("ecr:BatchGetImage")) return;
  const std::string& reference = call.route.reference;
  if (oci::is_digest_reference(reference) ? !oci::parse_digest(reference) : !oci::valid_tag(reference)) {
    call.fail(make_error("MANIFEST_UNKNOWN", kImageNotFound));
    return;
  }
  auto image = call.deps.engine.get_image(call.repo->id, reference);
  if (!image.ok()) {
    if (image.error().code == Errc::ImageNotFound) {
      call.fail(make_error("MANIFEST_UNKNOWN", kImageNotFound));
    } else {
      call.fail(image.error());
    }
    return;
  }
  if (!oci::acceptable(image->media_type, accept_values(call.request))) {
    call.fail(make_error("MANIFEST_UNKNOWN", unacceptable_message(image->media_type)));
    return;
  }
  http::Response& response = call.response;
  std::string etag = "\"" + image->digest + "\"";
  response.set_header("Docker-Content-Digest", image->digest);
  response.set_header("ETag", etag);
  const std::string* if_none_match = call.request.header("if-none-match");
  if (if_none_match != nullptr && (*if_none_match == etag || *if_none_match == image->digest)) {
    call.reply(304);
    return;
  }
  call.reply(200);
  response.set_header("Content-Type", image->media_type);
  response.body = std::move(image->manifest);
  if (call.request.method == "HEAD") {
    response.head_only = true;
  } else {
    call.deps.engine.record_pull(call.repo->id, image->digest);
  }
}

void delete_manifest(Call& call) {
  if (!call.prepare("ecr:BatchDeleteImage")) return;
  const std::string& reference = call.route.reference;
  ImageId id;
  if (oci::is_digest_reference(reference)) {
    std::optional<oci::Digest> digest = oci::parse_digest(reference);
    if (!digest) {
      call.fail(make_error("DIGEST_INVALID", "invalid digest").with_detail(reference));
      return;
    }
    id.digest = digest->str();
  } else if (oci::valid_tag(reference)) {
    id.tag = reference;
  } else {
    call.fail(make_error("MANIFEST_UNKNOWN", kImageNotFound));
    return;
  }
  auto deleted = call.deps.engine.delete_image(call.repo->id, id);
  if (!deleted.ok()) {
    if (deleted.error().code == Errc::ImageNotFound) {
      call.fail(make_error("MANIFEST_UNKNOWN", kImageNotFound));
    } else {
      call.fail(deleted.error());
    }
    return;
  }
  call.reply(202);
}

}  // namespace

void handle_manifest(Call& call) {
  const std::string& method = call.request.method;
  if (method == "GET" || method == "HEAD") {
    get_manifest(call);
  } else if (method == "PUT") {
    put_manifest(call);
  } else if (method == "DELETE") {
    delete_manifest(call);
  } else {
    call.fail(make_error("UNSUPPORTED"));
  }
}

}  // namespace ecr::registry
