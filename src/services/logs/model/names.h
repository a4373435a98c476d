// Names, ARNs and fixed value sets of CloudWatch Logs: the two forms of a log group's ARN
// (with and without the trailing ":*"), log stream ARNs, the names AWS reserves, and the
// retention periods PutRetentionPolicy accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace logs {

// arn:aws:logs:<region>:<account>:log-group:<name> — LogGroup.logGroupArn, the tagging APIs'
// resourceArn, and what IAM sees for TagResource/UntagResource/ListTagsForResource.
std::string group_arn(std::string_view region, std::string_view account, std::string_view name);
// The same with ":*" appended — LogGroup.arn, and what IAM sees for the other log group actions
// (AWS's documentation: "use the second version ... for all other API actions").
std::string group_arn_any(std::string_view region, std::string_view account, std::string_view name);
// arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>
std::string stream_arn(std::string_view region, std::string_view account, std::string_view group,
                       std::string_view stream);

struct GroupArnParts {
  std::string region;
  std::string account;
  std::string name;
};
// A log group ARN, with or without the trailing ":*"; nullopt for anything else (another
// partition or service, a destination, a stream ARN).
std::optional<GroupArnParts> parse_group_arn(std::string_view arn);

// CreateLogGroup refuses names starting with "aws/" (any case): AWS keeps them for itself.
// "/aws/codebuild/..." does not start with it and is fine.
bool reserved_group_name(std::string_view name);

// 1, 3, 5, 7, 14, 30, ..., 3653: the only retention periods AWS accepts.
bool valid_retention_days(int days);
// "[1, 3, 5, ..., 3653]" as AWS's enum-constraint messages print the set.
std::string retention_days_text();

}  // namespace logs
