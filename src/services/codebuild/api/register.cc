#include "services/codebuild/api/register.h"

#include <memory>

#include "gen/models.h"
#include "services/codebuild/api/api.h"
#include "services/codebuild/api/reports.h"
#include "services/codebuild/model/names.h"

namespace codebuild {
namespace {

using api::Api;
using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;
using dispatch::RequestContext;

AuthzResource project_resource(const RequestContext& context, const std::string& name) {
  return AuthzResource{project_arn(context.region, context.account_id(), name), "", std::nullopt};
}

// Operations on one project named by `member` (a name or an ARN).
AuthzFn on_project(const char* member) {
  return [member](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    target.resources.push_back(project_resource(context, project_name_of(api::str(input, member))));
    return target;
  };
}

// Operations on one build named by `member`: IAM sees the build's project.
AuthzFn on_build(const char* member) {
  return [member](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    target.resources.push_back(project_resource(context, project_of_build_id(build_id_of(api::str(input, member)))));
    return target;
  };
}

// Batch operations: every project the list names (projects or builds).
AuthzFn on_each(const char* member, bool builds) {
  return [member, builds](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    for (const auto& item : input.value(member, Json::array())) {
      std::string text = item.is_string() ? item.get<std::string>() : std::string();
      std::string name = builds ? project_of_build_id(build_id_of(text)) : project_name_of(text);
      target.resources.push_back(project_resource(context, name));
    }
    if (target.resources.empty()) target.resources.push_back(project_resource(context, "*"));
    return target;
  };
}

AuthzFn everything() {
  return [](const RequestContext&, const Json&) {
    AuthzTarget target;
    target.resources.push_back(AuthzResource{"*", "", std::nullopt});
    return target;
  };
}

using Handler = dispatch::HandlerResult (*)(Api&, RequestContext&, const Json&);

dispatch::Handler bind_handler(const std::shared_ptr<Api>& api, Handler handler) {
  return [api, handler](RequestContext& context, const Json& input) { return handler(*api, context, input); };
}

}  // namespace

void register_api(dispatch::Registry& registry, CodebuildEngine& engine) {
  auto shared = std::make_shared<Api>(engine);  // lives as long as the handlers sharing it
  dispatch::Service& service = registry.service(gen::codebuild_model());
  service.set_validation_error("InvalidInputException");
  auto add = [&](const char* name, AuthzFn authz, Handler handler) {
    service.add({name, std::string("codebuild:") + name, std::move(authz), bind_handler(shared, handler)});
  };
  add("CreateProject", on_project("name"), api::create_project);
  add("UpdateProject", on_project("name"), api::update_project);
  add("DeleteProject", on_project("name"), api::delete_project);
  add("BatchGetProjects", on_each("names", false), api::batch_get_projects);
  add("ListProjects", everything(), api::list_projects);
  add("StartBuild", on_project("projectName"), api::start_build);
  add("RetryBuild", on_build("id"), api::retry_build);
  add("StopBuild", on_build("id"), api::stop_build);
  add("BatchGetBuilds", on_each("ids", true), api::batch_get_builds);
  add("BatchDeleteBuilds", on_each("ids", true), api::batch_delete_builds);
  add("ListBuilds", everything(), api::list_builds);
  add("ListBuildsForProject", on_project("projectName"), api::list_builds_for_project);
  api::register_report_operations(service, engine);
}

}  // namespace codebuild
