// Domain errors of the SSM engine: a common::ErrorKind for the class of failure plus the
// exact Parameter Store case, so the api layer can pick the AWS error with one switch.
#pragma once

#include <string>
#include <utility>

#include "common/result.h"

namespace ssm {

enum class Reason {
  Storage,            // SQLite or crypto failure; `kind` says which class
  InvalidInput,       // malformed name, value, tag, filter combination...
  NotFound,           // no such parameter (or label)
  VersionNotFound,    // the parameter exists, the version does not
  AlreadyExists,      // PutParameter without Overwrite
  HierarchyTooDeep,   // more than 15 levels
  TypeMismatch,       // overwrite with another Type
  BadAllowedPattern,  // AllowedPattern is not a regex
  PatternMismatch,    // value does not match AllowedPattern
  TooManyParameters,  // per account/region limit
  VersionLimit,       // 100 versions and the oldest is labelled
  LabelLimit,         // more than 10 labels on a version
  UnsupportedType,    // data type / parameter type combination
  BadKeyId,           // KeyId on a non-SecureString or malformed
  BadFilterKey,
  BadFilterOption,
  BadFilterValue,
  BadNextToken,
  BadResourceType,
  BadResourceId,
  TooManyTags,
  BadPolicyType,
  BadPolicyAttribute,
  IncompatiblePolicy,
  TooManyPolicies,
};

struct Error {
  common::ErrorKind kind = common::ErrorKind::Internal;
  Reason reason = Reason::Storage;
  std::string message;
};

template <class T>
using Result = common::Result<T, Error>;
using Status = common::Status<Error>;

inline Error make_error(Reason reason, std::string message) {
  common::ErrorKind kind = common::ErrorKind::InvalidArgument;
  switch (reason) {
    case Reason::Storage: kind = common::ErrorKind::Internal; break;
    case Reason::NotFound:
    case Reason::VersionNotFound:
    case Reason::BadResourceId: kind = common::ErrorKind::NotFound; break;
    case Reason::AlreadyExists: kind = common::ErrorKind::AlreadyExists; break;
    case Reason::TooManyParameters:
    case Reason::VersionLimit:
    case Reason::LabelLimit:
    case Reason::HierarchyTooDeep:
    case Reason::TooManyTags:
    case Reason::TooManyPolicies: kind = common::ErrorKind::LimitExceeded; break;
    case Reason::TypeMismatch: kind = common::ErrorKind::FailedPrecondition; break;
    default: kind = common::ErrorKind::InvalidArgument; break;
  }
  return Error{kind, reason, std::move(message)};
}

// Wraps a store/common error (SQLite, crypto) keeping its kind.
inline Error storage_error(const common::Error& error) { return Error{error.kind, Reason::Storage, error.message}; }

}  // namespace ssm
