// Repository triggers: PutRepositoryTriggers, GetRepositoryTriggers, TestRepositoryTriggers.
// hakobu has no SNS or Lambda, so a test reports every trigger as failed and says why rather
// than pretending a delivery happened; see test_codecommit_triggers_tags.py.
#include "services/codecommit/api/triggers_and_tags.h"

namespace codecommit::api {
namespace {

std::vector<std::string> strings(const Json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// The wire triggers; a missing "branches" member stays nullopt (AWS requires the list itself).
std::vector<RepositoryTrigger> parse_triggers(const Json& input) {
  std::vector<RepositoryTrigger> triggers;
  auto list = input.find("triggers");
  if (list == input.end() || !list->is_array()) return triggers;
  for (const auto& item : *list) {
    RepositoryTrigger trigger;
    trigger.name = str(item, "name");
    trigger.destination_arn = str(item, "destinationArn");
    trigger.custom_data = str(item, "customData");
    if (auto branches = item.find("branches"); branches != item.end() && branches->is_array()) {
      trigger.branches = strings(*branches);
    }
    if (auto events = item.find("events"); events != item.end() && events->is_array()) {
      trigger.events = strings(*events);
    }
    triggers.push_back(std::move(trigger));
  }
  return triggers;
}

Json trigger_json(const RepositoryTrigger& trigger) {
  return Json{{"name", trigger.name},
              {"destinationArn", trigger.destination_arn},
              {"customData", trigger.custom_data},
              {"branches", trigger.branches.value_or(std::vector<std::string>{})},
              {"events", trigger.events}};
}

// Why a trigger to `destination_arn` cannot run here.
std::string not_delivered(const std::string& destination_arn) {
  bool lambda = destination_arn.find(":lambda:") != std::string::npos;
  return std::string(lambda ? "AWS Lambda" : "Amazon SNS") +
         " is not available in hakobu, so the trigger could not be run and nothing was sent to " + destination_arn +
         ". hakobu stores repository triggers but does not run them.";
}

HandlerResult put_repository_triggers(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto configuration_id = api.engine.put_triggers(ref, parse_triggers(input));
  if (!configuration_id.ok()) return common::fail(to_aws_error(configuration_id.error(), ref.name));
  return Json{{"configurationId", *configuration_id}};
}

HandlerResult get_repository_triggers(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto configuration = api.engine.get_triggers(*repository);
  if (!configuration.ok()) return common::fail(to_aws_error(configuration.error(), repository->name));
  Json triggers = Json::array();
  for (const auto& trigger : configuration->triggers) triggers.push_back(trigger_json(trigger));
  Json out{{"triggers", triggers}};
  if (!configuration->configuration_id.empty()) out["configurationId"] = configuration->configuration_id;
  return out;
}

HandlerResult test_repository_triggers(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  std::vector<RepositoryTrigger> triggers = parse_triggers(input);
  if (auto checked = api.engine.check_triggers(*repository, triggers); !checked.ok()) {
    return common::fail(to_aws_error(checked.error(), repository->name));
  }
  Json failed = Json::array();
  for (const auto& trigger : triggers) {
    failed.push_back(Json{{"trigger", trigger.name}, {"failureMessage", not_delivered(trigger.destination_arn)}});
  }
  return Json{{"successfulExecutions", Json::array()}, {"failedExecutions", failed}};
}

}  // namespace

void register_triggers_and_tags(Registrar& r) {
  r.add("PutRepositoryTriggers", on_repository(), put_repository_triggers);
  r.add("GetRepositoryTriggers", on_repository(), get_repository_triggers);
  r.add("TestRepositoryTriggers", on_repository(), test_repository_triggers);
  register_tags(r);
  register_encryption_key(r);
  register_file_history(r);
}

}  // namespace codecommit::api
