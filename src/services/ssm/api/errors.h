// Engine errors -> AWS errors of the SSM model (src/gen/ssm/errors.h).
#pragma once

#include "aws/protocol/aws_error.h"
#include "common/result.h"
#include "services/ssm/model/errors.h"

namespace ssm {

// One exhaustive switch over Reason; storage failures go through the ErrorKind fallback.
aws::AwsError to_aws_error(const Error& error);
// Fallback by class only (no default: a new ErrorKind fails to compile here).
aws::AwsError to_aws_error(const common::Error& error);
// SSM's ValidationException is not an error shape of the model, so it has no generated factory.
aws::AwsError validation_error(std::string message);

}  // namespace ssm
