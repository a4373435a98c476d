// The IAM operation handlers, one per file (api/<operation>.cc); bound in register.cc.
#pragma once

#include "services/iam/api/convert.h"

namespace iam::api {

HandlerResult attach_role_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult attach_user_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult create_access_key(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult create_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult create_policy_version(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult create_role(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult create_user(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_access_key(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_policy_version(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_role(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_role_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_user(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_user_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult detach_role_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult detach_user_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_access_key_last_used(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_policy_version(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_role(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_role_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_user(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_user_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_access_keys(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_attached_role_policies(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_attached_user_policies(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_entities_for_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_policies(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_policy_versions(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_role_policies(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_role_tags(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_roles(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_user_policies(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_user_tags(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_users(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult put_role_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult put_user_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult tag_role(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult tag_user(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult untag_role(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult untag_user(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult update_access_key(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult update_assume_role_policy(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult update_role(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult update_user(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult create_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_service_specific_credentials(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult reset_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input);
HandlerResult update_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input);

}  // namespace iam::api
