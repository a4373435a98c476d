// The registry front's private pieces: route and header parsing (pure, unit-tested), the
// Distribution error model, and the per-request state the handlers share.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/dispatch/authorizer.h"
#include "aws/dispatch/credentials.h"
#include "aws/dispatch/principal.h"
#include "common/clock.h"
#include "common/json.h"
#include "http/request.h"
#include "services/ecr/engine/auth_token.h"
#include "services/ecr/engine/ecr_engine.h"
#include "services/ecr/model/uri.h"
#include "services/ecr/registry/registry.h"

namespace ecr::registry {

// --- routes --------------------------------------------------------------------------------

enum class RouteKind {
  Base,         // /v2/
  Catalog,      // /v2/_catalog
  Tags,         // /v2/<name>/tags/list
  Manifest,     // /v2/<name>/manifests/<reference>
  Blob,         // /v2/<name>/blobs/<digest>
  UploadStart,  // /v2/<name>/blobs/uploads/
  Upload,       // /v2/<name>/blobs/uploads/<uuid>
  Referrers,    // /v2/<name>/referrers/<digest>
  Unknown,
};

struct Route {
  RouteKind kind = RouteKind::Unknown;
  std::string name;       // the repository as the client named it (may contain '/')
  std::string reference;  // tag or digest, blob digest, upload uuid, subject digest
};

// `path` is percent-decoded. Names may contain '/', and even a component called "blobs" or
// "manifests": the route is decided by the last components (a tag, digest or uuid never
// contains '/'), the name is whatever precedes them.
Route parse_route(std::string_view path);

// --- byte ranges -------------------------------------------------------------------------

struct ByteRange {
  int64_t first = 0;
  int64_t length = 0;
};

enum class RangeResult { Whole, Partial, Unsatisfiable };

// A blob GET's Range header ("bytes=a-b", "bytes=a-", "bytes=-n") against a blob of `size`
// bytes, as Go's http.ServeContent (Distribution) reads it: several ranges are served whole
// (we send no multipart bodies), a malformed or non-overlapping one is unsatisfiable (416).
RangeResult parse_range(std::string_view header, int64_t size, ByteRange& out);

// A PATCH's Content-Range: "<start>-<end>" as the OCI spec writes it; "bytes <start>-<end>/<total>"
// and "bytes=<start>-<end>" are also read. nullopt when malformed or end < start.
std::optional<std::pair<int64_t, int64_t>> parse_content_range(std::string_view header);

// The Accept header values of a request, split at commas, parameters dropped, trimmed.
std::vector<std::string> accept_values(const http::Request& request);

// --- errors ---------------------------------------------------------------------------------

struct RegistryError {
  int status = 500;
  std::string code;  // Distribution's error code: "MANIFEST_UNKNOWN"
  std::string message;
  common::Json detail;  // null: none
  std::vector<std::pair<std::string, std::string>> headers;

  RegistryError with_detail(common::Json d) && {
    detail = std::move(d);
    return std::move(*this);
  }
  RegistryError with_header(std::string name, std::string value) && {
    headers.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
  }
};

// Codes with Distribution's status and default message.
RegistryError make_error(std::string_view code, std::string message = "");
// The engine's error as Distribution names it (an exhaustive switch).
RegistryError from_engine(const Error& error);
// {"errors":[{"code":..,"message":..,"detail":..}]}
std::string error_body(const RegistryError& error);

// --- per-request state -----------------------------------------------------------------------

struct Deps {
  EcrEngine& engine;
  dispatch::CredentialResolver& credentials;
  dispatch::Authorizer& authorizer;
  const TokenIssuer& tokens;
  const common::Clock& clock;
  const RegistryOptions& options;
};

struct Call {
  Call(const Deps& deps, http::Request& request, http::Response& response)
      : deps(deps), request(request), response(response), started(std::chrono::steady_clock::now()) {}

  const Deps& deps;
  http::Request& request;
  http::Response& response;
  std::chrono::steady_clock::time_point started;
  std::string request_id;        // for the logs
  std::string op = "-";          // for the access log: "GetManifest"
  std::string error_code = "-";  // for the access log
  dispatch::Principal principal;
  Route route;
  std::vector<std::pair<std::string, std::string>> query;  // decoded
  RegistryTarget target;                                   // after resolve_target
  std::optional<Repository> repo;                          // after resolve_target (when it exists)

  // First value of a decoded query parameter; nullptr when absent.
  const std::string* param(std::string_view key) const;
  // The Host the client used (for the Basic realm and name resolution).
  std::string host() const;

  // Answers with a Distribution error (HEAD: no body).
  void fail(const RegistryError& error);
  void fail(const Error& error) { fail(from_engine(error)); }
  // Sets the status and the common headers of a successful answer.
  void reply(int status) { response.status = status; }

  // Names the repository: 404 NAME_UNKNOWN / 400 NAME_INVALID (answered) when it cannot.
  bool resolve_target();
  // IAM for `action` on the target repository (its policy as the resource policy). False
  // after answering 403 DENIED.
  bool authorize(const std::string& action);
  // The same check on any repository, without answering: mounts fall back quietly.
  bool allowed(const std::string& action, const RegistryTarget& target, const std::optional<std::string>& policy);
  // 404 NAME_UNKNOWN (answered) unless the target repository exists.
  bool require_repository();
  // The usual order: name the repository, authorize `action` (a missing repository has no
  // policy), then require that it exists. False after answering.
  bool prepare(const std::string& action) { return resolve_target() && authorize(action) && require_repository(); }
};

// Handlers (each answers `call.response`); the route and authentication are done.
void handle_blob(Call& call);
void handle_upload_start(Call& call);
void handle_upload(Call& call);
void handle_manifest(Call& call);
void handle_tags(Call& call);
void handle_catalog(Call& call);
void handle_referrers(Call& call);

// A reader over the request body for the engine (empty when there is none).
Reader body_reader(http::Request& request);
// "/v2/<name>/blobs/uploads/<uuid>" and the like.
std::string upload_location(const Call& call, std::string_view uuid);
std::string blob_location(const Call& call, std::string_view digest);
// "0-<offset-1>" ("0-0" for an empty upload), as Distribution writes it.
std::string upload_range(int64_t offset);
// 202 with Location, Range and Docker-Upload-UUID for an upload session.
void reply_upload_state(Call& call, const UploadState& state, int status);
// 201 with Location and Docker-Content-Digest for a blob that is now in the repository.
void reply_blob_created(Call& call, std::string_view digest);

}  // namespace ecr::registry
