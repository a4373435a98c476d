// One handler per SSM operation, each defined in the file named after it; register.cc binds
// them into the operation table. Input is decoded and validated against the model already.
#pragma once

#include "aws/dispatch/operation_table.h"
#include "services/ssm/engine/ssm_engine.h"

namespace ssm::api {

using dispatch::HandlerResult;
using dispatch::RequestContext;
using Json = common::Json;

HandlerResult put_parameter(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_parameter(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_parameters(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_parameters_by_path(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult get_parameter_history(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult label_parameter_version(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult unlabel_parameter_version(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_parameter(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult delete_parameters(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult describe_parameters(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult add_tags_to_resource(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult list_tags_for_resource(SsmEngine& engine, RequestContext& context, const Json& input);
HandlerResult remove_tags_from_resource(SsmEngine& engine, RequestContext& context, const Json& input);

}  // namespace ssm::api
