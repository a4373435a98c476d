// The operation table: one row per implemented AWS operation, naming its IAM action, how to
// derive the resources (and condition keys) it touches, and its handler. Adding an
// operation is one row here (in the service's register.cc) plus its handler file.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/dispatch/authorizer.h"
#include "aws/dispatch/request_context.h"
#include "aws/protocol/aws_error.h"
#include "aws/protocol/model.h"
#include "common/json.h"
#include "common/result.h"
#include "http/request.h"

namespace dispatch {

using common::Json;

using HandlerResult = common::Result<Json, aws::AwsError>;
// Business logic only: input is decoded and validated against the model already.
using Handler = std::function<HandlerResult(RequestContext&, const Json& input)>;

// What the request touches, for IAM: resources (ARNs, owners, resource policies) and
// request-specific condition keys. An empty resource list means "*".
struct AuthzTarget {
  std::vector<AuthzResource> resources;
  ConditionKeys keys;
  std::string action = {};  // overrides the row's action for this request ("s3:GetObjectVersion")
  // Further checks the request needs, each one action on one resource (CopyObject also reads
  // its source: s3:GetObject on the source object). All must pass.
  std::vector<std::pair<std::string, AuthzResource>> also = {};
};
using AuthzFn = std::function<AuthzTarget(const RequestContext&, const Json& input)>;

// Streaming I/O of rest protocols (S3 object bodies), beside the decoded input and output.
struct StreamIo {
  // The request payload of an operation whose input payload streams (PutObject, UploadPart):
  // HTTP framing and aws-chunked encoding already undone; null when the request has no body.
  http::BodyReader* body = nullptr;
  int64_t body_length = -1;  // decoded length when known (Content-Length or X-Amz-Decoded-Content-Length)
  // Trailing headers of an aws-chunked body (x-amz-checksum-crc32...), after `body` hit its end.
  std::function<const std::string*(std::string_view name)> trailer;
  // Why `body` returned -1, as the AWS error to answer with (set by the dispatcher's reader).
  std::function<std::optional<aws::AwsError>()> body_error;

  // Whether the caller may also do `action` on `resource` (S3 answers a missing key with 404
  // only to callers allowed s3:ListBucket, else 403).
  std::function<bool(const std::string& action, const AuthzResource& resource)> allowed;

  // Response payload of an operation whose output payload streams (GetObject): bytes held
  // here and/or file segments, sent after them. The encoder adds nothing else to the body.
  std::string payload;
  std::vector<http::FileSegment> files;
  int status = 0;  // overrides the operation's success status (206 for a range)
};

// For operations with streaming payloads; the dispatcher calls it instead of `handler`.
using StreamHandler = std::function<HandlerResult(RequestContext&, const Json& input, StreamIo& io)>;

struct OperationSpec {
  std::string name;    // "GetParameter"
  std::string action;  // "ssm:GetParameter"; empty = never denied (sts:GetCallerIdentity)
  AuthzFn authz;       // null = resource "*"
  Handler handler;
  StreamHandler stream_handler = {};  // set instead of `handler` by rest-xml operations
};

// Helper for the common case: one resource ARN computed from the input.
inline AuthzFn resource(std::function<std::string(const RequestContext&, const Json&)> arn_of) {
  return [arn_of = std::move(arn_of)](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    target.resources.push_back(AuthzResource{arn_of(context, input), "", std::nullopt});
    return target;
  };
}

// One AWS service: its generated model and the operations hakobu implements.
class Service {
 public:
  explicit Service(const model::ServiceModel& model) : model_(model) {}
  void add(OperationSpec spec) {
    std::string name = spec.name;
    operations_.emplace(std::move(name), std::move(spec));
  }
  const OperationSpec* find(std::string_view operation) const {
    auto it = operations_.find(operation);
    return it == operations_.end() ? nullptr : &it->second;
  }
  const model::ServiceModel& model() const { return model_; }
  size_t size() const { return operations_.size(); }

  // The code a request that breaks the model's constraints (pattern, length, range, enum) is
  // answered with: "" = ValidationException, what most JSON services answer; CloudWatch Logs and
  // ECR answer InvalidParameterException, CodeBuild InvalidInputException.
  void set_validation_error(std::string code) { validation_error_ = std::move(code); }
  const std::string& validation_error() const { return validation_error_; }

 private:
  const model::ServiceModel& model_;
  std::string validation_error_;
  std::map<std::string, OperationSpec, std::less<>> operations_;
};

// All services, looked up by signing name ("ssm", "iam", "elasticloadbalancing").
class Registry {
 public:
  Service& service(const model::ServiceModel& model) {
    auto& slot = services_[std::string(model.signing_name)];
    if (!slot) slot = std::make_unique<Service>(model);
    return *slot;
  }
  const Service* find(std::string_view signing_name) const {
    auto it = services_.find(signing_name);
    return it == services_.end() ? nullptr : it->second.get();
  }
  // JSON protocol services by X-Amz-Target prefix ("AmazonSSM").
  const Service* find_by_target_prefix(std::string_view prefix) const {
    for (const auto& [name, service] : services_) {
      if (!service->model().target_prefix.empty() && service->model().target_prefix == prefix) {
        return service.get();
      }
    }
    return nullptr;
  }
  // Query protocol services by API Version ("2010-05-08" -> iam), for unsigned requests.
  const Service* find_query_by_version(std::string_view version) const {
    for (const auto& [name, service] : services_) {
      if (service->model().protocol == model::Protocol::Query && service->model().api_version == version) {
        return service.get();
      }
    }
    return nullptr;
  }

 private:
  std::map<std::string, std::unique_ptr<Service>, std::less<>> services_;
};

}  // namespace dispatch
