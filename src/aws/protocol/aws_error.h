// An error as AWS puts it on the wire: code, HTTP status, fault side, message and any extra
// members of the error shape. Service handlers build these with the generated factories in
// src/gen/<service>/errors.h; error_writer renders them per protocol.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/json.h"

namespace aws {

struct AwsError {
  std::string code;  // wire code: "ParameterNotFound", "NoSuchEntity"
  int status = 400;  // HTTP status
  bool sender_fault = true;
  std::string message;
  common::Json extra = common::Json::object();  // extra members of the error shape
  // Response headers the error carries besides the protocol's own (S3: x-amz-delete-marker).
  std::vector<std::pair<std::string, std::string>> headers;

  AwsError with(const std::string& member, common::Json value) && {
    extra[member] = std::move(value);
    return std::move(*this);
  }
};

inline AwsError make_aws_error(std::string code, int status, std::string message, bool sender_fault = true) {
  AwsError e;
  e.code = std::move(code);
  e.status = status;
  e.sender_fault = sender_fault;
  e.message = std::move(message);
  return e;
}

}  // namespace aws
