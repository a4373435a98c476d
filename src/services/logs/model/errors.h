// What can go wrong in CloudWatch Logs' engine, independent of the wire: api/errors.cc maps
// each code to a Logs exception with one exhaustive switch.
#pragma once

#include <string>

namespace logs {

enum class Errc {
  GroupNotFound,        // ResourceNotFoundException "The specified log group does not exist."
  StreamNotFound,       // ResourceNotFoundException "The specified log stream does not exist."
  GroupAlreadyExists,   // ResourceAlreadyExistsException
  StreamAlreadyExists,  // ResourceAlreadyExistsException
  InvalidParameter,     // InvalidParameterException (batch rules, reserved names, bad tokens)
  TooManyTags,          // TooManyTagsException (TagResource; TagLogGroup answers InvalidParameter)
  DeletionProtected,    // ValidationException (DeleteLogGroup/DeleteLogStream in a protected group)
  Internal,             // ServiceUnavailableException (storage failures)
};

struct Error {
  Errc code = Errc::Internal;
  std::string message;
};

inline Error error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace logs
