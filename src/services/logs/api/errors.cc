// logs::Errc -> CloudWatch Logs' exceptions (src/gen/logs/errors.h). The engine's messages are
// AWS's wording already.
#include "gen/logs/errors.h"
#include "services/logs/api/api.h"

namespace logs::api {

aws::AwsError invalid_parameter(std::string message) { return errors::InvalidParameterException(std::move(message)); }

aws::AwsError to_aws_error(const Error& error) {
  switch (error.code) {
    case Errc::GroupNotFound:
    case Errc::StreamNotFound: return errors::ResourceNotFoundException(error.message);
    case Errc::GroupAlreadyExists:
    case Errc::StreamAlreadyExists: return errors::ResourceAlreadyExistsException(error.message);
    case Errc::InvalidParameter: return invalid_parameter(error.message);
    case Errc::TooManyTags: return errors::TooManyTagsException(error.message);
    case Errc::DeletionProtected: return errors::ValidationException(error.message);
    case Errc::Internal: return errors::ServiceUnavailableException(error.message);
  }
  return errors::ServiceUnavailableException(error.message);
}

}  // namespace logs::api
