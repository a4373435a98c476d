// GetLogEvents: one stream, a page at a time in either direction. Tokens are "f/<digits>" and
// "b/<digits>" positions (model/tokens.h); at the end the forward token comes back unchanged,
// which ends botocore's pagination and lets a follower poll with it.
#include "services/logs/api/handlers.h"

namespace logs::api {

HandlerResult get_log_events(Api& api, RequestContext& context, const Json& input) {
  auto group = group_of(context, input);
  if (!group.ok()) return common::fail(group.error());
  GetQuery query;
  query.start_ms = optional_long(input, "startTime");
  query.end_ms = optional_long(input, "endTime");
  query.from_head = input.value("startFromHead", false);
  query.limit = static_cast<size_t>(input.value("limit", 10000));
  if (input.contains("nextToken")) {
    query.token = parse_stream_token(str(input, "nextToken"));
    if (!query.token) return common::fail(invalid_next_token());
  }
  auto page = api.engine.get_events(StreamRef{*group, str(input, "logStreamName")}, query);
  if (!page.ok()) return common::fail(to_aws_error(page.error()));
  Json events = Json::array();
  for (const auto& event : page->events) {
    events.push_back(Json{
        {"timestamp", event.position.timestamp}, {"message", event.message}, {"ingestionTime", event.ingestion_ms}});
  }
  return Json{{"events", std::move(events)},
              {"nextForwardToken", stream_token(Direction::Forward, page->forward)},
              {"nextBackwardToken", stream_token(Direction::Backward, page->backward)}};
}

}  // namespace logs::api
