// What can go wrong in CodeBuild's engine, independent of the wire: api/common.cc maps each code
// to a CodeBuild exception (one exhaustive switch).
#pragma once

#include <string>

namespace codebuild {

enum class Errc {
  ResourceNotFound,       // ResourceNotFoundException
  ResourceAlreadyExists,  // ResourceAlreadyExistsException
  InvalidInput,           // InvalidInputException
  AccountLimitExceeded,   // AccountLimitExceededException
  Internal,               // InternalFailure / 500
};

struct Error {
  Errc code = Errc::Internal;
  std::string message;
};

inline Error error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace codebuild
