#include "services/ecr/api/register.h"

#include <memory>

#include "gen/models.h"
#include "services/ecr/api/handlers.h"
#include "services/ecr/model/uri.h"

namespace ecr {
namespace {

using api::Api;
using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;
using dispatch::RequestContext;
using Json = common::Json;

// A repository as IAM sees it: its ARN, its owner when that is not the caller (registryId of
// another account), and its policy as the resource policy (none when it does not exist: the
// handler then answers RepositoryNotFoundException, if IAM lets the call through at all).
AuthzResource repository_resource(Api& api, const RequestContext& context, const RepoRef& ref) {
  AuthzResource resource{repository_arn(ref.region, ref.account, ref.name), "", std::nullopt};
  if (ref.account != context.account_id()) resource.owner_account = ref.account;
  if (auto repository = api.engine.get_repository(ref); repository.ok()) resource.resource_policy = repository->policy;
  return resource;
}

AuthzFn on_repository(Api& api) {
  return [&api](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    target.resources.push_back(repository_resource(api, context, api::repo_ref(context, input)));
    return target;
  };
}

// CreateRepository: the new repository's ARN; tagging it at creation also needs
// ecr:TagResource.
AuthzFn new_repository() {
  return [](const RequestContext& context, const Json& input) {
    RepoRef ref = api::repo_ref(context, input);
    AuthzResource resource{repository_arn(ref.region, ref.account, ref.name), "", std::nullopt};
    if (ref.account != context.account_id()) resource.owner_account = ref.account;
    AuthzTarget target;
    target.resources.push_back(resource);
    if (auto tags = input.find("tags"); tags != input.end() && !tags->empty()) {
      target.also.emplace_back("ecr:TagResource", resource);
    }
    return target;
  };
}

// DescribeRepositories: each named repository, else every repository of the registry.
AuthzFn repositories(Api& api) {
  return [&api](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    std::string registry = api::registry_of(context, input);
    if (auto names = input.find("repositoryNames"); names != input.end() && !names->empty()) {
      for (const auto& name : *names) {
        target.resources.push_back(
            repository_resource(api, context, RepoRef{registry, context.region, name.get<std::string>()}));
      }
      return target;
    }
    AuthzResource all{repository_arn(context.region, registry, "*"), "", std::nullopt};
    if (registry != context.account_id()) all.owner_account = registry;
    target.resources.push_back(std::move(all));
    return target;
  };
}

// Tag operations name the repository by ARN; an ARN that is not a repository's goes to IAM as
// written (the handler then answers InvalidParameterException).
AuthzFn by_arn(Api& api) {
  return [&api](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    std::string arn = api::str(input, "resourceArn");
    if (auto parts = parse_repository_arn(arn)) {
      target.resources.push_back(
          repository_resource(api, context, RepoRef{parts->account, parts->region, parts->name}));
    } else {
      target.resources.push_back(AuthzResource{arn, "", std::nullopt});
    }
    return target;
  };
}

using Handler = dispatch::HandlerResult (*)(Api&, RequestContext&, const Json&);

dispatch::Handler bind_handler(const std::shared_ptr<Api>& api, Handler handler) {
  return [api, handler](RequestContext& context, const Json& input) { return handler(*api, context, input); };
}

}  // namespace

void register_api(dispatch::Registry& registry, EcrEngine& engine, const TokenIssuer& tokens, ApiOptions options) {
  // Lives as long as the handlers that share it (the registry's lifetime).
  auto shared = std::make_shared<Api>(engine, tokens, std::move(options));
  Api& state = *shared;
  dispatch::Service& service = registry.service(gen::ecr_model());
  service.set_validation_error("InvalidParameterException");
  auto add = [&](const char* name, AuthzFn authz, Handler handler) {
    service.add({name, std::string("ecr:") + name, std::move(authz), bind_handler(shared, handler)});
  };
  // Repositories
  add("CreateRepository", new_repository(), api::create_repository);
  add("DescribeRepositories", repositories(state), api::describe_repositories);
  add("DeleteRepository", on_repository(state), api::delete_repository);
  add("PutImageTagMutability", on_repository(state), api::put_image_tag_mutability);
  add("PutImageScanningConfiguration", on_repository(state), api::put_image_scanning_configuration);
  add("SetRepositoryPolicy", on_repository(state), api::set_repository_policy);
  add("GetRepositoryPolicy", on_repository(state), api::get_repository_policy);
  add("DeleteRepositoryPolicy", on_repository(state), api::delete_repository_policy);
  // Registry
  add("GetAuthorizationToken", nullptr, api::get_authorization_token);
  add("DescribeRegistry", nullptr, api::describe_registry);
  add("GetRegistryPolicy", nullptr, api::get_registry_policy);
  // Images
  add("ListImages", on_repository(state), api::list_images);
  add("DescribeImages", on_repository(state), api::describe_images);
  add("BatchGetImage", on_repository(state), api::batch_get_image);
  add("BatchDeleteImage", on_repository(state), api::batch_delete_image);
  add("PutImage", on_repository(state), api::put_image);
  // Layers
  add("BatchCheckLayerAvailability", on_repository(state), api::batch_check_layer_availability);
  add("GetDownloadUrlForLayer", on_repository(state), api::get_download_url_for_layer);
  add("InitiateLayerUpload", on_repository(state), api::initiate_layer_upload);
  add("UploadLayerPart", on_repository(state), api::upload_layer_part);
  add("CompleteLayerUpload", on_repository(state), api::complete_layer_upload);
  // Lifecycle policies
  add("PutLifecyclePolicy", on_repository(state), api::put_lifecycle_policy);
  add("GetLifecyclePolicy", on_repository(state), api::get_lifecycle_policy);
  add("DeleteLifecyclePolicy", on_repository(state), api::delete_lifecycle_policy);
  add("StartLifecyclePolicyPreview", on_repository(state), api::start_lifecycle_policy_preview);
  add("GetLifecyclePolicyPreview", on_repository(state), api::get_lifecycle_policy_preview);
  // Tags
  add("TagResource", by_arn(state), api::tag_resource);
  add("UntagResource", by_arn(state), api::untag_resource);
  add("ListTagsForResource", by_arn(state), api::list_tags_for_resource);
}

}  // namespace ecr
