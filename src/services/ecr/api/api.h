// What ECR's handlers share: the state they close over (engine, token issuer, options, the
// lifecycle previews), how a request names its repository, the wire shapes several operations
// return, and the one mapping from ecr::Error to ECR's exceptions. One handler per operation
// (or small family) lives in the file named after it; register.cc binds them.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/dispatch/operation_table.h"
#include "aws/protocol/aws_error.h"
#include "services/ecr/api/register.h"
#include "services/ecr/engine/auth_token.h"
#include "services/ecr/engine/ecr_engine.h"
#include "services/ecr/model/lifecycle.h"

namespace ecr::api {

using dispatch::HandlerResult;
using dispatch::RequestContext;
using Json = common::Json;

// The last StartLifecyclePolicyPreview of a repository (AWS keeps it for a while; we keep it
// in memory until the next preview, the repository's deletion or a reset).
struct Preview {
  std::string policy_text;
  std::vector<LifecycleAction> actions;
};

struct Api {
  Api(EcrEngine& e, const TokenIssuer& t, ApiOptions o) : engine(e), tokens(t), options(std::move(o)) {}
  EcrEngine& engine;
  const TokenIssuer& tokens;
  ApiOptions options;

  std::mutex previews_mutex;
  std::map<std::string, Preview> previews;  // by preview_key

  // Upload sessions of the layer API whose parts broke AWS's 5 MiB minimum (a part under it
  // that was not the last): CompleteLayerUpload answers LayerPartTooSmallException. In memory:
  // a restart forgets it (the bytes are fine either way).
  std::mutex parts_mutex;
  std::map<std::string, bool> last_part_small;  // by upload id
  std::map<std::string, bool> small_part_inside;
};

// --- naming --------------------------------------------------------------------------------
// The registry (account) a request acts on: its registryId, else the caller's account.
std::string registry_of(const RequestContext& context, const Json& input);
// The repository a request names: registryId (or the caller's account), the request's region,
// repositoryName.
RepoRef repo_ref(const RequestContext& context, const Json& input);
// The host in repository URIs and proxy endpoints: --registry-host, else the API call's Host.
std::string registry_host(const Api& api, const RequestContext& context);
std::string repository_uri(const Api& api, const RequestContext& context, const Repository& repository);

// Token claims for the caller's credentials (and session token), valid until `expires_epoch`.
TokenClaims caller_claims(const RequestContext& context, int64_t expires_epoch);

// "Now" as the engine sees it (ApiOptions::clock), else the request's clock.
common::TimePoint now(const Api& api, const RequestContext& context);

// A repository's slot in Api::previews: its ARN and creation time, so a repository created
// again under the same name (or after a reset) starts without its predecessor's preview.
std::string preview_key(const Repository& repository);

// --- lookups -------------------------------------------------------------------------------
// The named repository, or RepositoryNotFoundException as AWS words it.
common::Result<Repository, aws::AwsError> find_repository(Api& api, const RepoRef& ref);

// --- wire shapes ---------------------------------------------------------------------------
double epoch(common::TimePoint t);
Json repository_json(const Api& api, const RequestContext& context, const Repository& repository);
// ImageIdentifier: only the members that are set.
Json image_id_json(std::string_view digest, std::string_view tag);
// "{imageDigest:'sha256:..', imageTag:'v1'}" with 'null' for a missing member, as AWS's
// ImageNotFoundException messages print an image id.
std::string image_id_text(const Json& image_id);
std::string str(const Json& input, const char* member);
// TagList [{Key, Value}] -> Tags; InvalidTagParameterException for reserved ("aws:") or
// over-long keys and values (tags.cc).
common::Result<Tags, aws::AwsError> parse_tags(const Json& list);
// imageTagMutability with its exclusion filters: filters go with *_WITH_EXCLUSION only, and
// those need at least one (create_repository.cc).
std::optional<aws::AwsError> check_mutability(const std::string& mutability, const Json& filters);

// Pagination: opaque tokens over positions in a listing. page_of reads nextToken and
// maxResults (else `default_size`); a token we did not hand out is InvalidParameterException.
struct Page {
  size_t offset = 0;
  size_t size = 0;
};
common::Result<Page, aws::AwsError> page_of(const Json& input, size_t default_size);
std::string page_token(size_t offset);
// Entries [offset, offset + size) of a listing of `count`, each made by entry(i).
template <class Entry>
Json page_entries(const Page& page, size_t count, Entry&& entry) {
  Json out = Json::array();
  for (size_t i = page.offset; i < count && i < page.offset + page.size; ++i) out.push_back(entry(i));
  return out;
}
// Sets out["nextToken"] when the listing of `count` goes on past `page`.
void set_next_token(Json& out, const Page& page, size_t count);

// filter.tagStatus of DescribeImages, ListImages and GetLifecyclePolicyPreview: "TAGGED",
// "UNTAGGED" or (the default) "ANY".
std::string tag_status_of(const Json& input);

// --- images (images.cc) -------------------------------------------------------------------
// An ImageIdentifier resolved against a repository: the image, or the failure BatchGetImage
// and BatchDeleteImage report for it (failureCode, failureReason as AWS's).
struct Resolved {
  std::optional<Image> image;
  std::string failure_code;
  std::string failure_reason;
};
Resolved resolve_image(Api& api, int64_t repo_id, const Json& image_id);
Json failure_json(const Json& image_id, const std::string& code, const std::string& reason);
// ImageDetail of DescribeImages.
Json image_detail_json(const RepoRef& ref, const Image& image);

// --- errors --------------------------------------------------------------------------------
// The ECR exception for an engine error about repository `ref` (messages name the repository
// and registry as AWS's do). One exhaustive switch over Errc.
aws::AwsError to_aws_error(const Error& error, const RepoRef& ref);
aws::AwsError invalid_parameter(std::string message);
std::string repository_not_found_message(const RepoRef& ref);

}  // namespace ecr::api
