// The request lifecycle shared by every AWS service (json 1.1 and query protocols; rest-xml
// joins with S3). Stages: identify, authenticate, decode, authorize, execute, encode, record.
#include <chrono>
#include <exception>

#include "aws/dispatch/dispatcher.h"
#include "aws/protocol/codec.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"

namespace dispatch {
namespace {

using aws::AwsError;
using aws::make_aws_error;
using model::Protocol;

// Everything the stages learn about one request.
struct Call {
  std::string request_id;
  const Service* service = nullptr;
  Protocol protocol = Protocol::Json;
  std::string operation;
  std::string body;
  std::vector<std::pair<std::string, std::string>> params;  // query protocol
  RequestContext context;
};

// Auth failures differ per protocol (aws-behaviour.md §1.8).
enum class AuthFailure { Missing, Malformed, UnknownKey, BadSignature, Skewed, ExpiredToken };

AwsError auth_error(Protocol protocol, AuthFailure failure, const std::string& detail) {
  bool json = protocol == Protocol::Json || protocol == Protocol::RestJson;
  bool xml = protocol == Protocol::RestXml;
  switch (failure) {
    case AuthFailure::Missing:
      if (json) return make_aws_error("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
      if (xml) return make_aws_error("AccessDenied", 403, "Access Denied");
      return make_aws_error("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
    case AuthFailure::Malformed:
      if (json) return make_aws_error("IncompleteSignatureException", 400, detail);
      if (xml) return make_aws_error("AuthorizationHeaderMalformed", 400, detail);
      return make_aws_error("IncompleteSignature", 400, detail);
    case AuthFailure::UnknownKey:
      if (json) {
        return make_aws_error("UnrecognizedClientException", 400,
                              "The security token included in the request is invalid.");
      }
      if (xml) {
        return make_aws_error("InvalidAccessKeyId", 403,
                              "The AWS Access Key Id you provided does not exist in our records.");
      }
      return make_aws_error("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
    case AuthFailure::BadSignature:
      if (json) return make_aws_error("InvalidSignatureException", 400, detail);
      return make_aws_error("SignatureDoesNotMatch", 403, detail);
    case AuthFailure::Skewed:
      if (json) return make_aws_error("InvalidSignatureException", 400, detail);
      if (xml) return make_aws_error("RequestTimeTooSkewed", 403, detail);
      return make_aws_error("SignatureDoesNotMatch", 403, detail);
    case AuthFailure::ExpiredToken:
      if (json) {
        return make_aws_error("ExpiredTokenException", 400, "The security token included in the request is expired");
      }
      if (xml) return make_aws_error("ExpiredToken", 400, "The provided token has expired.");
      return make_aws_error("ExpiredToken", 403, "The security token included in the request is expired");
  }
  return make_aws_error("InternalFailure", 500, "unreachable", false);
}

// Authorization failures keep the authorizer's message but take the protocol's code.
AwsError access_denied(Protocol protocol, std::string message) {
  if (protocol == Protocol::Json || protocol == Protocol::RestJson) {
    return make_aws_error("AccessDeniedException", 400, std::move(message));
  }
  return make_aws_error("AccessDenied", 403, std::move(message));
}

std::string_view xml_namespace(const Call& call) {
  return call.service != nullptr ? call.service->model().xml_namespace : std::string_view();
}

void write_error(Call& call, http::Response& response, const AwsError& error) {
  response = aws::protocol::render_error(call.protocol, xml_namespace(call), error, call.request_id);
}

// Form parameters of a query-protocol request: the query string plus a urlencoded body.
void collect_params(const http::Request& request, const std::string& body,
                    std::vector<std::pair<std::string, std::string>>& params) {
  params = common::parse_query(request.query, true);
  const std::string* type = request.header("content-type");
  if (!body.empty() && (type == nullptr || type->find("x-www-form-urlencoded") != std::string::npos)) {
    auto more = common::parse_query(body, true);
    params.insert(params.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
}

const std::string* param(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return &v;
  }
  return nullptr;
}

}  // namespace

Dispatcher::Dispatcher(const Registry& registry, CredentialResolver& credentials, Authorizer& authorizer,
                       const common::Clock& clock, DispatcherOptions options)
    : registry_(registry),
      credentials_(credentials),
      authorizer_(authorizer),
      clock_(clock),
      options_(std::move(options)) {}

void Dispatcher::handle(http::Request& request, http::Response& response) {
  auto started = std::chrono::steady_clock::now();
  Call call;
  call.request_id = common::uuid4();
  call.context.request_id = call.request_id;
  call.context.clock = &clock_;
  call.context.http = &request;
  call.context.region = options_.default_region;

  auto record = [&](const http::Response& r, std::string_view error_code) {
    if (!options_.access_log || !common::log::enabled(common::log::Level::Info)) return;
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    common::log::write(
        common::log::Level::Info,
        fmt::format("access rid={} acct={} principal={} svc={} op={} status={} error={} ms={:.3f}", call.request_id,
                    call.context.principal.account_id.empty() ? "-" : call.context.principal.account_id,
                    call.context.principal.arn.empty() ? "-" : call.context.principal.arn,
                    call.service != nullptr ? std::string(call.service->model().signing_name) : "-",
                    call.operation.empty() ? "-" : call.operation, r.status, error_code, ms));
  };
  auto fail = [&](const AwsError& error) {
    write_error(call, response, error);
    record(response, error.code);
  };

  // 1. identify: X-Amz-Target (json), else the SigV4 scope's service (query), else S3.
  sigv4::ParseResult auth = sigv4::parse(request);
  if (const std::string* target = request.header("x-amz-target")) {
    size_t dot = target->rfind('.');
    std::string prefix = dot == std::string::npos ? *target : target->substr(0, dot);
    call.operation = dot == std::string::npos ? std::string() : target->substr(dot + 1);
    call.protocol = Protocol::Json;
    call.service = registry_.find_by_target_prefix(prefix);
    if (call.service == nullptr) {
      fail(make_aws_error("UnknownOperationException", 400, "Unknown service target: " + *target));
      return;
    }
  } else {
    std::string scope_service = auth.status == sigv4::ParseStatus::Ok ? auth.info.service : std::string();
    bool form = false;
    if (const std::string* type = request.header("content-type")) {
      form = type->find("x-www-form-urlencoded") != std::string::npos;
    }
    const Service* scoped = registry_.find(scope_service);
    if ((scoped != nullptr && scoped->model().protocol == Protocol::Query) ||
        (scope_service.empty() && (form || request.query.find("Action=") != std::string::npos))) {
      call.protocol = Protocol::Query;
      if (!request.read_body(call.body, options_.max_body_bytes)) {
        fail(make_aws_error("RequestEntityTooLarge", 413, "Request body too large or incomplete"));
        return;
      }
      collect_params(request, call.body, call.params);
      const std::string* action = param(call.params, "Action");
      call.operation = action != nullptr ? *action : std::string();
      call.service = scoped;
      if (call.service == nullptr) {
        const std::string* version = param(call.params, "Version");
        if (version != nullptr) call.service = registry_.find_query_by_version(*version);
      }
      if (call.service == nullptr) {
        fail(make_aws_error("InvalidAction", 400, "The action or operation requested is invalid."));
        return;
      }
    } else {
      // S3 and any other rest protocol: not served yet.
      call.protocol = Protocol::RestXml;
      fail(make_aws_error("NotImplemented", 501,
                          "hakobu does not implement this API yet (" + request.method + " " + request.path + ")"));
      return;
    }
  }
  call.context.service = std::string(call.service->model().signing_name);
  call.context.operation = call.operation;

  // 2. authenticate
  if (call.protocol == Protocol::Json && !request.read_body(call.body, options_.max_body_bytes)) {
    fail(make_aws_error("SerializationException", 413, "Request body too large or incomplete"));
    return;
  }
  switch (auth.status) {
    case sigv4::ParseStatus::Ok: break;
    case sigv4::ParseStatus::Missing: fail(auth_error(call.protocol, AuthFailure::Missing, "")); return;
    case sigv4::ParseStatus::Malformed:
    case sigv4::ParseStatus::UnsupportedAlgorithm:
      fail(auth_error(call.protocol, AuthFailure::Malformed, auth.problem));
      return;
  }
  if (auth.info.service != call.service->model().signing_name) {
    fail(auth_error(
        call.protocol, AuthFailure::BadSignature,
        "Credential should be scoped to correct service: '" + std::string(call.service->model().signing_name) + "'. "));
    return;
  }
  if (!auth.info.region.empty()) call.context.region = auth.info.region;
  int64_t now_epoch = static_cast<int64_t>(common::to_epoch_seconds(clock_.now()));
  auto resolved = credentials_.resolve(auth.info.access_key_id, auth.info.security_token, now_epoch);
  if (!resolved.ok()) {
    switch (resolved.error()) {
      case CredentialError::UnknownKey:
      case CredentialError::InvalidToken: fail(auth_error(call.protocol, AuthFailure::UnknownKey, "")); return;
      case CredentialError::ExpiredToken: fail(auth_error(call.protocol, AuthFailure::ExpiredToken, "")); return;
    }
  }
  std::string payload_hash;
  if (const std::string* h = request.header("x-amz-content-sha256")) {
    payload_hash = *h;
  } else {
    payload_hash = common::sha256_hex(call.body);
  }
  auto verified = sigv4::verify(request, auth.info, resolved->secret_access_key, sigv4::PathMode::Normalize,
                                payload_hash, clock_.now(), &signing_keys_);
  switch (verified.status) {
    case sigv4::VerifyStatus::Ok: break;
    case sigv4::VerifyStatus::Skewed:
    case sigv4::VerifyStatus::NotYetValid:
    case sigv4::VerifyStatus::Expired: fail(auth_error(call.protocol, AuthFailure::Skewed, verified.message)); return;
    case sigv4::VerifyStatus::BadDate:
      fail(auth_error(call.protocol, AuthFailure::Malformed, verified.message));
      return;
    case sigv4::VerifyStatus::SignatureMismatch:
      common::log::debug("rid={} signature mismatch; canonical request:\n{}\nstring to sign:\n{}", call.request_id,
                         verified.canonical_request, verified.string_to_sign);
      fail(auth_error(call.protocol, AuthFailure::BadSignature, verified.message));
      return;
  }
  call.context.principal = std::move(resolved->principal);

  // 3. decode: the operation must exist in the model, and hakobu must implement it.
  const model::ServiceModel& service_model = call.service->model();
  const model::Operation* operation = service_model.find_operation(call.operation);
  if (operation == nullptr) {
    if (call.protocol == Protocol::Query) {
      fail(make_aws_error(
          "InvalidAction", 400,
          "Could not find operation " + call.operation + " for version " + std::string(service_model.api_version)));
    } else {
      fail(make_aws_error("UnknownOperationException", 400, "Unknown operation " + call.operation));
    }
    return;
  }
  const OperationSpec* spec = call.service->find(call.operation);
  if (spec == nullptr) {
    fail(make_aws_error(
        "NotImplemented", 501,
        "hakobu does not implement " + std::string(service_model.service_id) + "." + call.operation + " yet", false));
    return;
  }
  auto input = call.protocol == Protocol::Query ? aws::protocol::decode_query(service_model, *operation, call.params)
                                                : aws::protocol::decode_json(service_model, *operation, call.body);
  if (!input.ok()) {
    fail(input.error());
    return;
  }

  // 4. authorize
  if (!spec->action.empty()) {
    AuthzRequest authz;
    authz.principal = &call.context.principal;
    authz.action = spec->action;
    authz.region = call.context.region;
    authz.source_ip = request.remote_address;
    authz.secure_transport = request.secure;
    if (spec->authz) {
      AuthzTarget target = spec->authz(call.context, *input);
      authz.resources = std::move(target.resources);
      authz.keys = std::move(target.keys);
    }
    if (authz.resources.empty()) authz.resources.push_back(AuthzResource{"*", "", std::nullopt});
    auto allowed = authorizer_.authorize(authz);
    if (!allowed.ok()) {
      fail(access_denied(call.protocol, allowed.error().message));
      return;
    }
  }

  // 5. execute
  HandlerResult result = [&]() -> HandlerResult {
    try {
      return spec->handler(call.context, *input);
    } catch (const std::exception& e) {
      common::log::error("rid={} {}.{} threw: {}", call.request_id, service_model.service_id, call.operation, e.what());
    } catch (...) {
      common::log::error("rid={} {}.{} threw a non-standard exception", call.request_id, service_model.service_id,
                         call.operation);
    }
    bool query = call.protocol == Protocol::Query;
    return common::fail(make_aws_error(query ? "ServiceFailure" : "InternalServerError", 500,
                                       "An internal error occurred (request " + call.request_id + ")", false));
  }();
  if (!result.ok()) {
    fail(result.error());
    return;
  }

  // 6. encode
  response.status = operation->http_status != 0 ? operation->http_status : 200;
  if (call.protocol == Protocol::Query) {
    response.body = aws::protocol::encode_query(service_model, *operation, *result, call.request_id);
    response.set_header("Content-Type", "text/xml");
  } else {
    response.body = aws::protocol::encode_json(service_model, *operation, *result);
    response.set_header("Content-Type", "application/x-amz-json-1.1");
  }
  response.set_header("x-amzn-RequestId", call.request_id);

  // 7. record
  record(response, "-");
}

}  // namespace dispatch
