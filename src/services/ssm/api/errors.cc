#include "services/ssm/api/errors.h"

#include "gen/ssm/errors.h"

namespace ssm {

aws::AwsError validation_error(std::string message) {
  return aws::make_aws_error("ValidationException", 400, std::move(message));
}

aws::AwsError to_aws_error(const common::Error& error) {
  switch (error.kind) {
    case common::ErrorKind::NotFound: return errors::ParameterNotFound(error.message);
    case common::ErrorKind::AlreadyExists: return errors::ParameterAlreadyExists(error.message);
    case common::ErrorKind::InvalidArgument: return validation_error(error.message);
    case common::ErrorKind::LimitExceeded: return errors::ParameterLimitExceeded(error.message);
    case common::ErrorKind::FailedPrecondition:
    case common::ErrorKind::Conflict:
    case common::ErrorKind::Unavailable:
      // SQLite busy or a lost race: AWS's answer to concurrent updates of one resource.
      return errors::TooManyUpdates(error.message);
    case common::ErrorKind::PermissionDenied: return aws::make_aws_error("AccessDeniedException", 400, error.message);
    case common::ErrorKind::Internal: return errors::InternalServerError(error.message);
  }
  return errors::InternalServerError(error.message);
}

aws::AwsError to_aws_error(const Error& error) {
  switch (error.reason) {
    case Reason::Storage: return to_aws_error(common::Error{error.kind, error.message});
    case Reason::InvalidInput: return validation_error(error.message);
    case Reason::NotFound: return errors::ParameterNotFound(error.message);
    case Reason::VersionNotFound: return errors::ParameterVersionNotFound(error.message);
    case Reason::AlreadyExists: return errors::ParameterAlreadyExists(error.message);
    case Reason::HierarchyTooDeep: return errors::HierarchyLevelLimitExceededException(error.message);
    case Reason::TypeMismatch: return errors::HierarchyTypeMismatchException(error.message);
    case Reason::BadAllowedPattern: return errors::InvalidAllowedPatternException(error.message);
    case Reason::PatternMismatch: return errors::ParameterPatternMismatchException(error.message);
    case Reason::TooManyParameters: return errors::ParameterLimitExceeded(error.message);
    case Reason::VersionLimit: return errors::ParameterMaxVersionLimitExceeded(error.message);
    case Reason::LabelLimit: return errors::ParameterVersionLabelLimitExceeded(error.message);
    case Reason::UnsupportedType: return errors::UnsupportedParameterType(error.message);
    case Reason::BadKeyId: return errors::InvalidKeyId(error.message);
    case Reason::BadFilterKey: return errors::InvalidFilterKey(error.message);
    case Reason::BadFilterOption: return errors::InvalidFilterOption(error.message);
    case Reason::BadFilterValue: return errors::InvalidFilterValue(error.message);
    case Reason::BadNextToken: return errors::InvalidNextToken(error.message);
    case Reason::BadResourceType: return errors::InvalidResourceType(error.message);
    case Reason::BadResourceId: return errors::InvalidResourceId(error.message);
    case Reason::TooManyTags: return errors::TooManyTagsError(error.message);
    case Reason::BadPolicyType: return errors::InvalidPolicyTypeException(error.message);
    case Reason::BadPolicyAttribute: return errors::InvalidPolicyAttributeException(error.message);
    case Reason::IncompatiblePolicy: return errors::IncompatiblePolicyException(error.message);
    case Reason::TooManyPolicies: return errors::PoliciesLimitExceededException(error.message);
  }
  return errors::InternalServerError(error.message);
}

}  // namespace ssm
