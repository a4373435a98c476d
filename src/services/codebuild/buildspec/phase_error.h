// A build phase's failure context, as CodeBuild reports it: phases[].contexts[] carries
// {statusCode, message}; the log says "Phase context status code: <code> Message: <message>".
#pragma once

#include <string>
#include <utility>

namespace buildspec {

// Status codes used here (AWS's own strings).
inline constexpr const char* kYamlFileError = "YAML_FILE_ERROR";  // the buildspec is invalid
inline constexpr const char* kClientError = "CLIENT_ERROR";       // e.g. no matching artifact paths
inline constexpr const char* kCommandExecutionError = "COMMAND_EXECUTION_ERROR";

struct PhaseError {
  std::string code;
  std::string message;

  // "YAML_FILE_ERROR Message: <message>", the wording of the log line and of most reports.
  std::string describe() const { return code + " Message: " + message; }
};

inline PhaseError yaml_error(std::string message) { return PhaseError{kYamlFileError, std::move(message)}; }

}  // namespace buildspec
