// Naming, pagination and the Errc -> exception switch shared by CodeBuild's handlers.
#include "gen/codebuild/errors.h"
#include "services/codebuild/api/api.h"
#include "services/codebuild/model/names.h"

namespace codebuild::api {

namespace {
constexpr size_t kPageSize = 100;
constexpr std::string_view kTokenPrefix = "hkcb-";
}  // namespace

std::string str(const Json& input, const char* member) {
  auto it = input.find(member);
  return it != input.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ProjectKey project_key(const RequestContext& context, const std::string& name_or_arn) {
  return ProjectKey{context.account_id(), context.region, project_name_of(name_or_arn)};
}

BuildRef build_ref(const RequestContext& context, const std::string& id_or_arn) {
  return BuildRef{context.account_id(), context.region, build_id_of(id_or_arn)};
}

common::Result<size_t, aws::AwsError> page_offset(const Json& input) {
  std::string token = str(input, "nextToken");
  if (token.empty()) return size_t{0};
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return common::fail(invalid_input("Invalid next token"));
  size_t offset = 0;
  for (char c : token.substr(kTokenPrefix.size())) {
    if (c < '0' || c > '9') return common::fail(invalid_input("Invalid next token"));
    offset = offset * 10 + static_cast<size_t>(c - '0');
  }
  return offset;
}

void page_into(Json& out, const char* member, const std::vector<std::string>& items, size_t offset) {
  Json page = Json::array();
  for (size_t i = offset; i < items.size() && i < offset + kPageSize; ++i) page.push_back(items[i]);
  out[member] = std::move(page);
  if (offset + kPageSize < items.size())
    out["nextToken"] = std::string(kTokenPrefix) + std::to_string(offset + kPageSize);
}

aws::AwsError invalid_input(std::string message) { return errors::InvalidInputException(std::move(message)); }

aws::AwsError to_aws_error(const Error& error) {
  switch (error.code) {
    case Errc::ResourceNotFound: return errors::ResourceNotFoundException(error.message);
    case Errc::ResourceAlreadyExists: return errors::ResourceAlreadyExistsException(error.message);
    case Errc::InvalidInput: return errors::InvalidInputException(error.message);
    case Errc::AccountLimitExceeded: return errors::AccountLimitExceededException(error.message);
    case Errc::Internal: return aws::make_aws_error("InternalFailure", 500, error.message, false);
  }
  return aws::make_aws_error("InternalFailure", 500, error.message, false);
}

}  // namespace codebuild::api
