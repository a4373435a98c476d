// CreateLogStream / DeleteLogStream / DescribeLogStreams.
#include <charconv>

#include "services/logs/api/handlers.h"

namespace logs::api {
namespace {

StreamRef stream_of(const RequestContext& context, const Json& input) {
  return StreamRef{group_ref(context, str(input, "logGroupName")), str(input, "logStreamName")};
}

std::optional<size_t> parse_offset(const std::string& text) {
  size_t offset = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), offset);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return offset;
}

}  // namespace

HandlerResult create_log_stream(Api& api, RequestContext& context, const Json& input) {
  auto stream = api.engine.create_stream(stream_of(context, input));
  if (!stream.ok()) return common::fail(to_aws_error(stream.error()));
  return Json::object();
}

HandlerResult delete_log_stream(Api& api, RequestContext& context, const Json& input) {
  auto done = api.engine.delete_stream(stream_of(context, input));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

HandlerResult describe_log_streams(Api& api, RequestContext& context, const Json& input) {
  auto group = group_of(context, input);
  if (!group.ok()) return common::fail(group.error());
  StreamQuery query;
  query.prefix = str(input, "logStreamNamePrefix");
  query.by_last_event = str(input, "orderBy") == "LastEventTime";
  query.descending = input.value("descending", false);
  if (query.by_last_event && input.contains("logStreamNamePrefix")) {
    return common::fail(invalid_parameter("Cannot order by LastEventTime with a logStreamNamePrefix."));
  }
  size_t limit = static_cast<size_t>(input.value("limit", 50));
  size_t offset = 0;
  if (input.contains("nextToken")) {
    auto text = parse_text_token(str(input, "nextToken"));
    auto parsed = text ? parse_offset(*text) : std::nullopt;
    if (!parsed) return common::fail(invalid_next_token());
    offset = *parsed;
  }
  auto streams = api.engine.list_streams(*group, query);
  if (!streams.ok()) return common::fail(to_aws_error(streams.error()));
  Json out_streams = Json::array();
  for (size_t i = offset; i < streams->size() && i < offset + limit; ++i) {
    out_streams.push_back(stream_json(*group, (*streams)[i]));
  }
  Json out{{"logStreams", std::move(out_streams)}};
  if (offset + limit < streams->size()) out["nextToken"] = text_token(std::to_string(offset + limit));
  return out;
}

}  // namespace logs::api
