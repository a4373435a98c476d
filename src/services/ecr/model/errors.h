// What can go wrong in ECR's engine, independent of the wire: the API layer maps each code to
// an ECR exception, the registry to an OCI Distribution error code (exhaustive switches).
#pragma once

#include <string>

namespace ecr {

enum class Errc {
  RepositoryNotFound,       // RepositoryNotFoundException / NAME_UNKNOWN
  RepositoryAlreadyExists,  // RepositoryAlreadyExistsException
  RepositoryNotEmpty,       // RepositoryNotEmptyException
  PolicyNotFound,           // RepositoryPolicyNotFoundException
  LifecyclePolicyNotFound,  // LifecyclePolicyNotFoundException
  ImageNotFound,            // ImageNotFoundException / MANIFEST_UNKNOWN
  ImageReferenced,          // BatchDeleteImage failure ImageReferencedByManifestList / DENIED-ish 409
  ImageAlreadyExists,       // ImageAlreadyExistsException (PutImage of the same manifest+tag)
  ImageTagAlreadyExists,    // ImageTagAlreadyExistsException / TAG_INVALID (immutable tag)
  ImageDigestMismatch,      // ImageDigestDoesNotMatchException / DIGEST_INVALID
  ManifestInvalid,          // InvalidParameterException / MANIFEST_INVALID
  ManifestBlobUnknown,      // ReferencedImagesNotFoundException / MANIFEST_BLOB_UNKNOWN (message: the digest)
  BlobUnknown,              // LayersNotFoundException / BLOB_UNKNOWN
  UploadUnknown,            // UploadNotFoundException / BLOB_UPLOAD_UNKNOWN
  UploadInvalid,            // InvalidLayerPartException / BLOB_UPLOAD_INVALID (bad offset: 416 on PATCH)
  DigestInvalid,            // InvalidLayerException / DIGEST_INVALID (content does not hash to it)
  SizeInvalid,              // InvalidLayerException / SIZE_INVALID
  LayerAlreadyExists,       // LayerAlreadyExistsException (CompleteLayerUpload)
  LayerPartTooSmall,        // LayerPartTooSmallException
  InvalidParameter,         // InvalidParameterException
  InvalidTagParameter,      // InvalidTagParameterException
  TooManyTags,              // TooManyTagsException
  LimitExceeded,            // LimitExceededException
  Internal,                 // ServerException / 500
};

struct Error {
  Errc code = Errc::Internal;
  std::string message;
};

inline Error error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace ecr
