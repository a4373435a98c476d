// Engine errors -> S3's error codes, statuses and messages (one exhaustive switch).
#include "services/s3/api/api.h"

namespace s3::api {

using aws::make_aws_error;

aws::AwsError to_aws_error(const Error& error, std::string_view bucket, std::string_view key) {
  auto with_bucket = [&](aws::AwsError e) {
    if (!bucket.empty()) e.extra["BucketName"] = std::string(bucket);
    return e;
  };
  auto with_key = [&](aws::AwsError e) {
    if (!key.empty()) e.extra["Key"] = std::string(key);
    return e;
  };
  const std::string& m = error.message;
  switch (error.reason) {
    case Reason::Storage:
      return make_aws_error("InternalError", 500, "We encountered an internal error. Please try again.", false);
    case Reason::InvalidArgument: return make_aws_error("InvalidArgument", 400, m);
    case Reason::InvalidBucketName:
      return with_bucket(make_aws_error("InvalidBucketName", 400, "The specified bucket is not valid."));
    case Reason::NoSuchBucket:
      return with_bucket(make_aws_error("NoSuchBucket", 404, "The specified bucket does not exist"));
    case Reason::BucketAlreadyExists:
      return with_bucket(make_aws_error("BucketAlreadyExists", 409,
                                        "The requested bucket name is not available. The bucket namespace is shared "
                                        "by all users of the system. Please select a different name and try again."));
    case Reason::BucketAlreadyOwnedByYou:
      return with_bucket(
          make_aws_error("BucketAlreadyOwnedByYou", 409,
                         "Your previous request to create the named bucket succeeded and you already own it."));
    case Reason::BucketNotEmpty:
      return with_bucket(make_aws_error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty"));
    case Reason::NoSuchKey: return with_key(make_aws_error("NoSuchKey", 404, "The specified key does not exist."));
    case Reason::NoSuchVersion:
      return with_key(make_aws_error("NoSuchVersion", 404, "The specified version does not exist."));
    case Reason::MethodNotAllowed:
      return make_aws_error("MethodNotAllowed", 405, "The specified method is not allowed against this resource.");
    case Reason::NoSuchUpload:
      return make_aws_error("NoSuchUpload", 404,
                            "The specified upload does not exist. The upload ID may be invalid, or the upload may "
                            "have been aborted or completed.");
    case Reason::InvalidPart:
      return make_aws_error("InvalidPart", 400,
                            "One or more of the specified parts could not be found.  The part may not have been "
                            "uploaded, or the specified entity tag may not match the part's entity tag.");
    case Reason::InvalidPartOrder:
      return make_aws_error(
          "InvalidPartOrder", 400,
          "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
    case Reason::EntityTooSmall:
      return make_aws_error("EntityTooSmall", 400,
                            "Your proposed upload is smaller than the minimum allowed object size.");
    case Reason::EntityTooLarge:
      return make_aws_error("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size");
    case Reason::NoSuchBucketPolicy:
      return with_bucket(make_aws_error("NoSuchBucketPolicy", 404, "The bucket policy does not exist"));
    case Reason::NoSuchTagSet: return with_bucket(make_aws_error("NoSuchTagSet", 404, "The TagSet does not exist"));
    case Reason::TooManyTags: return make_aws_error("BadRequest", 400, m);
    case Reason::InvalidTag: return make_aws_error("InvalidTag", 400, m);
    case Reason::BadDigest: return make_aws_error("BadDigest", 400, m);
    case Reason::IncompleteBody:
      return make_aws_error("IncompleteBody", 400, "The request body terminated unexpectedly");
    case Reason::InvalidRequest: return make_aws_error("InvalidRequest", 400, m);
    case Reason::IllegalLocationConstraint: return make_aws_error("IllegalLocationConstraintException", 400, m);
    case Reason::MalformedXML:
      return make_aws_error(
          "MalformedXML", 400,
          "The XML you provided was not well-formed or did not validate against our published schema");
    case Reason::KeyTooLong: return make_aws_error("KeyTooLongError", 400, "Your key is too long");
    case Reason::MetadataTooLarge:
      return make_aws_error("MetadataTooLarge", 400, "Your metadata headers exceed the maximum allowed metadata size");
    case Reason::InvalidLocationConstraint:
      return make_aws_error("InvalidLocationConstraint", 400, "The specified location-constraint is not valid");
  }
  return make_aws_error("InternalError", 500, "unreachable", false);
}

aws::AwsError invalid_argument(std::string message, std::string_view name, std::string_view value) {
  auto e = make_aws_error("InvalidArgument", 400, std::move(message));
  if (!name.empty()) {
    e.extra["ArgumentName"] = std::string(name);
    e.extra["ArgumentValue"] = std::string(value);
  }
  return e;
}

aws::AwsError invalid_request(std::string message) { return make_aws_error("InvalidRequest", 400, std::move(message)); }

}  // namespace s3::api
