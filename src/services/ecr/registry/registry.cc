// The registry front: one request's trip (route, authenticate, name the repository, authorize,
// execute, record), and the Basic-auth check against ECR authorization tokens.
#include "services/ecr/registry/registry.h"

#include <exception>

#include "aws/dispatch/access_log.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/strings.h"
#include "services/ecr/registry/internal.h"

namespace ecr {

using registry::Call;
using registry::RouteKind;

namespace {

constexpr std::string_view kApiVersionHeader = "Docker-Distribution-Api-Version";
constexpr std::string_view kApiVersion = "registry/2.0";

bool has_aws_signature(const http::Request& request) {
  if (const std::string* auth = request.header("authorization")) {
    if (common::starts_with_icase(*auth, "AWS4-") || common::starts_with_icase(*auth, "AWS ")) return true;
  }
  if (request.query.empty()) return false;
  for (const auto& [key, value] : common::parse_query(request.query, true)) {
    if (key == "X-Amz-Signature" || key == "X-Amz-Credential" || key == "AWSAccessKeyId" || key == "Signature") {
      return true;
    }
  }
  return false;
}

// What the access log calls the operation.
std::string operation_name(RouteKind kind, const std::string& method) {
  switch (kind) {
    case RouteKind::Base: return "Ping";
    case RouteKind::Catalog: return "Catalog";
    case RouteKind::Tags: return "ListTags";
    case RouteKind::Referrers: return "ListReferrers";
    case RouteKind::Manifest:
      if (method == "PUT") return "PutManifest";
      if (method == "DELETE") return "DeleteManifest";
      return method == "HEAD" ? "HeadManifest" : "GetManifest";
    case RouteKind::Blob:
      if (method == "DELETE") return "DeleteBlob";
      return method == "HEAD" ? "HeadBlob" : "GetBlob";
    case RouteKind::UploadStart: return "StartUpload";
    case RouteKind::Upload:
      if (method == "PATCH") return "PatchUpload";
      if (method == "PUT") return "CompleteUpload";
      if (method == "DELETE") return "CancelUpload";
      return "UploadStatus";
    case RouteKind::Unknown: return "-";
  }
  return "-";
}

enum class AuthFailure { Missing, BadToken, Expired };

// The password from `Authorization: Basic base64("AWS:" + password)`, or on blob GETs from
// the X-Amz-Ecr-Token query parameter (the URLs GetDownloadUrlForLayer hands out).
std::optional<std::string> presented_password(const Call& call, AuthFailure& failure) {
  failure = AuthFailure::Missing;
  if (const std::string* auth = call.request.header("authorization")) {
    if (!common::starts_with_icase(*auth, "basic ")) return std::nullopt;
    std::string decoded;
    if (!common::base64_decode(common::trim(std::string_view(*auth).substr(6)), decoded)) {
      failure = AuthFailure::BadToken;
      return std::nullopt;
    }
    size_t colon = decoded.find(':');
    if (colon == std::string::npos || decoded.substr(0, colon) != "AWS") {
      failure = AuthFailure::BadToken;
      return std::nullopt;
    }
    return decoded.substr(colon + 1);
  }
  if (call.route.kind == RouteKind::Blob && call.request.method == "GET") {
    if (const std::string* token = call.param("X-Amz-Ecr-Token")) return *token;
  }
  return std::nullopt;
}

registry::RegistryError unauthorized(const Call& call, AuthFailure failure) {
  std::string message;
  switch (failure) {
    case AuthFailure::Missing: break;  // Distribution's "authentication required"
    case AuthFailure::BadToken: message = "Your authorization token is invalid."; break;
    case AuthFailure::Expired: message = "Your authorization token has expired. Reauthenticate and try again."; break;
  }
  std::string host = call.deps.options.registry_host.empty() ? call.host() : call.deps.options.registry_host;
  std::string realm = std::string(call.request.secure ? "https://" : "http://") + host + "/";
  return registry::make_error("UNAUTHORIZED", std::move(message))
      .with_header("WWW-Authenticate", "Basic realm=\"" + realm + "\",service=\"ecr.amazonaws.com\"");
}

// Stage 2: the token names credentials; they must still resolve (a deleted user's or an
// expired session's tokens stop working).
bool authenticate(Call& call) {
  AuthFailure failure = AuthFailure::Missing;
  std::optional<std::string> password = presented_password(call, failure);
  if (!password) {
    call.fail(unauthorized(call, failure));
    return false;
  }
  std::optional<TokenClaims> claims = call.deps.tokens.verify(*password);
  if (!claims) {
    call.fail(unauthorized(call, AuthFailure::BadToken));
    return false;
  }
  int64_t now = static_cast<int64_t>(common::to_epoch_seconds(call.deps.clock.now()));
  if (claims->expires_epoch <= now) {
    call.fail(unauthorized(call, AuthFailure::Expired));
    return false;
  }
  auto resolved = call.deps.credentials.resolve(claims->access_key_id, claims->session_token, now);
  if (!resolved.ok()) {
    call.fail(unauthorized(call, resolved.error() == dispatch::CredentialError::ExpiredToken ? AuthFailure::Expired
                                                                                             : AuthFailure::BadToken));
    return false;
  }
  call.principal = std::move(resolved->principal);
  return true;
}

void handle_base(Call& call) {
  if (call.request.method != "GET" && call.request.method != "HEAD") {
    call.fail(registry::make_error("UNSUPPORTED"));
    return;
  }
  call.reply(200);
  call.response.set_header("Content-Type", "application/json; charset=utf-8");
  call.response.body = "{}";
  call.response.head_only = call.request.method == "HEAD";
}

void route(Call& call) {
  call.route = registry::parse_route(common::uri_decode(call.request.path));
  call.op = operation_name(call.route.kind, call.request.method);
  if (call.route.kind == RouteKind::Unknown) {
    // What Distribution's router answers for paths it has no route for.
    call.response.status = 404;
    call.response.set_header("Content-Type", "text/plain; charset=utf-8");
    call.response.body = "404 page not found\n";
    call.error_code = "NOT_FOUND";
    return;
  }
  call.query = common::parse_query(call.request.query, true);
  if (!authenticate(call)) return;
  switch (call.route.kind) {
    case RouteKind::Base: handle_base(call); return;
    case RouteKind::Catalog: registry::handle_catalog(call); return;
    case RouteKind::Tags: registry::handle_tags(call); return;
    case RouteKind::Manifest: registry::handle_manifest(call); return;
    case RouteKind::Blob: registry::handle_blob(call); return;
    case RouteKind::UploadStart: registry::handle_upload_start(call); return;
    case RouteKind::Upload: registry::handle_upload(call); return;
    case RouteKind::Referrers: registry::handle_referrers(call); return;
    case RouteKind::Unknown: return;
  }
}

// The access-log line, in the dispatcher's format.
void record(const Call& call, const RegistryOptions& options) {
  if (!options.access_log) return;
  dispatch::write_access_log(call.request_id, call.principal, "ecr-registry", call.op, call.response.status,
                             call.error_code, call.started);
}

}  // namespace

RegistryFront::RegistryFront(EcrEngine& engine, dispatch::CredentialResolver& credentials,
                             dispatch::Authorizer& authorizer, const TokenIssuer& tokens, const common::Clock& clock,
                             RegistryOptions options)
    : engine_(engine),
      credentials_(credentials),
      authorizer_(authorizer),
      tokens_(tokens),
      clock_(clock),
      options_(std::move(options)) {}

bool RegistryFront::matches(const http::Request& request) {
  const std::string& path = request.path;
  if (path != "/v2" && path.rfind("/v2/", 0) != 0) return false;
  return !has_aws_signature(request);
}

void RegistryFront::handle(http::Request& request, http::Response& response) {
  registry::Deps deps{engine_, credentials_, authorizer_, tokens_, clock_, options_};
  Call call(deps, request, response);
  call.request_id = common::uuid4();
  response.set_header(std::string(kApiVersionHeader), std::string(kApiVersion));
  try {
    route(call);
  } catch (const std::exception& e) {
    common::log::error("rid={} registry {} {} threw: {}", call.request_id, request.method, request.path, e.what());
    call.fail(registry::make_error("UNKNOWN"));
  } catch (...) {
    common::log::error("rid={} registry {} {} threw a non-standard exception", call.request_id, request.method,
                       request.path);
    call.fail(registry::make_error("UNKNOWN"));
  }
  record(call, options_);
}

namespace registry {

const std::string* Call::param(std::string_view key) const {
  for (const auto& [k, v] : query) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string Call::host() const {
  const std::string* host = request.header("host");
  return host != nullptr ? *host : std::string();
}

void Call::fail(const RegistryError& error) {
  response.status = error.status;
  response.headers.clear();
  response.files.clear();
  response.set_header(std::string(kApiVersionHeader), std::string(kApiVersion));
  for (const auto& [name, value] : error.headers) response.set_header(name, value);
  error_code = error.code;
  if (request.method == "HEAD") {
    // HEAD errors carry the status and headers only.
    response.body.clear();
    return;
  }
  response.set_header("Content-Type", "application/json; charset=utf-8");
  response.body = error_body(error);
}

bool Call::resolve_target() {
  std::optional<RegistryTarget> t = resolve_registry_target(host(), route.name, deps.options.default_region);
  if (!t) {
    fail(make_error("NAME_UNKNOWN", "repository '" + route.name + "' not found"));
    return false;
  }
  if (!valid_repository_name(t->name)) {
    fail(make_error("NAME_INVALID").with_detail(common::Json{{"name", route.name}}));
    return false;
  }
  target = std::move(*t);
  auto found = deps.engine.get_repository(RepoRef{target.account, target.region, target.name});
  if (found.ok()) {
    repo = std::move(found.value());
  } else if (found.error().code != Errc::RepositoryNotFound) {
    fail(found.error());
    return false;
  }
  return true;
}

namespace {

dispatch::AuthzRequest authz_request(const Call& call, const std::string& action, const RegistryTarget& t,
                                     const std::optional<std::string>& policy) {
  dispatch::AuthzRequest authz;
  authz.principal = &call.principal;
  authz.action = action;
  authz.region = t.region;
  authz.source_ip = call.request.remote_address;
  authz.secure_transport = call.request.secure;
  authz.resources.push_back(dispatch::AuthzResource{repository_arn(t.region, t.account, t.name),
                                                    t.account == call.principal.account_id ? "" : t.account, policy});
  return authz;
}

}  // namespace

bool Call::allowed(const std::string& action, const RegistryTarget& t, const std::optional<std::string>& policy) {
  return deps.authorizer.authorize(authz_request(*this, action, t, policy)).ok();
}

bool Call::authorize(const std::string& action) {
  auto decision = deps.authorizer.authorize(authz_request(*this, action, target, repo ? repo->policy : std::nullopt));
  if (!decision.ok()) {
    fail(make_error("DENIED", decision.error().message));
    return false;
  }
  return true;
}

bool Call::require_repository() {
  if (repo) return true;
  fail(make_error("NAME_UNKNOWN", "repository '" + route.name + "' not found"));
  return false;
}

}  // namespace registry
}  // namespace ecr
