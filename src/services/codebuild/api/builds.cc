// StartBuild, RetryBuild, StopBuild, BatchGetBuilds, ListBuilds, ListBuildsForProject,
// BatchDeleteBuilds. StartBuild composes the Build document from the project and the
// request's overrides here; the engine stamps the rest.
#include "services/codebuild/api/api.h"
#include "services/codebuild/model/names.h"

namespace codebuild::api {
namespace {

// The caller as AWS's Build.initiator names it: the IAM user's name, "<role>/<session>" for an
// assumed role, "root" for the account.
std::string initiator_of(const RequestContext& context) {
  const dispatch::Principal& p = context.principal;
  switch (p.kind) {
    case dispatch::Principal::Kind::User: return p.name;
    case dispatch::Principal::Kind::AssumedRole: return p.name + "/" + p.session_name;
    case dispatch::Principal::Kind::Root: return "root";
  }
  return "root";
}

// Sets build[member] from the request's override, else from the project.
void take(Json& build, const Json& project, const char* member, const Json& input, const char* override_member) {
  if (auto it = input.find(override_member); it != input.end()) {
    build[member] = *it;
  } else if (auto p = project.find(member); p != project.end()) {
    build[member] = *p;
  }
}

// Sets doc[member] from input[override_member] when the request has it.
void override_member(Json& doc, const char* member, const Json& input, const char* override_member) {
  if (auto it = input.find(override_member); it != input.end()) doc[member] = *it;
}

Json merged_variables(const Json& project_variables, const Json& overrides) {
  Json out = Json::array();
  for (const auto& variable : project_variables) {
    bool replaced = false;
    for (const auto& o : overrides) replaced = replaced || str(o, "name") == str(variable, "name");
    if (!replaced) out.push_back(variable);
  }
  for (const auto& o : overrides) {
    Json v = o;
    if (!v.contains("type")) v["type"] = "PLAINTEXT";
    out.push_back(std::move(v));
  }
  return out;
}

Json source_of(const Json& project, const Json& input) {
  Json source = project.value("source", Json::object());
  override_member(source, "type", input, "sourceTypeOverride");
  override_member(source, "location", input, "sourceLocationOverride");
  override_member(source, "buildspec", input, "buildspecOverride");
  override_member(source, "gitCloneDepth", input, "gitCloneDepthOverride");
  override_member(source, "gitSubmodulesConfig", input, "gitSubmodulesConfigOverride");
  override_member(source, "insecureSsl", input, "insecureSslOverride");
  override_member(source, "reportBuildStatus", input, "reportBuildStatusOverride");
  override_member(source, "buildStatusConfig", input, "buildStatusConfigOverride");
  override_member(source, "auth", input, "sourceAuthOverride");
  return source;
}

Json environment_of(const Json& project, const Json& input) {
  Json env = project.value("environment", Json::object());
  override_member(env, "type", input, "environmentTypeOverride");
  override_member(env, "image", input, "imageOverride");
  override_member(env, "computeType", input, "computeTypeOverride");
  override_member(env, "certificate", input, "certificateOverride");
  override_member(env, "privilegedMode", input, "privilegedModeOverride");
  override_member(env, "imagePullCredentialsType", input, "imagePullCredentialsTypeOverride");
  override_member(env, "registryCredential", input, "registryCredentialOverride");
  override_member(env, "fleet", input, "fleetOverride");
  if (auto vars = input.find("environmentVariablesOverride"); vars != input.end()) {
    env["environmentVariables"] = merged_variables(env.value("environmentVariables", Json::array()), *vars);
  }
  return env;
}

// The Build document StartBuild records: the project's settings with the request's overrides.
Json compose_build(const Json& project, const Json& input, const std::string& initiator) {
  Json build = Json::object();
  build["source"] = source_of(project, input);
  build["environment"] = environment_of(project, input);
  take(build, project, "sourceVersion", input, "sourceVersion");
  take(build, project, "secondarySources", input, "secondarySourcesOverride");
  take(build, project, "secondarySourceVersions", input, "secondarySourcesVersionOverride");
  take(build, project, "artifacts", input, "artifactsOverride");
  take(build, project, "secondaryArtifacts", input, "secondaryArtifactsOverride");
  take(build, project, "serviceRole", input, "serviceRoleOverride");
  take(build, project, "timeoutInMinutes", input, "timeoutInMinutesOverride");
  take(build, project, "queuedTimeoutInMinutes", input, "queuedTimeoutInMinutesOverride");
  take(build, project, "cache", input, "cacheOverride");
  take(build, project, "logsConfig", input, "logsConfigOverride");
  take(build, project, "encryptionKey", input, "encryptionKeyOverride");
  take(build, project, "vpcConfig", input, "vpcConfigOverride");
  take(build, project, "fileSystemLocations", input, "fileSystemLocationsOverride");
  take(build, project, "autoRetryConfig", input, "autoRetryLimitOverride");
  if (auto debug = input.find("debugSessionEnabled"); debug != input.end()) {
    build["debugSession"] = Json{{"sessionEnabled", *debug}};
  }
  build["initiator"] = initiator;
  return build;
}

std::optional<aws::AwsError> check_overrides(const Json& input) {
  if (auto artifacts = input.find("artifactsOverride"); artifacts != input.end()) {
    if (str(*artifacts, "type") == "S3" && str(*artifacts, "location").empty()) {
      return invalid_input("Invalid input: artifacts location is required for artifact type S3");
    }
  }
  return std::nullopt;
}

HandlerResult start(Api& api, const ProjectKey& key, Json build, const Json& input) {
  StartBuildInput start;
  start.project = key;
  start.build = std::move(build);
  start.idempotency_token = str(input, "idempotencyToken");
  start.request = input.dump();
  auto started = api.engine.start_build(start);
  if (!started.ok()) return common::fail(to_aws_error(started.error()));
  return Json{{"build", *started}};
}

// The members of a recorded build that describe what to run (RetryBuild runs it again).
constexpr const char* kRunMembers[] = {
    "source",    "environment",        "sourceVersion", "secondarySources",    "secondarySourceVersions",
    "artifacts", "secondaryArtifacts", "serviceRole",   "timeoutInMinutes",    "queuedTimeoutInMinutes",
    "cache",     "encryptionKey",      "vpcConfig",     "fileSystemLocations", "debugSession"};

// Builds past their queued timeout are TIMED_OUT before anyone reads them.
std::optional<aws::AwsError> expire_queued(Api& api) {
  auto expired = api.engine.expire_queued_builds();
  if (!expired.ok()) return to_aws_error(expired.error());
  return std::nullopt;
}

}  // namespace

HandlerResult start_build(Api& api, RequestContext& context, const Json& input) {
  if (auto e = check_overrides(input)) return common::fail(*e);
  ProjectKey key = project_key(context, str(input, "projectName"));
  auto project = api.engine.get_project(key);
  if (!project.ok()) return common::fail(to_aws_error(project.error()));
  if (!*project) {
    return common::fail(to_aws_error(
        error(Errc::ResourceNotFound, "Project cannot be found: " + project_arn(key.region, key.account, key.name))));
  }
  return start(api, key, compose_build(**project, input, initiator_of(context)), input);
}

HandlerResult retry_build(Api& api, RequestContext& context, const Json& input) {
  BuildRef ref = build_ref(context, str(input, "id"));
  auto previous = api.engine.get_build(ref);
  if (!previous.ok()) return common::fail(to_aws_error(previous.error()));
  if (!*previous)
    return common::fail(to_aws_error(error(Errc::ResourceNotFound, "Build " + ref.id + " cannot be found")));
  Json build = Json::object();
  for (const char* member : kRunMembers) {
    if (auto it = (*previous)->find(member); it != (*previous)->end()) build[member] = *it;
  }
  if (auto logs = (*previous)->find("logs"); logs != (*previous)->end()) {
    build["logsConfig"] = Json{{"cloudWatchLogs", logs->value("cloudWatchLogs", Json::object())},
                               {"s3Logs", logs->value("s3Logs", Json::object())}};
  }
  build["initiator"] = initiator_of(context);
  return start(api, project_key(context, project_of_build_id(ref.id)), std::move(build), input);
}

HandlerResult stop_build(Api& api, RequestContext& context, const Json& input) {
  auto stopped = api.engine.stop_build(build_ref(context, str(input, "id")));
  if (!stopped.ok()) return common::fail(to_aws_error(stopped.error()));
  return Json{{"build", *stopped}};
}

HandlerResult batch_get_builds(Api& api, RequestContext& context, const Json& input) {
  if (auto e = expire_queued(api)) return common::fail(*e);
  Json found = Json::array();
  Json missing = Json::array();
  for (const auto& id : input.value("ids", Json::array())) {
    std::string text = id.get<std::string>();
    auto build = api.engine.get_build(build_ref(context, text));
    if (!build.ok()) return common::fail(to_aws_error(build.error()));
    if (*build) {
      found.push_back(**build);
    } else {
      missing.push_back(text);
    }
  }
  return Json{{"builds", found}, {"buildsNotFound", missing}};
}

HandlerResult list_builds(Api& api, RequestContext& context, const Json& input) {
  if (auto e = expire_queued(api)) return common::fail(*e);
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  bool ascending = str(input, "sortOrder") == "ASCENDING";
  auto builds = api.engine.list_builds(context.account_id(), context.region, "", ascending);
  if (!builds.ok()) return common::fail(to_aws_error(builds.error()));
  Json out = Json::object();
  page_into(out, "ids", builds->ids, *offset);
  return out;
}

HandlerResult list_builds_for_project(Api& api, RequestContext& context, const Json& input) {
  if (auto e = expire_queued(api)) return common::fail(*e);
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  ProjectKey key = project_key(context, str(input, "projectName"));
  auto project = api.engine.get_project(key);
  if (!project.ok()) return common::fail(to_aws_error(project.error()));
  if (!*project) {
    return common::fail(to_aws_error(
        error(Errc::ResourceNotFound, "Project cannot be found: " + project_arn(key.region, key.account, key.name))));
  }
  bool ascending = str(input, "sortOrder") == "ASCENDING";
  auto builds = api.engine.list_builds(key.account, key.region, key.name, ascending);
  if (!builds.ok()) return common::fail(to_aws_error(builds.error()));
  Json out = Json::object();
  page_into(out, "ids", builds->ids, *offset);
  return out;
}

HandlerResult batch_delete_builds(Api& api, RequestContext& context, const Json& input) {
  Json deleted = Json::array();
  Json not_deleted = Json::array();
  for (const auto& id : input.value("ids", Json::array())) {
    std::string text = id.get<std::string>();
    auto done = api.engine.delete_build(build_ref(context, text));
    if (done.ok() && *done) {
      deleted.push_back(text);
    } else if (done.ok()) {
      not_deleted.push_back(Json{{"id", text}, {"statusCode", "BUILD_IN_PROGRESS"}});
    } else if (done.error().code == Errc::ResourceNotFound) {
      not_deleted.push_back(Json{{"id", text}, {"statusCode", "BUILD_NOT_FOUND"}});
    } else {
      return common::fail(to_aws_error(done.error()));
    }
  }
  return Json{{"buildsDeleted", deleted}, {"buildsNotDeleted", not_deleted}};
}

}  // namespace codebuild::api
