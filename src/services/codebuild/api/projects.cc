// CreateProject, UpdateProject, DeleteProject, BatchGetProjects, ListProjects. The Project
// document is stored as the request gave it, with the defaults AWS's responses show.
#include <set>

#include "services/codebuild/api/api.h"
#include "services/codebuild/model/names.h"

namespace codebuild::api {
namespace {

// The members of CreateProject/UpdateProject that are stored as given.
constexpr const char* kProjectMembers[] = {"description",
                                           "source",
                                           "secondarySources",
                                           "sourceVersion",
                                           "secondarySourceVersions",
                                           "artifacts",
                                           "secondaryArtifacts",
                                           "cache",
                                           "environment",
                                           "serviceRole",
                                           "timeoutInMinutes",
                                           "queuedTimeoutInMinutes",
                                           "encryptionKey",
                                           "tags",
                                           "vpcConfig",
                                           "logsConfig",
                                           "fileSystemLocations",
                                           "buildBatchConfig",
                                           "concurrentBuildLimit",
                                           "autoRetryLimit"};

const std::set<std::string> kLocatedSources = {
    "CODECOMMIT", "GITHUB", "GITHUB_ENTERPRISE", "BITBUCKET", "GITLAB", "GITLAB_SELF_MANAGED", "S3"};

std::optional<aws::AwsError> check_source(const Json& source, const char* what) {
  std::string type = str(source, "type");
  if (kLocatedSources.count(type) && str(source, "location").empty()) {
    return invalid_input("Invalid input: " + std::string(what) + " location is required for source type " + type);
  }
  if (type == "NO_SOURCE" && str(source, "buildspec").empty()) {
    return invalid_input("Invalid input: buildspec is required for source type NO_SOURCE");
  }
  return std::nullopt;
}

std::optional<aws::AwsError> check_artifacts(const Json& artifacts, const char* what) {
  if (str(artifacts, "type") == "S3" && str(artifacts, "location").empty()) {
    return invalid_input("Invalid input: " + std::string(what) + " location is required for artifact type S3");
  }
  return std::nullopt;
}

// The checks AWS makes beyond the model's (required members, enums, lengths: the dispatcher).
std::optional<aws::AwsError> check_project(const Json& project) {
  // AWS's rule and message: a CodePipeline project has both ends in CodePipeline.
  bool pipeline_source = str(project.value("source", Json::object()), "type") == "CODEPIPELINE";
  bool pipeline_artifacts = str(project.value("artifacts", Json::object()), "type") == "CODEPIPELINE";
  if (project.contains("source") && project.contains("artifacts") && pipeline_source != pipeline_artifacts) {
    return invalid_input(
        "Invalid input: when using CodePipeline both sourceType, and artifactType must be set to: CODEPIPELINE");
  }
  if (project.contains("source")) {
    if (auto e = check_source(project["source"], "Project source")) return e;
  }
  for (const auto& source : project.value("secondarySources", Json::array())) {
    if (str(source, "sourceIdentifier").empty()) {
      return invalid_input("Invalid input: sourceIdentifier is required for secondary sources");
    }
    if (auto e = check_source(source, "Secondary source")) return e;
  }
  if (project.contains("artifacts")) {
    if (auto e = check_artifacts(project["artifacts"], "Project artifacts")) return e;
  }
  for (const auto& artifacts : project.value("secondaryArtifacts", Json::array())) {
    if (str(artifacts, "artifactIdentifier").empty()) {
      return invalid_input("Invalid input: artifactIdentifier is required for secondary artifacts");
    }
    if (auto e = check_artifacts(artifacts, "Secondary artifacts")) return e;
  }
  return std::nullopt;
}

// What AWS's Project shows for members the request left out.
void apply_defaults(Json& project, const RequestContext& context) {
  auto set_default = [](Json& doc, const char* member, Json value) {
    if (!doc.contains(member)) doc[member] = std::move(value);
  };
  set_default(project, "timeoutInMinutes", 60);
  set_default(project, "queuedTimeoutInMinutes", 480);
  set_default(project, "secondarySources", Json::array());
  set_default(project, "secondarySourceVersions", Json::array());
  set_default(project, "secondaryArtifacts", Json::array());
  set_default(project, "tags", Json::array());
  set_default(project, "cache", Json{{"type", "NO_CACHE"}});
  set_default(project, "encryptionKey", "arn:aws:kms:" + context.region + ":" + context.account_id() + ":alias/aws/s3");
  set_default(project, "badge", Json{{"badgeEnabled", false}});
  set_default(project, "projectVisibility", "PRIVATE");
  set_default(project, "logsConfig", Json::object());
  Json& logs = project["logsConfig"];
  set_default(logs, "cloudWatchLogs", Json{{"status", "ENABLED"}});
  set_default(logs, "s3Logs", Json{{"status", "DISABLED"}, {"encryptionDisabled", false}});
  if (project.contains("source") && project["source"].is_object()) set_default(project["source"], "insecureSsl", false);
  if (project.contains("environment") && project["environment"].is_object()) {
    Json& env = project["environment"];
    set_default(env, "environmentVariables", Json::array());
    set_default(env, "privilegedMode", false);
    set_default(env, "imagePullCredentialsType", "CODEBUILD");
  }
}

void copy_members(const Json& input, Json& project) {
  for (const char* member : kProjectMembers) {
    if (auto it = input.find(member); it != input.end()) project[member] = *it;
  }
  if (auto badge = input.find("badgeEnabled"); badge != input.end()) {
    project["badge"] = Json{{"badgeEnabled", badge->get<bool>()}};
  }
}

}  // namespace

HandlerResult create_project(Api& api, RequestContext& context, const Json& input) {
  Json project = Json::object();
  copy_members(input, project);
  if (auto e = check_project(project)) return common::fail(*e);
  apply_defaults(project, context);
  auto created = api.engine.create_project(project_key(context, str(input, "name")), std::move(project));
  if (!created.ok()) return common::fail(to_aws_error(created.error()));
  return Json{{"project", *created}};
}

// Members the request names replace the stored ones whole (AWS's partial update).
HandlerResult update_project(Api& api, RequestContext& context, const Json& input) {
  Json changes = Json::object();
  copy_members(input, changes);
  if (auto e = check_project(changes)) return common::fail(*e);
  auto updated = api.engine.update_project(project_key(context, str(input, "name")), [&](Json project) -> Result<Json> {
    for (auto& [member, value] : changes.items()) project[member] = value;
    apply_defaults(project, context);
    return project;
  });
  if (!updated.ok()) return common::fail(to_aws_error(updated.error()));
  return Json{{"project", *updated}};
}

HandlerResult delete_project(Api& api, RequestContext& context, const Json& input) {
  auto deleted = api.engine.delete_project(project_key(context, str(input, "name")));
  if (!deleted.ok()) return common::fail(to_aws_error(deleted.error()));
  return Json::object();
}

HandlerResult batch_get_projects(Api& api, RequestContext& context, const Json& input) {
  Json found = Json::array();
  Json missing = Json::array();
  for (const auto& name : input.value("names", Json::array())) {
    std::string text = name.get<std::string>();
    auto project = api.engine.get_project(project_key(context, text));
    if (!project.ok()) return common::fail(to_aws_error(project.error()));
    if (*project) {
      found.push_back(**project);
    } else {
      missing.push_back(text);
    }
  }
  return Json{{"projects", found}, {"projectsNotFound", missing}};
}

HandlerResult list_projects(Api& api, RequestContext& context, const Json& input) {
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  std::string sort_by = input.value("sortBy", std::string("NAME"));
  bool ascending = input.value("sortOrder", std::string("ASCENDING")) == "ASCENDING";
  auto names = api.engine.list_projects(context.account_id(), context.region, sort_by, ascending);
  if (!names.ok()) return common::fail(to_aws_error(names.error()));
  Json out = Json::object();
  page_into(out, "projects", *names, *offset);
  return out;
}

}  // namespace codebuild::api
