// Translation between the decoded request Json (member names of the SSM model) and engine
// types, shared by the operation handlers in this directory.
#pragma once

#include <string>
#include <vector>

#include "aws/dispatch/request_context.h"
#include "common/json.h"
#include "services/ssm/model/filter.h"
#include "services/ssm/model/parameter.h"

namespace ssm {

inline Scope scope_of(const dispatch::RequestContext& context) { return Scope{context.account_id(), context.region}; }

// Parameter (GetParameter, GetParameters, GetParametersByPath).
common::Json parameter_json(const ParameterVersion& parameter, const dispatch::RequestContext& context);
// ParameterMetadata (DescribeParameters).
common::Json metadata_json(const ParameterVersion& parameter, const dispatch::RequestContext& context);
// ParameterHistory (GetParameterHistory).
common::Json history_json(const ParameterVersion& parameter);

std::vector<std::string> string_list(const common::Json& input, const char* member);
common::Json json_list(const std::vector<std::string>& values);
std::vector<Tag> tags_from(const common::Json& input, const char* member);
std::vector<ParameterFilter> filters_from(const common::Json& input, const char* member);

}  // namespace ssm
