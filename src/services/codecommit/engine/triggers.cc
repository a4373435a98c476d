// Repository triggers: validated as PutRepositoryTriggers validates them and stored as one JSON
// document per repository with the configuration id of the last put. hakobu has no SNS or
// Lambda, so nothing runs them (TestRepositoryTriggers says so; see api/triggers.cc).
#include <algorithm>

#include "common/ids.h"
#include "common/json.h"
#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

using common::Json;

// CodeCommit's quotas: 10 triggers per repository, trigger names of 1-100 letters, digits,
// periods, underscores and dashes, custom data up to 1,000 characters, up to 10 branches.
constexpr size_t kMaxTriggers = 10;
constexpr size_t kMaxTriggerName = 100;
constexpr size_t kMaxCustomData = 1000;
constexpr size_t kMaxBranches = 10;
constexpr size_t kMaxBranchName = 256;

bool word_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool word(std::string_view s, bool allow_period) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return word_character(c) || (allow_period && c == '.'); });
}

// Characters, not bytes: the quota counts what the user typed.
size_t utf8_length(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::vector<std::string> split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (true) {
    size_t end = s.find(separator, pos);
    parts.emplace_back(s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) return parts;
    pos = end + 1;
  }
}

bool account_id(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// arn:<partition>:sns:<region>:<account>:<topic>, or
// arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>].
bool destination_resource(const std::vector<std::string>& parts) {
  if (parts[2] == "sns") return parts.size() == 6 && word(parts[5], false) && parts[5].size() <= 256;
  if (parts[2] != "lambda" || parts.size() < 7 || parts.size() > 8 || parts[5] != "function") return false;
  if (!word(parts[6], false) || parts[6].size() > 64) return false;
  return parts.size() == 7 || parts[7] == "$LATEST" || word(parts[7], false);
}

Status check_destination(std::string_view arn, std::string_view region) {
  if (arn.empty()) {
    return common::fail(error(Errc::RepositoryTriggerDestinationArnRequired,
                              "A destination ARN for the target service for the trigger is required but was not "
                              "specified."));
  }
  std::vector<std::string> parts = split(arn, ':');
  bool valid = parts.size() >= 6 && parts[0] == "arn" && (parts[1] == "aws" || parts[1].rfind("aws-", 0) == 0) &&
               !parts[3].empty() && account_id(parts[4]) && destination_resource(parts);
  if (!valid) {
    return common::fail(error(Errc::InvalidRepositoryTriggerDestinationArn,
                              "The Amazon Resource Name (ARN) for the trigger is not valid for the specified "
                              "destination: " +
                                  std::string(arn) +
                                  ". Use the ARN of an Amazon SNS topic or an AWS Lambda function."));
  }
  if (parts[3] != region) {
    return common::fail(error(Errc::InvalidRepositoryTriggerRegion,
                              "The region for the trigger target (" + parts[3] +
                                  ") does not match the region for the repository (" + std::string(region) +
                                  "). Triggers must be created in the same region as the target for the trigger."));
  }
  return common::ok();
}

Status check_events(const RepositoryTrigger& trigger) {
  if (trigger.events.empty()) {
    return common::fail(error(Errc::RepositoryTriggerEventsListRequired,
                              "At least one event for the trigger is required but was not specified."));
  }
  bool all = false;
  for (const auto& event : trigger.events) {
    if (event != "all" && event != "updateReference" && event != "createReference" && event != "deleteReference") {
      return common::fail(
          error(Errc::InvalidRepositoryTriggerEvents, "The event specified for the trigger is not valid: " + event));
    }
    all = all || event == "all";
  }
  if (all && trigger.events.size() > 1) {
    return common::fail(error(Errc::InvalidRepositoryTriggerEvents,
                              "The event \"all\" cannot be used with any other event in trigger " + trigger.name));
  }
  return common::ok();
}

Status check_branches(const Repository& repo, const RepositoryTrigger& trigger) {
  if (!trigger.branches) {
    return common::fail(error(Errc::RepositoryTriggerBranchNameListRequired,
                              "At least one branch name is required but was not specified in the trigger "
                              "configuration. Use an empty list to apply the trigger to all branches."));
  }
  if (trigger.branches->size() > kMaxBranches) {
    return common::fail(error(Errc::MaximumBranchesExceeded,
                              "The number of branches for the trigger was exceeded. A trigger can name up to 10 "
                              "branches."));
  }
  for (const auto& branch : *trigger.branches) {
    bool valid = !branch.empty() && branch.size() <= kMaxBranchName;
    if (valid) {
      auto r = git_in(repo, {"check-ref-format", "refs/heads/" + branch}, true);
      if (!r.ok()) return common::fail(r.error());
      valid = r->exit_code == 0;
    }
    if (!valid) {
      return common::fail(
          error(Errc::InvalidRepositoryTriggerBranchName, "The branch name for the trigger is not valid: " + branch));
    }
  }
  return common::ok();
}

Status check_trigger(const Repository& repo, const RepositoryTrigger& trigger) {
  if (trigger.name.empty()) {
    return common::fail(
        error(Errc::RepositoryTriggerNameRequired, "A name for the trigger is required but was not specified."));
  }
  if (!word(trigger.name, true) || trigger.name.size() > kMaxTriggerName) {
    return common::fail(error(Errc::InvalidRepositoryTriggerName,
                              "The name of the trigger is not valid: " + trigger.name +
                                  ". Trigger names are 1 to 100 letters, numbers, periods, underscores and dashes."));
  }
  if (auto r = check_destination(trigger.destination_arn, repo.region); !r.ok()) return r;
  if (utf8_length(trigger.custom_data) > kMaxCustomData) {
    return common::fail(
        error(Errc::InvalidRepositoryTriggerCustomData,
              "The custom data for trigger " + trigger.name + " is not valid: it is limited to 1,000 characters."));
  }
  if (auto r = check_branches(repo, trigger); !r.ok()) return r;
  return check_events(trigger);
}

Json to_json(const std::vector<RepositoryTrigger>& triggers) {
  Json out = Json::array();
  for (const auto& t : triggers) {
    out.push_back(Json{{"name", t.name},
                       {"destinationArn", t.destination_arn},
                       {"customData", t.custom_data},
                       {"branches", t.branches.value_or(std::vector<std::string>{})},
                       {"events", t.events}});
  }
  return out;
}

Result<std::vector<RepositoryTrigger>> from_json(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  if (!parsed.is_array()) return common::fail(error(Errc::Internal, "stored repository triggers are not valid"));
  std::vector<RepositoryTrigger> triggers;
  for (const auto& item : parsed) {
    RepositoryTrigger t;
    t.name = item.value("name", "");
    t.destination_arn = item.value("destinationArn", "");
    t.custom_data = item.value("customData", "");
    t.branches = item.value("branches", std::vector<std::string>{});
    t.events = item.value("events", std::vector<std::string>{});
    triggers.push_back(std::move(t));
  }
  return triggers;
}

}  // namespace

