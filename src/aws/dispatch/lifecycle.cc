// The request lifecycle shared by every AWS service (json 1.1 and query protocols; rest-xml
// joins with S3). Stages: identify, authenticate, decode, authorize, execute, encode, record.
#include <chrono>
#include <cstdlib>
#include <exception>
#include <optional>

#include "aws/dispatch/access_log.h"
#include "aws/dispatch/dispatcher.h"
#include "aws/dispatch/rest_request.h"
#include "aws/protocol/codec.h"
#include "aws/sigv4/chunked.h"
#include "common/checksum.h"
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
  if (protocol == Protocol::RestXml) {
    // S3 quotes the resource: ... on resource: "arn:aws:s3:::b/k" because ...
    static constexpr std::string_view kOn = " on resource: ";
    size_t at = message.find(kOn);
    if (at != std::string::npos) {
      size_t start = at + kOn.size();
      size_t end = message.rfind(" because ");
      if (end == std::string::npos || end < start) end = message.rfind(" with an explicit deny");
      if (end == std::string::npos || end < start) end = message.size();
      message.insert(end, "\"");
      message.insert(start, "\"");
    }
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

// One request's trip through the stages; the JSON/query and rest-xml paths share
// authenticate, authorize, execute and record.
class Pipeline {
 public:
  Pipeline(const Registry& registry, CredentialResolver& credentials, Authorizer& authorizer,
           const common::Clock& clock, const DispatcherOptions& options, sigv4::SigningKeyCache& signing_keys,
           http::Request& request, http::Response& response)
      : registry_(registry),
        credentials_(credentials),
        authorizer_(authorizer),
        clock_(clock),
        options_(options),
        signing_keys_(signing_keys),
        request_(request),
        response_(response),
        started_(std::chrono::steady_clock::now()) {
    call_.request_id = common::uuid4();
    call_.context.request_id = call_.request_id;
    call_.context.clock = &clock_;
    call_.context.http = &request_;
    call_.context.region = options_.default_region;
  }

  void run();

 private:
  void record(std::string_view error_code);
  void fail(const AwsError& error) {
    write_error(call_, response_, error);
    for (const auto& [name, value] : error.headers) response_.set_header(name, value);
    if (request_.method == "HEAD") response_.head_only = true;
    record(error.code);
  }
  // Stage 2 for every protocol. False (after answering) when the request is not authentic.
  bool authenticate(sigv4::PathMode mode, std::string_view payload_hash);
  bool check_scope_service();
  bool authenticate_sigv2(const SigV2Query& v2, const S3Target& target,
                          const std::vector<std::pair<std::string, std::string>>& query);
  AuthzRequest authz_request(const std::string& action, std::vector<AuthzResource> resources) const {
    AuthzRequest authz;
    authz.principal = &call_.context.principal;
    authz.action = action;
    authz.region = call_.context.region;
    authz.source_ip = request_.remote_address;
    authz.secure_transport = request_.secure;
    authz.resources = std::move(resources);
    return authz;
  }
  // Stage 4. False (after answering) when IAM denies.
  bool authorize(const OperationSpec& spec, const Json& input);
  HandlerResult execute(const OperationSpec& spec, const Json& input, StreamIo* io);
  void run_rest();

  const Registry& registry_;
  CredentialResolver& credentials_;
  Authorizer& authorizer_;
  const common::Clock& clock_;
  const DispatcherOptions& options_;
  sigv4::SigningKeyCache& signing_keys_;
  http::Request& request_;
  http::Response& response_;
  std::chrono::steady_clock::time_point started_;
  Call call_;
  sigv4::ParseResult auth_;
  std::string secret_;  // the caller's secret key, for aws-chunked signatures
};

void Pipeline::record(std::string_view error_code) {
  if (!options_.access_log) return;
  write_access_log(call_.request_id, call_.context.principal,
                   call_.service != nullptr ? call_.service->model().signing_name : std::string_view("-"),
                   call_.operation.empty() ? std::string_view("-") : std::string_view(call_.operation),
                   response_.status, error_code, started_);
}

bool Pipeline::check_scope_service() {
  switch (auth_.status) {
    case sigv4::ParseStatus::Ok: break;
    case sigv4::ParseStatus::Missing: fail(auth_error(call_.protocol, AuthFailure::Missing, "")); return false;
    case sigv4::ParseStatus::Malformed:
    case sigv4::ParseStatus::UnsupportedAlgorithm:
      if (call_.protocol == Protocol::RestXml && request_.query.find("X-Amz-Credential=") != std::string::npos) {
        // S3 names query-string auth problems apart from header ones.
        fail(make_aws_error("AuthorizationQueryParametersError", 400, auth_.problem));
      } else {
        fail(auth_error(call_.protocol, AuthFailure::Malformed, auth_.problem));
      }
      return false;
  }
  if (auth_.info.service != call_.service->model().signing_name) {
    fail(auth_error(call_.protocol, AuthFailure::BadSignature,
                    "Credential should be scoped to correct service: '" +
                        std::string(call_.service->model().signing_name) + "'. "));
    return false;
  }
  return true;
}

bool Pipeline::authenticate(sigv4::PathMode mode, std::string_view payload_hash) {
  if (!auth_.info.region.empty()) call_.context.region = auth_.info.region;
  int64_t now_epoch = static_cast<int64_t>(common::to_epoch_seconds(clock_.now()));
  auto resolved = credentials_.resolve(auth_.info.access_key_id, auth_.info.security_token, now_epoch);
  if (!resolved.ok()) {
    switch (resolved.error()) {
      case CredentialError::UnknownKey:
      case CredentialError::InvalidToken: {
        AwsError e = auth_error(call_.protocol, AuthFailure::UnknownKey, "");
        if (call_.protocol == Protocol::RestXml) e.extra["AWSAccessKeyId"] = auth_.info.access_key_id;
        fail(e);
        return false;
      }
      case CredentialError::ExpiredToken: fail(auth_error(call_.protocol, AuthFailure::ExpiredToken, "")); return false;
    }
  }
  auto verified = sigv4::verify(request_, auth_.info, resolved->secret_access_key, mode, payload_hash, clock_.now(),
                                &signing_keys_);
  switch (verified.status) {
    case sigv4::VerifyStatus::Ok: break;
    case sigv4::VerifyStatus::Expired:
      if (call_.protocol == Protocol::RestXml) {
        AwsError e = make_aws_error("AccessDenied", 403, "Request has expired");
        e.extra["X-Amz-Expires"] = std::to_string(auth_.info.expires_seconds);
        if (auto signed_at = common::parse_timestamp(auth_.info.amz_date)) {
          e.extra["Expires"] =
              common::format_iso8601(*signed_at + std::chrono::seconds(auth_.info.expires_seconds), false);
        }
        e.extra["ServerTime"] = common::format_iso8601(clock_.now(), false);
        fail(e);
        return false;
      }
      [[fallthrough]];
    case sigv4::VerifyStatus::Skewed:
    case sigv4::VerifyStatus::NotYetValid:
      fail(auth_error(call_.protocol, AuthFailure::Skewed, verified.message));
      return false;
    case sigv4::VerifyStatus::BadDate:
      if (call_.protocol == Protocol::RestXml && auth_.info.presigned) {
        fail(make_aws_error("AuthorizationQueryParametersError", 400, verified.message));
      } else {
        fail(auth_error(call_.protocol, AuthFailure::Malformed, verified.message));
      }
      return false;
    case sigv4::VerifyStatus::SignatureMismatch:
      common::log::debug("rid={} signature mismatch; canonical request:\n{}\nstring to sign:\n{}", call_.request_id,
                         verified.canonical_request, verified.string_to_sign);
      if (call_.protocol == Protocol::RestXml) {
        // S3's own wording, with what it computed (as S3 answers).
        AwsError e = make_aws_error("SignatureDoesNotMatch", 403,
                                    "The request signature we calculated does not match the signature you provided. "
                                    "Check your key and signing method.");
        e.extra["AWSAccessKeyId"] = auth_.info.access_key_id;
        e.extra["StringToSign"] = verified.string_to_sign;
        e.extra["SignatureProvided"] = auth_.info.signature;
        e.extra["CanonicalRequest"] = verified.canonical_request;
        fail(e);
      } else {
        fail(auth_error(call_.protocol, AuthFailure::BadSignature, verified.message));
      }
      return false;
  }
  secret_ = std::move(resolved->secret_access_key);
  call_.context.principal = std::move(resolved->principal);
  return true;
}

bool Pipeline::authenticate_sigv2(const SigV2Query& v2, const S3Target& target,
                                  const std::vector<std::pair<std::string, std::string>>& query) {
  int64_t now_epoch = static_cast<int64_t>(common::to_epoch_seconds(clock_.now()));
  if (now_epoch > v2.expires) {
    AwsError e = make_aws_error("AccessDenied", 403, "Request has expired");
    e.extra["Expires"] = common::format_iso8601(common::from_epoch_seconds(static_cast<double>(v2.expires)));
    e.extra["ServerTime"] = common::format_iso8601(clock_.now());
    fail(e);
    return false;
  }
  auto resolved = credentials_.resolve(v2.access_key_id, v2.security_token, now_epoch);
  if (!resolved.ok()) {
    AwsError e = auth_error(
        call_.protocol,
        resolved.error() == CredentialError::ExpiredToken ? AuthFailure::ExpiredToken : AuthFailure::UnknownKey, "");
    if (resolved.error() != CredentialError::ExpiredToken) e.extra["AWSAccessKeyId"] = v2.access_key_id;
    fail(e);
    return false;
  }
  std::string string_to_sign = sigv2_string_to_sign(request_, target, query, v2.expires);
  std::string expected = sigv2_sign(resolved->secret_access_key, string_to_sign);
  if (!common::constant_time_equals(expected, v2.signature)) {
    AwsError e = make_aws_error("SignatureDoesNotMatch", 403,
                                "The request signature we calculated does not match the signature you provided. "
                                "Check your key and signing method.");
    e.extra["AWSAccessKeyId"] = v2.access_key_id;
    e.extra["StringToSign"] = string_to_sign;
    e.extra["SignatureProvided"] = v2.signature;
    fail(e);
    return false;
  }
  secret_ = std::move(resolved->secret_access_key);
  call_.context.principal = std::move(resolved->principal);
  return true;
}

bool Pipeline::authorize(const OperationSpec& spec, const Json& input) {
  if (spec.action.empty()) return true;
  AuthzTarget target;
  if (spec.authz) target = spec.authz(call_.context, input);
  auto check = [&](const std::string& action, std::vector<AuthzResource> resources) {
    AuthzRequest authz = authz_request(action, std::move(resources));
    authz.keys = target.keys;
    if (authz.resources.empty()) authz.resources.push_back(AuthzResource{"*", "", std::nullopt});
    auto allowed = authorizer_.authorize(authz);
    if (!allowed.ok()) {
      fail(access_denied(call_.protocol, allowed.error().message));
      return false;
    }
    return true;
  };
  if (!check(target.action.empty() ? spec.action : target.action, std::move(target.resources))) return false;
  for (auto& [action, resource] : target.also) {
    if (!check(action, {std::move(resource)})) return false;
  }
  return true;
}

HandlerResult Pipeline::execute(const OperationSpec& spec, const Json& input, StreamIo* io) {
  const model::ServiceModel& service_model = call_.service->model();
  try {
    if (io != nullptr) return spec.stream_handler(call_.context, input, *io);
    return spec.handler(call_.context, input);
  } catch (const std::exception& e) {
    common::log::error("rid={} {}.{} threw: {}", call_.request_id, service_model.service_id, call_.operation, e.what());
  } catch (...) {
    common::log::error("rid={} {}.{} threw a non-standard exception", call_.request_id, service_model.service_id,
                       call_.operation);
  }
  const char* code = call_.protocol == Protocol::Query     ? "ServiceFailure"
                     : call_.protocol == Protocol::RestXml ? "InternalError"
                                                           : "InternalServerError";
  return common::fail(
      make_aws_error(code, 500, "An internal error occurred (request " + call_.request_id + ")", false));
}

// The first literal query part of a candidate's requestUri decides nothing here: the codec
// ranks candidates; S3's one header-driven choice (copy vs upload) is made here.
const model::Operation* pick_rest_operation(const std::vector<const model::Operation*>& candidates,
                                            const http::Request& request) {
  bool copy = request.header("x-amz-copy-source") != nullptr;
  for (const model::Operation* op : candidates) {
    bool is_copy = op->name == "CopyObject" || op->name == "UploadPartCopy";
    if (is_copy == copy) return op;
  }
  return candidates.front();
}

// Checks Content-MD5 and x-amz-checksum-* headers against a body held in memory.
std::optional<AwsError> check_body_digests(const http::Request& request, std::string_view body) {
  if (const std::string* md5 = request.header("content-md5")) {
    std::string raw;
    if (!common::base64_decode(common::trim(*md5), raw) || raw.size() != 16) {
      return make_aws_error("InvalidDigest", 400, "The Content-MD5 you specified was not valid.");
    }
    common::Checksum sum(common::ChecksumAlgorithm::MD5);
    sum.update(body);
    if (sum.digest() != raw) {
      return make_aws_error("BadDigest", 400, "The Content-MD5 you specified did not match what we received.");
    }
  }
  for (const auto& h : request.headers) {
    if (!common::starts_with_icase(h.name, "x-amz-checksum-")) continue;
    std::string name = common::to_lower(std::string_view(h.name).substr(15));
    if (name == "type" || name == "algorithm") continue;
    auto algorithm = common::parse_checksum_algorithm(name);
    if (!algorithm) continue;
    std::string expected(common::trim(h.value));
    if (common::checksum_base64(*algorithm, body) != expected) {
      std::string upper(common::checksum_name(*algorithm));
      return make_aws_error("BadDigest", 400, "The " + upper + " you specified did not match the calculated checksum.");
    }
  }
  return std::nullopt;
}

AwsError chunked_error(const sigv4::AwsChunkedReader& reader) {
  switch (reader.error()) {
    case sigv4::ChunkedError::SignatureMismatch:
      return make_aws_error("SignatureDoesNotMatch", 403,
                            "The request signature we calculated does not match the signature you provided. Check "
                            "your key and signing method.");
    case sigv4::ChunkedError::Malformed:
      return make_aws_error("InvalidRequest", 400, "Invalid chunked upload: " + std::string(reader.error_message()));
    case sigv4::ChunkedError::LengthMismatch:
    case sigv4::ChunkedError::Truncated:
    case sigv4::ChunkedError::None: break;
  }
  return make_aws_error("IncompleteBody", 400, "The request body terminated unexpectedly");
}

void Pipeline::run_rest() {
  call_.service = registry_.find("s3");
  if (call_.service == nullptr) {
    fail(make_aws_error("NotImplemented", 501,
                        "hakobu does not implement this API yet (" + request_.method + " " + request_.path + ")"));
    return;
  }
  const model::ServiceModel& service_model = call_.service->model();

  // 1. identify: bucket and key from the host or path, the operation from method + query.
  S3Target target = parse_s3_target(request_);
  aws::protocol::RestRequest rest;
  rest.method = request_.method;
  rest.query = common::parse_query(request_.query, true);
  rest.headers = &request_.headers;
  if (target.labels >= 1) rest.labels.emplace_back("Bucket", target.bucket);
  if (target.labels >= 2) rest.labels.emplace_back("Key", target.key);
  auto candidates = aws::protocol::match_rest_operations(service_model, request_.method, target.labels, rest.query);
  if (candidates.empty()) {
    fail(make_aws_error("MethodNotAllowed", 405, "The specified method is not allowed against this resource."));
    return;
  }
  const model::Operation* operation = pick_rest_operation(candidates, request_);
  call_.operation = std::string(operation->name);
  call_.context.service = std::string(service_model.signing_name);
  call_.context.operation = call_.operation;

  // 2. authenticate: S3 signs the raw path and names its payload hash in a header; legacy
  // SigV2 presigned URLs (aws s3 presign, boto3's default) are accepted too.
  std::string payload_hash;
  auto v2 = auth_.status == sigv4::ParseStatus::Ok ? std::nullopt : parse_sigv2_query(rest.query);
  if (v2) {
    if (!authenticate_sigv2(*v2, target, rest.query)) return;
    payload_hash = "UNSIGNED-PAYLOAD";
  } else if (!check_scope_service()) {
    return;
  } else if (auth_.info.presigned) {
    payload_hash = "UNSIGNED-PAYLOAD";
    for (const auto& [k, v] : rest.query) {
      if (k == "X-Amz-Content-Sha256") payload_hash = v;
    }
  } else if (const std::string* h = request_.header("x-amz-content-sha256")) {
    payload_hash = *h;
  } else {
    fail(make_aws_error("InvalidRequest", 400, "Missing required header for this request: x-amz-content-sha256"));
    return;
  }
  if (!v2 && !authenticate(sigv4::PathMode::S3, payload_hash)) return;

  const OperationSpec* spec = call_.service->find(call_.operation);
  if (spec == nullptr || !spec->stream_handler) {
    fail(make_aws_error(
        "NotImplemented", 501,
        "hakobu does not implement " + std::string(service_model.service_id) + "." + call_.operation + " yet", false));
    return;
  }

  // The body: aws-chunked decoded and its signatures checked, or its declared SHA-256 checked.
  http::BodyReader* body = request_.body_reader;
  int64_t body_length = request_.content_length;
  std::optional<sigv4::AwsChunkedReader> chunked;
  std::optional<Sha256CheckingReader> checking;
  if (body != nullptr) {
    if (auto mode = sigv4::chunked_mode(payload_hash)) {
      int64_t decoded = -1;
      if (const std::string* d = request_.header("x-amz-decoded-content-length")) {
        char* end = nullptr;
        long long n = std::strtoll(d->c_str(), &end, 10);
        if (end != d->c_str() && *end == '\0' && n >= 0) decoded = n;
      }
      std::optional<common::Sha256Digest> key;
      if (*mode == sigv4::ChunkedMode::Signed || *mode == sigv4::ChunkedMode::SignedWithTrailer) {
        key = signing_keys_.get(secret_, auth_.info.scope_date, auth_.info.region, auth_.info.service);
      }
      chunked.emplace(*body, *mode, decoded, key, auth_.info, auth_.info.signature);
      body = &*chunked;
      body_length = decoded;
    } else if (is_sha256_hex(payload_hash)) {
      checking.emplace(*body, payload_hash);
      body = &*checking;
    }
  }
  auto body_error = [&]() -> std::optional<AwsError> {
    if (chunked && chunked->error() != sigv4::ChunkedError::None) return chunked_error(*chunked);
    if (checking && checking->mismatch()) {
      return make_aws_error("XAmzContentSHA256Mismatch", 400,
                            "The provided 'x-amz-content-sha256' header does not match what was computed.")
          .with("ClientComputedContentSHA256", payload_hash)
          .with("S3ComputedContentSHA256", checking->computed());
    }
    return std::nullopt;
  };

  // 3. decode
  std::string payload;
  bool streams = aws::protocol::rest_input_streams(service_model, *operation);
  if (!streams && body != nullptr) {
    bool too_large = false;
    if (!read_all(*body, payload, options_.max_body_bytes, &too_large)) {
      if (auto e = body_error()) {
        fail(*e);
      } else if (too_large) {
        fail(make_aws_error("MaxMessageLengthExceeded", 400, "Your request was too big."));
      } else {
        fail(make_aws_error("IncompleteBody", 400, "The request body terminated unexpectedly"));
      }
      return;
    }
    if (auto e = check_body_digests(request_, payload)) {
      fail(*e);
      return;
    }
  }
  rest.body = payload;
  auto input = aws::protocol::decode_rest_xml(service_model, *operation, rest);
  if (!input.ok()) {
    AwsError error = std::move(input.error());
    if (error.code == "ValidationException" && !call_.service->validation_error().empty()) {
      error.code = call_.service->validation_error();
    }
    fail(std::move(error));
    return;
  }

  // 4. authorize, 5. execute
  if (!authorize(*spec, *input)) return;
  StreamIo io;
  if (streams) {
    io.body = body;
    io.body_length = body_length;
  }
  io.trailer = [&chunked](std::string_view name) -> const std::string* {
    return chunked ? chunked->trailer(name) : nullptr;
  };
  io.body_error = body_error;
  io.allowed = [this](const std::string& action, const AuthzResource& resource) {
    return authorizer_.authorize(authz_request(action, {resource})).ok();
  };
  HandlerResult result = execute(*spec, *input, &io);
  if (!result.ok()) {
    fail(result.error());
    return;
  }

  // 6. encode
  response_.status = io.status != 0 ? io.status : (operation->http_status != 0 ? operation->http_status : 200);
  aws::protocol::encode_rest_xml(service_model, *operation, *result, response_);
  // A streamed payload (GetObject); HEAD answers carry the same, so that Content-Length is
  // the object's, and the HTTP layer sends no body for them.
  if (!io.payload.empty() || !io.files.empty()) {
    response_.body = std::move(io.payload);
    response_.files = std::move(io.files);
  }
  response_.set_header("x-amz-request-id", call_.request_id);
  response_.set_header("x-amz-id-2", aws::protocol::rest_xml_host_id(call_.request_id));

  // 7. record
  record("-");
}

void Pipeline::run() {
  // 1. identify: X-Amz-Target (json), else the SigV4 scope's service (query), else S3.
  auth_ = sigv4::parse(request_);
  if (const std::string* target = request_.header("x-amz-target")) {
    size_t dot = target->rfind('.');
    std::string prefix = dot == std::string::npos ? *target : target->substr(0, dot);
    call_.operation = dot == std::string::npos ? std::string() : target->substr(dot + 1);
    call_.protocol = Protocol::Json;
    call_.service = registry_.find_by_target_prefix(prefix);
    if (call_.service == nullptr) {
      fail(make_aws_error("UnknownOperationException", 400, "Unknown service target: " + *target));
      return;
    }
  } else {
    std::string scope_service = auth_.status == sigv4::ParseStatus::Ok ? auth_.info.service : std::string();
    bool form = false;
    if (const std::string* type = request_.header("content-type")) {
      form = type->find("x-www-form-urlencoded") != std::string::npos;
    }
    const Service* scoped = registry_.find(scope_service);
    if ((scoped != nullptr && scoped->model().protocol == Protocol::Query) ||
        (scope_service.empty() && (form || request_.query.find("Action=") != std::string::npos))) {
      call_.protocol = Protocol::Query;
      if (!request_.read_body(call_.body, options_.max_body_bytes)) {
        fail(make_aws_error("RequestEntityTooLarge", 413, "Request body too large or incomplete"));
        return;
      }
      collect_params(request_, call_.body, call_.params);
      const std::string* action = param(call_.params, "Action");
      call_.operation = action != nullptr ? *action : std::string();
      call_.service = scoped;
      if (call_.service == nullptr) {
        const std::string* version = param(call_.params, "Version");
        if (version != nullptr) call_.service = registry_.find_query_by_version(*version);
      }
      if (call_.service == nullptr) {
        fail(make_aws_error("InvalidAction", 400, "The action or operation requested is invalid."));
        return;
      }
    } else {
      // S3 (rest-xml): its own identify/decode/encode around the same stages.
      call_.protocol = Protocol::RestXml;
      run_rest();
      return;
    }
  }
  call_.context.service = std::string(call_.service->model().signing_name);
  call_.context.operation = call_.operation;

  // 2. authenticate
  if (call_.protocol == Protocol::Json && !request_.read_body(call_.body, options_.max_body_bytes)) {
    fail(make_aws_error("SerializationException", 413, "Request body too large or incomplete"));
    return;
  }
  if (!check_scope_service()) return;
  const std::string* content_hash = request_.header("x-amz-content-sha256");
  if (!authenticate(sigv4::PathMode::Normalize,
                    content_hash != nullptr ? *content_hash : common::sha256_hex(call_.body))) {
    return;
  }

  // 3. decode: the operation must exist in the model, and hakobu must implement it.
  const model::ServiceModel& service_model = call_.service->model();
  const model::Operation* operation = service_model.find_operation(call_.operation);
  if (operation == nullptr) {
    if (call_.protocol == Protocol::Query) {
      fail(make_aws_error(
          "InvalidAction", 400,
          "Could not find operation " + call_.operation + " for version " + std::string(service_model.api_version)));
    } else {
      fail(make_aws_error("UnknownOperationException", 400, "Unknown operation " + call_.operation));
    }
    return;
  }
  const OperationSpec* spec = call_.service->find(call_.operation);
  if (spec == nullptr || !spec->handler) {
    fail(make_aws_error(
        "NotImplemented", 501,
        "hakobu does not implement " + std::string(service_model.service_id) + "." + call_.operation + " yet", false));
    return;
  }
  auto input = call_.protocol == Protocol::Query ? aws::protocol::decode_query(service_model, *operation, call_.params)
                                                 : aws::protocol::decode_json(service_model, *operation, call_.body);
  if (!input.ok()) {
    AwsError error = std::move(input.error());
    if (error.code == "ValidationException" && !call_.service->validation_error().empty()) {
      error.code = call_.service->validation_error();
    }
    fail(std::move(error));
    return;
  }

  // 4. authorize, 5. execute
  if (!authorize(*spec, *input)) return;
  HandlerResult result = execute(*spec, *input, nullptr);
  if (!result.ok()) {
    fail(result.error());
    return;
  }

  // 6. encode
  response_.status = operation->http_status != 0 ? operation->http_status : 200;
  if (call_.protocol == Protocol::Query) {
    response_.body = aws::protocol::encode_query(service_model, *operation, *result, call_.request_id);
    response_.set_header("Content-Type", "text/xml");
  } else {
    response_.body = aws::protocol::encode_json(service_model, *operation, *result);
    response_.set_header("Content-Type", "application/x-amz-json-1.1");
  }
  response_.set_header("x-amzn-RequestId", call_.request_id);

  // 7. record
  record("-");
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
  Pipeline pipeline(registry_, credentials_, authorizer_, clock_, options_, signing_keys_, request, response);
  pipeline.run();
}

}  // namespace dispatch
