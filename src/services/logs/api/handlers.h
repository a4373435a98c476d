// One handler per CloudWatch Logs operation, defined in the file named after it (or after its
// family); register.cc binds them. Input is decoded and validated against the model already
// (required members, lengths, patterns, enums, list sizes).
#pragma once

#include "services/logs/api/api.h"

namespace logs::api {

// Log groups (log_groups.cc)
HandlerResult create_log_group(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_log_group(Api& api, RequestContext& context, const Json& input);
HandlerResult describe_log_groups(Api& api, RequestContext& context, const Json& input);

// Retention (retention.cc)
HandlerResult put_retention_policy(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_retention_policy(Api& api, RequestContext& context, const Json& input);

// Log streams (log_streams.cc)
HandlerResult create_log_stream(Api& api, RequestContext& context, const Json& input);
HandlerResult delete_log_stream(Api& api, RequestContext& context, const Json& input);
HandlerResult describe_log_streams(Api& api, RequestContext& context, const Json& input);

// Events (put_log_events.cc, get_log_events.cc, filter_log_events.cc)
HandlerResult put_log_events(Api& api, RequestContext& context, const Json& input);
HandlerResult get_log_events(Api& api, RequestContext& context, const Json& input);
HandlerResult filter_log_events(Api& api, RequestContext& context, const Json& input);

// Tags (tags.cc): by ARN, and the older by-name operations
HandlerResult tag_resource(Api& api, RequestContext& context, const Json& input);
HandlerResult untag_resource(Api& api, RequestContext& context, const Json& input);
HandlerResult list_tags_for_resource(Api& api, RequestContext& context, const Json& input);
HandlerResult tag_log_group(Api& api, RequestContext& context, const Json& input);
HandlerResult untag_log_group(Api& api, RequestContext& context, const Json& input);
HandlerResult list_tags_log_group(Api& api, RequestContext& context, const Json& input);

}  // namespace logs::api
