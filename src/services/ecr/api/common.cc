#include <charconv>

#include "common/crypto.h"
#include "http/request.h"
#include "services/ecr/api/api.h"
#include "services/ecr/model/uri.h"

namespace ecr::api {

std::string str(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string registry_of(const RequestContext& context, const Json& input) {
  std::string registry = str(input, "registryId");
  return registry.empty() ? context.account_id() : registry;
}

RepoRef repo_ref(const RequestContext& context, const Json& input) {
  return RepoRef{registry_of(context, input), context.region, str(input, "repositoryName")};
}

std::string registry_host(const Api& api, const RequestContext& context) {
  if (!api.options.registry_host.empty()) return api.options.registry_host;
  if (context.http != nullptr) {
    if (const std::string* host = context.http->header("Host")) return *host;
  }
  return "localhost";
}

std::string repository_uri(const Api& api, const RequestContext& context, const Repository& repository) {
  return ecr::repository_uri(registry_host(api, context), repository.account, repository.region,
                             api.options.default_region, repository.name);
}

common::TimePoint now(const Api& api, const RequestContext& context) {
  return api.options.clock != nullptr ? api.options.clock->now() : context.now();
}

std::string preview_key(const Repository& repository) {
  return repository.arn + "@" + std::to_string(common::to_epoch_millis(repository.created));
}

TokenClaims caller_claims(const RequestContext& context, int64_t expires_epoch) {
  TokenClaims claims;
  claims.access_key_id = context.principal.access_key_id;
  if (context.http != nullptr) {
    if (const std::string* token = context.http->header("X-Amz-Security-Token")) claims.session_token = *token;
  }
  claims.expires_epoch = expires_epoch;
  return claims;
}

common::Result<Repository, aws::AwsError> find_repository(Api& api, const RepoRef& ref) {
  auto repository = api.engine.get_repository(ref);
  if (!repository.ok()) return common::fail(to_aws_error(repository.error(), ref));
  return std::move(*repository);
}

double epoch(common::TimePoint t) { return common::to_epoch_seconds(t); }

Json repository_json(const Api& api, const RequestContext& context, const Repository& repository) {
  Json out{
      {"repositoryArn", repository.arn},
      {"registryId", repository.account},
      {"repositoryName", repository.name},
      {"repositoryUri", repository_uri(api, context, repository)},
      {"createdAt", epoch(repository.created)},
      {"imageTagMutability", repository.tag_mutability},
      {"imageScanningConfiguration", {{"scanOnPush", repository.scan_on_push}}},
  };
  if (repository.mutability_exclusions.is_array() && !repository.mutability_exclusions.empty()) {
    out["imageTagMutabilityExclusionFilters"] = repository.mutability_exclusions;
  }
  Json encryption{{"encryptionType", repository.encryption_type}};
  if (!repository.kms_key.empty()) encryption["kmsKey"] = repository.kms_key;
  out["encryptionConfiguration"] = std::move(encryption);
  return out;
}

Json image_id_json(std::string_view digest, std::string_view tag) {
  Json id = Json::object();
  if (!digest.empty()) id["imageDigest"] = std::string(digest);
  if (!tag.empty()) id["imageTag"] = std::string(tag);
  return id;
}

std::string image_id_text(const Json& image_id) {
  auto member = [&](const char* name) {
    std::string value = str(image_id, name);
    return value.empty() ? std::string("'null'") : "'" + value + "'";
  };
  return "{imageDigest:" + member("imageDigest") + ", imageTag:" + member("imageTag") + "}";
}

// Tokens are base64 of "hk1:<offset>": opaque to clients, cheap to check.
std::string page_token(size_t offset) { return common::base64_encode("hk1:" + std::to_string(offset)); }

common::Result<Page, aws::AwsError> page_of(const Json& input, size_t default_size) {
  Page page{0, default_size};
  if (auto max = input.find("maxResults"); max != input.end() && max->is_number_integer()) {
    page.size = max->get<size_t>();
  }
  std::string token = str(input, "nextToken");
  if (token.empty()) return page;
  std::string text;
  bool ok = common::base64_decode(token, text) && text.size() > 4 && text.rfind("hk1:", 0) == 0;
  if (ok) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data() + 4, end, page.offset);
    ok = ec == std::errc() && ptr == end;
  }
  if (!ok) {
    return common::fail(
        invalid_parameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'"));
  }
  return page;
}

void set_next_token(Json& out, const Page& page, size_t count) {
  if (page.offset + page.size < count) out["nextToken"] = page_token(page.offset + page.size);
}

std::string tag_status_of(const Json& input) {
  auto filter = input.find("filter");
  return filter == input.end() ? "ANY" : filter->value("tagStatus", "ANY");
}

}  // namespace ecr::api
