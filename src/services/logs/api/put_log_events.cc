// PutLogEvents: the batch rules live in model/batch.h; sequence tokens are accepted and
// ignored, as AWS does now, and a fresh nextSequenceToken comes back.
#include "services/logs/api/handlers.h"

namespace logs::api {

HandlerResult put_log_events(Api& api, RequestContext& context, const Json& input) {
  StreamRef ref{group_ref(context, str(input, "logGroupName")), str(input, "logStreamName")};
  std::vector<InputEvent> events;
  const Json& list = input.at("logEvents");
  events.reserve(list.size());
  for (const auto& event : list) {
    events.push_back(InputEvent{event.at("timestamp").get<int64_t>(), event.at("message").get<std::string>()});
  }
  auto outcome = api.engine.put_events(ref, events);
  if (!outcome.ok()) return common::fail(to_aws_error(outcome.error()));
  Json out{{"nextSequenceToken", sequence_token(outcome->sequence)}};
  const BatchVerdict& verdict = outcome->verdict;
  if (verdict.any_rejected()) {
    Json rejected = Json::object();
    if (verdict.too_new_start) rejected["tooNewLogEventStartIndex"] = *verdict.too_new_start;
    if (verdict.too_old_end) rejected["tooOldLogEventEndIndex"] = *verdict.too_old_end;
    if (verdict.expired_end) rejected["expiredLogEventEndIndex"] = *verdict.expired_end;
    out["rejectedLogEventsInfo"] = std::move(rejected);
  }
  return out;
}

}  // namespace logs::api
