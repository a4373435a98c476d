// Blob uploads: POST /v2/<name>/blobs/uploads/ (session, monolithic ?digest=, cross-repository
// ?mount=&from=), and PATCH / PUT / GET / DELETE on the session. Bodies stream from the
// request to the engine, which hashes and writes them as they arrive.
#include "oci/digest.h"
#include "services/ecr/registry/internal.h"

namespace ecr::registry {
namespace {

constexpr const char* kInitiate = "ecr:InitiateLayerUpload";
constexpr const char* kUploadPart = "ecr:UploadLayerPart";
constexpr const char* kComplete = "ecr:CompleteLayerUpload";

// The digest parameter of a completing request, or an answered DIGEST_INVALID.
std::optional<oci::Digest> digest_param(Call& call) {
  const std::string* text = call.param("digest");
  if (text == nullptr || text->empty()) {
    call.fail(make_error("DIGEST_INVALID").with_detail("digest missing"));
    return std::nullopt;
  }
  std::optional<oci::Digest> digest = oci::parse_digest(*text);
  if (!digest) call.fail(make_error("DIGEST_INVALID").with_detail("digest parsing failed"));
  return digest;
}

// POST ?mount=<digest>&from=<name>: links the blob when the other repository is in the same
// registry (account and region), has it, and the caller may read it there; else nullopt and
// the client gets a normal session (what ECR and Distribution do).
std::optional<BlobInfo> try_mount(Call& call, const std::string& mount, const std::string& from) {
  std::optional<oci::Digest> digest = oci::parse_digest(mount);
  if (!digest) return std::nullopt;
  std::optional<RegistryTarget> source = resolve_registry_target(call.host(), from, call.deps.options.default_region);
  if (!source || source->account != call.target.account || source->region != call.target.region) return std::nullopt;
  if (!valid_repository_name(source->name)) return std::nullopt;
  auto from_repo = call.deps.engine.get_repository(RepoRef{source->account, source->region, source->name});
  if (!from_repo.ok()) return std::nullopt;
  if (!call.allowed("ecr:GetDownloadUrlForLayer", *source, from_repo->policy)) return std::nullopt;
  return call.deps.engine.mount_blob(call.repo->id, from_repo->id, digest->str());
}

void monolithic_upload(Call& call, const std::string& digest_text) {
  if (!call.prepare(kInitiate) || !call.authorize(kUploadPart) || !call.authorize(kComplete)) return;
  std::optional<oci::Digest> digest = oci::parse_digest(digest_text);
  if (!digest) {
    call.fail(make_error("DIGEST_INVALID").with_detail("digest parsing failed"));
    return;
  }
  auto blob =
      call.deps.engine.put_blob(call.repo->id, digest->str(), body_reader(call.request), call.request.content_length);
  if (!blob.ok()) {
    call.fail(blob.error());
    return;
  }
  reply_blob_created(call, blob->digest);
}

void patch_upload(Call& call) {
  if (!call.prepare(kUploadPart)) return;
  std::optional<int64_t> start;
  if (const std::string* header = call.request.header("content-range")) {
    auto range = parse_content_range(*header);
    if (!range) {
      call.fail(make_error("BLOB_UPLOAD_INVALID", "invalid content range").with_detail(*header));
      return;
    }
    start = range->first;
  }
  auto state = call.deps.engine.append_upload(call.repo->id, call.route.reference, start, body_reader(call.request));
  if (state.ok()) {
    reply_upload_state(call, *state, 202);
    return;
  }
  if (start && state.error().code == Errc::UploadInvalid) {
    // A chunk out of order: 416, with where the session stands (OCI distribution-spec).
    RegistryError error = make_error("BLOB_UPLOAD_INVALID", state.error().message);
    error.status = 416;
    auto now = call.deps.engine.upload_status(call.repo->id, call.route.reference);
    if (now.ok()) {
      error = std::move(error)
                  .with_header("Location", upload_location(call, now->uuid))
                  .with_header("Range", upload_range(now->offset))
                  .with_header("Docker-Upload-UUID", now->uuid);
    }
    call.fail(error);
    return;
  }
  call.fail(state.error());
}

void complete_upload(Call& call) {
  if (!call.prepare(kComplete)) return;
  std::optional<oci::Digest> digest = digest_param(call);
  if (!digest) return;
  const http::Request& request = call.request;
  bool has_chunk = request.body_reader != nullptr && request.content_length != 0;
  Reader chunk = body_reader(call.request);
  auto blob = call.deps.engine.complete_upload(call.repo->id, call.route.reference, digest->str(),
                                               has_chunk ? &chunk : nullptr);
  if (!blob.ok()) {
    // The blob is already there (another push finished first): as good as done.
    if (blob.error().code == Errc::LayerAlreadyExists && call.deps.engine.find_blob(call.repo->id, digest->str())) {
      reply_blob_created(call, digest->str());
      return;
    }
    call.fail(blob.error());
    return;
  }
  reply_blob_created(call, blob->digest);
}

void upload_status(Call& call) {
  if (!call.prepare(kUploadPart)) return;
  auto state = call.deps.engine.upload_status(call.repo->id, call.route.reference);
  if (!state.ok()) {
    call.fail(state.error());
    return;
  }
  reply_upload_state(call, *state, 204);
}

void cancel_upload(Call& call) {
  if (!call.prepare(kInitiate)) return;
  auto cancelled = call.deps.engine.cancel_upload(call.repo->id, call.route.reference);
  if (!cancelled.ok()) {
    call.fail(cancelled.error());
    return;
  }
  call.reply(204);
  call.response.set_header("Docker-Upload-UUID", call.route.reference);
}

}  // namespace

void handle_upload_start(Call& call) {
  if (call.request.method != "POST") {
    call.fail(make_error("UNSUPPORTED"));
    return;
  }
  if (const std::string* digest = call.param("digest"); digest != nullptr && !digest->empty()) {
    monolithic_upload(call, *digest);
    return;
  }
  if (!call.prepare(kInitiate)) return;
  const std::string* mount = call.param("mount");
  const std::string* from = call.param("from");
  if (mount != nullptr && from != nullptr) {
    if (std::optional<BlobInfo> mounted = try_mount(call, *mount, *from)) {
      reply_blob_created(call, mounted->digest);
      return;
    }
  }
  auto state = call.deps.engine.start_upload(call.repo->id);
  if (!state.ok()) {
    call.fail(state.error());
    return;
  }
  reply_upload_state(call, *state, 202);
}

void handle_upload(Call& call) {
  const std::string& method = call.request.method;
  if (method == "PATCH") {
    patch_upload(call);
  } else if (method == "PUT") {
    complete_upload(call);
  } else if (method == "GET" || method == "HEAD") {
    upload_status(call);
  } else if (method == "DELETE") {
    cancel_upload(call);
  } else {
    call.fail(make_error("UNSUPPORTED"));
  }
}

std::string upload_range(int64_t offset) { return "0-" + std::to_string(offset > 0 ? offset - 1 : 0); }

void reply_upload_state(Call& call, const UploadState& state, int status) {
  call.reply(status);
  call.response.set_header("Location", upload_location(call, state.uuid));
  call.response.set_header("Range", upload_range(state.offset));
  call.response.set_header("Docker-Upload-UUID", state.uuid);
}

void reply_blob_created(Call& call, std::string_view digest) {
  call.reply(201);
  call.response.set_header("Location", blob_location(call, digest));
  call.response.set_header("Docker-Content-Digest", std::string(digest));
}

}  // namespace ecr::registry
