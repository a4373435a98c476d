// What CodeBuild's handlers share: the engine, how a request names its project and builds,
// pagination, and the one mapping from codebuild::Error to CodeBuild's exceptions. One handler
// per operation family lives in projects.cc / builds.cc; register.cc binds them.
#pragma once

#include <string>
#include <vector>

#include "aws/dispatch/operation_table.h"
#include "aws/protocol/aws_error.h"
#include "services/codebuild/engine/codebuild_engine.h"

namespace codebuild::api {

using dispatch::HandlerResult;
using dispatch::RequestContext;

struct Api {
  explicit Api(CodebuildEngine& e) : engine(e) {}
  CodebuildEngine& engine;
};

std::string str(const Json& input, const char* member);
// The project a name or ARN names, in the caller's account and region.
ProjectKey project_key(const RequestContext& context, const std::string& name_or_arn);
BuildRef build_ref(const RequestContext& context, const std::string& id_or_arn);

// Opaque tokens over positions in a listing (100 entries a page, AWS's page size);
// a token we did not hand out is InvalidInputException.
common::Result<size_t, aws::AwsError> page_offset(const Json& input);
// The page of `items` from `offset` as out[member], and nextToken when more follow.
void page_into(Json& out, const char* member, const std::vector<std::string>& items, size_t offset);

// The CodeBuild exception for an engine error (one exhaustive switch over Errc).
aws::AwsError to_aws_error(const Error& error);
aws::AwsError invalid_input(std::string message);

// Handlers (projects.cc)
HandlerResult create_project(Api& api, RequestContext& context, const Json& input);
HandlerResult update_project(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_project(Api& api, RequestContext& context, const Json& input);
HandlerResult batch_get_projects(Api& api, RequestContext& context, const Json& input);
HandlerResult list_projects(Api& api, RequestContext& context, const Json& input);
// Handlers (builds.cc)
HandlerResult start_build(Api& api, RequestContext& context, const Json& input);
HandlerResult retry_build(Api& api, RequestContext& context, const Json& input);
HandlerResult stop_build(Api& api, RequestContext& context, const Json& input);
HandlerResult batch_get_builds(Api& api, RequestContext& context, const Json& input);
HandlerResult list_builds(Api& api, RequestContext& context, const Json& input);
HandlerResult list_builds_for_project(Api& api, RequestContext& context, const Json& input);
HandlerResult batch_delete_builds(Api& api, RequestContext& context, const Json& input);

}  // namespace codebuild::api
