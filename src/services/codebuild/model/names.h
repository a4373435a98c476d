// CodeBuild's names: project and build ARNs, build ids (<project>:<uuid>).
#pragma once

#include <string>
#include <string_view>

namespace codebuild {

std::string project_arn(std::string_view region, std::string_view account, std::string_view name);
std::string build_arn(std::string_view region, std::string_view account, std::string_view build_id);
// The project of a build id "<project>:<uuid>" ("" when there is no colon).
std::string project_of_build_id(std::string_view build_id);
// The uuid part of a build id (the CloudWatch Logs stream name).
std::string uuid_of_build_id(std::string_view build_id);
// A build ARN or id -> the id; a project ARN or name -> the name.
std::string build_id_of(std::string_view id_or_arn);
std::string project_name_of(std::string_view name_or_arn);

}  // namespace codebuild
