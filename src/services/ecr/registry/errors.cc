// Distribution's error codes, statuses and default messages, and the one mapping from the
// engine's Errc (aws-behaviour.md §9.2 table; Distribution 2.8's registry/api/v2/errors.go).
#include <array>

#include "services/ecr/registry/internal.h"

namespace ecr::registry {
namespace {

struct CodeInfo {
  std::string_view code;
  int status;
  std::string_view message;
};

constexpr std::array<CodeInfo, 16> kCodes = {{
    {"BLOB_UNKNOWN", 404, "blob unknown to registry"},
    {"BLOB_UPLOAD_INVALID", 400, "blob upload invalid"},
    {"BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"},
    {"DIGEST_INVALID", 400, "provided digest did not match uploaded content"},
    {"MANIFEST_BLOB_UNKNOWN", 400, "blob unknown to registry"},
    {"MANIFEST_INVALID", 400, "manifest invalid"},
    {"MANIFEST_UNKNOWN", 404, "manifest unknown"},
    {"NAME_INVALID", 400, "invalid repository name"},
    {"NAME_UNKNOWN", 404, "repository name not known to registry"},
    {"SIZE_INVALID", 400, "provided length did not match content length"},
    {"TAG_INVALID", 400, "manifest tag did not match URI"},
    {"UNAUTHORIZED", 401, "authentication required"},
    {"DENIED", 403, "requested access to the resource is denied"},
    {"UNSUPPORTED", 405, "The operation is unsupported."},
    {"TOOMANYREQUESTS", 429, "too many requests"},
    {"UNKNOWN", 500, "unknown error"},
}};

}  // namespace

RegistryError make_error(std::string_view code, std::string message) {
  for (const CodeInfo& info : kCodes) {
    if (info.code == code) {
      return RegistryError{
          info.status, std::string(code), message.empty() ? std::string(info.message) : message, nullptr, {}};
    }
  }
  return RegistryError{500, std::string(code), std::move(message), nullptr, {}};
}

RegistryError from_engine(const Error& error) {
  const std::string& m = error.message;
  switch (error.code) {
    case Errc::RepositoryNotFound: return make_error("NAME_UNKNOWN", m);
    case Errc::ImageNotFound: return make_error("MANIFEST_UNKNOWN", m);
    // An index in the repository still lists the image: refused as a permission matter, the
    // way Distribution refuses operations it will not do for this caller (403).
    case Errc::ImageReferenced: return make_error("DENIED", m);
    case Errc::ImageAlreadyExists:
    case Errc::ImageTagAlreadyExists:
    case Errc::InvalidParameter:
    case Errc::InvalidTagParameter: return make_error("TAG_INVALID", m);
    case Errc::ImageDigestMismatch:
    case Errc::DigestInvalid: return make_error("DIGEST_INVALID", m);
    case Errc::ManifestInvalid: return make_error("MANIFEST_INVALID", m);
    case Errc::ManifestBlobUnknown:
      // The engine's message is the missing digest; Distribution puts it in the detail.
      return make_error("MANIFEST_BLOB_UNKNOWN").with_detail(common::Json{{"digest", m}});
    case Errc::BlobUnknown: return make_error("BLOB_UNKNOWN", m);
    case Errc::UploadUnknown: return make_error("BLOB_UPLOAD_UNKNOWN", m);
    case Errc::UploadInvalid:
    case Errc::LayerPartTooSmall: return make_error("BLOB_UPLOAD_INVALID", m);
    case Errc::SizeInvalid: return make_error("SIZE_INVALID", m);
    // Quotas and states the registry cannot change: refused.
    case Errc::RepositoryNotEmpty:
    case Errc::TooManyTags:
    case Errc::LimitExceeded: return make_error("DENIED", m);
    // Not produced for registry calls; reported as Distribution's unknown error.
    case Errc::RepositoryAlreadyExists:
    case Errc::PolicyNotFound:
    case Errc::LifecyclePolicyNotFound:
    case Errc::LayerAlreadyExists:
    case Errc::Internal: return make_error("UNKNOWN", m);
  }
  return make_error("UNKNOWN", m);
}

std::string error_body(const RegistryError& error) {
  common::Json entry = {{"code", error.code}, {"message", error.message}};
  if (!error.detail.is_null()) entry["detail"] = error.detail;
  return common::Json{{"errors", common::Json::array({entry})}}.dump();
}

}  // namespace ecr::registry