Status CodeCommitEngine::check_triggers(const Repository& repo, const std::vector<RepositoryTrigger>& triggers) const {
  if (triggers.size() > kMaxTriggers) {
    return common::fail(error(Errc::MaximumRepositoryTriggersExceeded,
                              "The number of triggers allowed for the repository was exceeded. A repository can have "
                              "up to 10 triggers."));
  }
  for (size_t i = 0; i < triggers.size(); ++i) {
    if (auto r = check_trigger(repo, triggers[i]); !r.ok()) return r;
    for (size_t j = 0; j < i; ++j) {
      if (triggers[j].name == triggers[i].name) {
        return common::fail(error(Errc::InvalidRepositoryTriggerName,
                                  "Trigger names must be unique in a repository: " + triggers[i].name));
      }
    }
  }
  return common::ok();
}

Result<std::string> CodeCommitEngine::put_triggers(const RepoRef& ref, std::vector<RepositoryTrigger> triggers) {
  auto repo = get_repository(ref);
  if (!repo.ok()) return common::fail(repo.error());
  // Checked before the write transaction: branch names go through git check-ref-format.
  if (auto r = check_triggers(*repo, triggers); !r.ok()) return common::fail(r.error());
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  // The repository may have been deleted (or deleted and recreated) since it was read.
  auto current = read_repository(db_, data_dir_, ref);
  if (!current.ok()) return common::fail(current.error());
  if (!*current || (*current)->id != repo->id) return common::fail(repository_not_found(ref.name));
  std::string configuration_id = common::uuid4();
  auto r = Sql::execute(
      db_,
      "INSERT OR REPLACE INTO codecommit_repository_triggers (repo_id, configuration_id, triggers) "
      "VALUES (?, ?, ?)",
      [&](store::Statement& s) { s.bind(1, repo->id).bind(2, configuration_id).bind(3, to_json(triggers).dump()); });
  if (!r.ok()) return common::fail(r.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return configuration_id;
}

Result<TriggerConfiguration> CodeCommitEngine::get_triggers(const Repository& repo) const {
  TriggerConfiguration out;
  std::string text;
  auto r = Sql::query(
      db_, "SELECT configuration_id, triggers FROM codecommit_repository_triggers WHERE repo_id = ?",
      [&](store::Statement& s) { s.bind(1, repo.id); },
      [&](store::Statement& s) {
        out.configuration_id = s.text(0);
        text = s.text(1);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  if (out.configuration_id.empty()) return out;
  auto triggers = from_json(text);
  if (!triggers.ok()) return common::fail(triggers.error());
  out.triggers = std::move(*triggers);
  return out;
}

}  // namespace codecommit
