// FilterLogEvents: a group's events across streams, by time, through a filter pattern
// (model/filter_pattern.h). `interleaved` is ignored (AWS: always interleaved since 2019) and
// searchedLogStreams is empty (AWS: "no longer supported ... returns an empty list").
#include "services/logs/api/handlers.h"

namespace logs::api {

HandlerResult filter_log_events(Api& api, RequestContext& context, const Json& input) {
  auto group = group_of(context, input);
  if (!group.ok()) return common::fail(group.error());
  if (input.contains("logStreamNames") && input.contains("logStreamNamePrefix")) {
    return common::fail(
        invalid_parameter("logStreamNames and logStreamNamePrefix are mutually exclusive. Only one of these "
                          "parameters can be passed."));
  }
  FilterQuery query;
  query.start_ms = optional_long(input, "startTime");
  query.end_ms = optional_long(input, "endTime");
  query.stream_prefix = str(input, "logStreamNamePrefix");
  if (auto names = input.find("logStreamNames"); names != input.end()) {
    for (const auto& name : *names) query.stream_names.push_back(name.get<std::string>());
  }
  query.limit = static_cast<size_t>(input.value("limit", 10000));
  auto pattern = FilterPattern::parse(str(input, "filterPattern"));
  if (!pattern.ok()) return common::fail(invalid_parameter(pattern.error()));
  if (!pattern->matches_everything()) query.pattern = &*pattern;
  if (input.contains("nextToken")) {
    query.after = parse_filter_token(str(input, "nextToken"));
    if (!query.after) return common::fail(invalid_next_token());
  }
  auto page = api.engine.filter_events(*group, query);
  if (!page.ok()) return common::fail(to_aws_error(page.error()));
  Json events = Json::array();
  for (const auto& event : page->events) {
    events.push_back(Json{{"logStreamName", event.stream},
                          {"timestamp", event.position.timestamp},
                          {"message", event.message},
                          {"ingestionTime", event.ingestion_ms},
                          {"eventId", event_id(event.position)}});
  }
  Json out{{"events", std::move(events)}, {"searchedLogStreams", Json::array()}};
  if (page->next) out["nextToken"] = filter_token(*page->next);
  return out;
}

}  // namespace logs::api
