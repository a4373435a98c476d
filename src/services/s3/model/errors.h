// Domain errors of the S3 engine: the class of failure plus the exact S3 case, so the api
// layer picks the AWS error (NoSuchKey, BucketNotEmpty...) with one exhaustive switch.
#pragma once

#include <string>
#include <utility>

#include "common/clock.h"
#include "common/result.h"

namespace s3 {

enum class Reason {
  Storage,                    // SQLite or file-system failure
  InvalidArgument,            // a malformed value (tag, version id marker, part number...)
  InvalidBucketName,          // name breaks AWS's bucket naming rules
  NoSuchBucket,               //
  BucketAlreadyExists,        // another account owns the name
  BucketAlreadyOwnedByYou,    // the caller's account owns it (outside us-east-1)
  BucketNotEmpty,             // objects, versions or uploads remain
  NoSuchKey,                  // no object (or the latest version is a delete marker)
  NoSuchVersion,              // no such version of the key (a malformed id is InvalidArgument)
  MethodNotAllowed,           // GET/HEAD of a delete marker by version id
  NoSuchUpload,               // unknown or finished multipart upload
  InvalidPart,                // a listed part is missing or its ETag differs
  InvalidPartOrder,           // parts not in ascending order
  EntityTooSmall,             // a non-final part under 5 MiB
  EntityTooLarge,             // over 5 GiB in one PUT/copy/part
  NoSuchBucketPolicy,         //
  NoSuchTagSet,               // bucket has no tags
  TooManyTags,                // over 50 bucket / 10 object tags
  InvalidTag,                 // bad key/value or duplicate key
  BadDigest,                  // Content-MD5 or x-amz-checksum-* does not match the body
  IncompleteBody,             // fewer bytes than declared
  InvalidRequest,             // a combination S3 refuses (copy onto itself unchanged...)
  IllegalLocationConstraint,  // LocationConstraint does not match the region
  InvalidLocationConstraint,  // not a region name
  MalformedXML,               // CompleteMultipartUpload without parts
  KeyTooLong,                 // a key over 1024 bytes
  MetadataTooLarge,           // user metadata over 2 KiB
};

struct Error {
  common::ErrorKind kind = common::ErrorKind::Internal;
  Reason reason = Reason::Storage;
  std::string message;
  // NoSuchKey because the latest version is a delete marker, or MethodNotAllowed on a delete
  // marker named by version id: S3 answers x-amz-delete-marker: true, x-amz-version-id and
  // Last-Modified of that marker.
  bool delete_marker = false;
  std::string version_id;
  common::TimePoint last_modified{};
};

template <class T>
using Result = common::Result<T, Error>;
using Status = common::Status<Error>;

inline Error make_error(Reason reason, std::string message) {
  common::ErrorKind kind = common::ErrorKind::InvalidArgument;
  switch (reason) {
    case Reason::Storage: kind = common::ErrorKind::Internal; break;
    case Reason::NoSuchBucket:
    case Reason::NoSuchKey:
    case Reason::NoSuchVersion:
    case Reason::NoSuchUpload:
    case Reason::NoSuchBucketPolicy:
    case Reason::NoSuchTagSet: kind = common::ErrorKind::NotFound; break;
    case Reason::BucketAlreadyExists:
    case Reason::BucketAlreadyOwnedByYou: kind = common::ErrorKind::AlreadyExists; break;
    case Reason::BucketNotEmpty: kind = common::ErrorKind::Conflict; break;
    case Reason::TooManyTags:
    case Reason::MetadataTooLarge:
    case Reason::EntityTooLarge: kind = common::ErrorKind::LimitExceeded; break;
    case Reason::MethodNotAllowed: kind = common::ErrorKind::FailedPrecondition; break;
    default: kind = common::ErrorKind::InvalidArgument; break;
  }
  return Error{kind, reason, std::move(message), false, {}, {}};
}

inline Error storage_error(const common::Error& error) {
  return Error{error.kind, Reason::Storage, error.message, {}, {}, {}};
}

}  // namespace s3
