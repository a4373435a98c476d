// One handler per ECR operation, defined in the file named after it (or after its family);
// register.cc binds them into the operation table. Input is decoded and validated against
// the model already (required members, lengths, patterns, enums).
#pragma once

#include "services/ecr/api/api.h"

namespace ecr::api {

// Repositories (create_repository.cc, describe_repositories.cc, delete_repository.cc,
// repository_settings.cc)
HandlerResult create_repository(Api& api, RequestContext& context, const Json& input);
HandlerResult describe_repositories(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_repository(Api& api, RequestContext& context, const Json& input);
HandlerResult put_image_tag_mutability(Api& api, RequestContext& context, const Json& input);
HandlerResult put_image_scanning_configuration(Api& api, RequestContext& context, const Json& input);

// Repository policies (repository_policy.cc)
HandlerResult set_repository_policy(Api& api, RequestContext& context, const Json& input);
HandlerResult get_repository_policy(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_repository_policy(Api& api, RequestContext& context, const Json& input);

// Registry (get_authorization_token.cc, registry.cc)
HandlerResult get_authorization_token(Api& api, RequestContext& context, const Json& input);
HandlerResult describe_registry(Api& api, RequestContext& context, const Json& input);
HandlerResult get_registry_policy(Api& api, RequestContext& context, const Json& input);

// Images (list_images.cc, describe_images.cc, batch_get_image.cc, batch_delete_image.cc,
// put_image.cc)
HandlerResult list_images(Api& api, RequestContext& context, const Json& input);
HandlerResult describe_images(Api& api, RequestContext& context, const Json& input);
HandlerResult batch_get_image(Api& api, RequestContext& context, const Json& input);
HandlerResult batch_delete_image(Api& api, RequestContext& context, const Json& input);
HandlerResult put_image(Api& api, RequestContext& context, const Json& input);

// Layers (layers.cc, layer_upload.cc)
HandlerResult batch_check_layer_availability(Api& api, RequestContext& context, const Json& input);
HandlerResult get_download_url_for_layer(Api& api, RequestContext& context, const Json& input);
HandlerResult initiate_layer_upload(Api& api, RequestContext& context, const Json& input);
HandlerResult upload_layer_part(Api& api, RequestContext& context, const Json& input);
HandlerResult complete_layer_upload(Api& api, RequestContext& context, const Json& input);

// Lifecycle policies (lifecycle_policy.cc, lifecycle_preview.cc)
HandlerResult put_lifecycle_policy(Api& api, RequestContext& context, const Json& input);
HandlerResult get_lifecycle_policy(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_lifecycle_policy(Api& api, RequestContext& context, const Json& input);
HandlerResult start_lifecycle_policy_preview(Api& api, RequestContext& context, const Json& input);
HandlerResult get_lifecycle_policy_preview(Api& api, RequestContext& context, const Json& input);

// Resource tags (tags.cc)
HandlerResult tag_resource(Api& api, RequestContext& context, const Json& input);
HandlerResult untag_resource(Api& api, RequestContext& context, const Json& input);
HandlerResult list_tags_for_resource(Api& api, RequestContext& context, const Json& input);

}  // namespace ecr::api
