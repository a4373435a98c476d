// InitiateLayerUpload / UploadLayerPart / CompleteLayerUpload: a blob pushed through the API,
// on the same upload sessions the registry's PATCH/PUT use.
#include <cstring>

#include "common/crypto.h"
#include "gen/ecr/errors.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

// What AWS answers as partSize (the part size it suggests).
constexpr int64_t kPartSize = 10 * 1024 * 1024;
// Every part but the last must be at least this big.
constexpr size_t kMinPartSize = 5 * 1024 * 1024;

// Notes a part's size; a small part that turns out not to be the last breaks the rule.
void note_part(Api& api, const std::string& upload_id, size_t size) {
  std::lock_guard lock(api.parts_mutex);
  bool& last_small = api.last_part_small[upload_id];
  if (last_small) api.small_part_inside[upload_id] = true;
  last_small = size < kMinPartSize;
}

bool parts_too_small(Api& api, const std::string& upload_id) {
  std::lock_guard lock(api.parts_mutex);
  auto it = api.small_part_inside.find(upload_id);
  return it != api.small_part_inside.end() && it->second;
}

void forget_parts(Api& api, const std::string& upload_id) {
  std::lock_guard lock(api.parts_mutex);
  api.last_part_small.erase(upload_id);
  api.small_part_inside.erase(upload_id);
}

Reader reader_of(const std::string& bytes) {
  auto position = std::make_shared<size_t>(0);
  return [&bytes, position](char* buffer, size_t size) -> long {
    size_t n = std::min(size, bytes.size() - *position);
    std::memcpy(buffer, bytes.data() + *position, n);
    *position += n;
    return static_cast<long>(n);
  };
}

aws::AwsError upload_not_found(const RepoRef& ref, const std::string& upload_id) {
  return errors::UploadNotFoundException("Upload with id '" + upload_id +
                                         "' does not exist in the repository with name '" + ref.name +
                                         "' in the registry with id '" + ref.account + "'");
}

aws::AwsError bad_part(const RepoRef& ref, const std::string& upload_id, int64_t last_valid) {
  return errors::InvalidLayerPartException(
             "The layer part size is not valid, or the first byte specified is not consecutive to the last byte of a "
             "previous layer part upload.")
      .with("registryId", ref.account)
      .with("repositoryName", ref.name)
      .with("uploadId", upload_id)
      .with("lastValidByteReceived", last_valid);
}

}  // namespace

HandlerResult initiate_layer_upload(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  auto upload = api.engine.start_upload(repository->id);
  if (!upload.ok()) return common::fail(to_aws_error(upload.error(), ref));
  return Json{{"uploadId", upload->uuid}, {"partSize", kPartSize}};
}

// Parts must follow each other: partFirstByte is the session's current length and
// partLastByte the part's last byte (InvalidLayerPartException otherwise).
HandlerResult upload_layer_part(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  std::string upload_id = str(input, "uploadId");
  auto state = api.engine.upload_status(repository->id, upload_id);
  if (!state.ok()) return common::fail(upload_not_found(ref, upload_id));
  std::string bytes;
  if (!common::base64_decode(str(input, "layerPartBlob"), bytes)) {
    return common::fail(
        invalid_parameter("Invalid parameter at 'layerPartBlob' failed to satisfy constraint: "
                          "'Member must be valid Base64'"));
  }
  int64_t first = input.at("partFirstByte").get<int64_t>();
  int64_t last = input.at("partLastByte").get<int64_t>();
  if (first != state->offset || last - first + 1 != static_cast<int64_t>(bytes.size())) {
    return common::fail(bad_part(ref, upload_id, state->offset - 1));
  }
  auto appended = api.engine.append_upload(repository->id, upload_id, first, reader_of(bytes));
  if (!appended.ok()) {
    if (appended.error().code == Errc::UploadUnknown) return common::fail(upload_not_found(ref, upload_id));
    if (appended.error().code == Errc::UploadInvalid) return common::fail(bad_part(ref, upload_id, state->offset - 1));
    return common::fail(to_aws_error(appended.error(), ref));
  }
  note_part(api, upload_id, bytes.size());
  return Json{{"registryId", ref.account},
              {"repositoryName", ref.name},
              {"uploadId", upload_id},
              {"lastByteReceived", appended->offset - 1}};
}

// One digest (the whole layer). A part under 5 MiB that was not the last is
// LayerPartTooSmallException; a repository that has the layer already answers
// LayerAlreadyExistsException; an upload with no bytes EmptyUploadException; content that does
// not hash to the digest InvalidLayerException.
HandlerResult complete_layer_upload(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  std::string upload_id = str(input, "uploadId");
  const Json& digests = input.at("layerDigests");
  if (digests.size() != 1) {
    return common::fail(invalid_parameter(
        "Invalid parameter at 'layerDigests' failed to satisfy constraint: 'Member must contain exactly one digest'"));
  }
  std::string digest = digests[0].get<std::string>();
  auto state = api.engine.upload_status(repository->id, upload_id);
  if (!state.ok()) return common::fail(upload_not_found(ref, upload_id));
  if (state->offset == 0) {
    return common::fail(errors::EmptyUploadException("The upload with id '" + upload_id + "' contains no data"));
  }
  if (parts_too_small(api, upload_id)) {
    return common::fail(errors::LayerPartTooSmallException("Layer parts must be at least 5 MiB in size"));
  }
  if (api.engine.find_blob(repository->id, digest)) {
    forget_parts(api, upload_id);
    (void)api.engine.cancel_upload(repository->id, upload_id);
    return common::fail(errors::LayerAlreadyExistsException("The layer with digest '" + digest +
                                                            "' already exists in the repository with name '" +
                                                            ref.name + "' in registry with id '" + ref.account + "'"));
  }
  auto blob = api.engine.complete_upload(repository->id, upload_id, digest, nullptr);
  if (blob.ok()) forget_parts(api, upload_id);
  if (!blob.ok()) {
    switch (blob.error().code) {
      case Errc::UploadUnknown: return common::fail(upload_not_found(ref, upload_id));
      case Errc::DigestInvalid:
      case Errc::InvalidParameter:
        return common::fail(errors::InvalidLayerException(
            "The layer digest '" + digest + "' does not match the content of upload '" + upload_id + "'"));
      default: return common::fail(to_aws_error(blob.error(), ref));
    }
  }
  return Json{
      {"registryId", ref.account}, {"repositoryName", ref.name}, {"uploadId", upload_id}, {"layerDigest", digest}};
}

}  // namespace ecr::api
