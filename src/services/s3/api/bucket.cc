// Buckets: CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation.
#include "common/crypto.h"
#include "services/s3/api/api.h"

namespace s3::api {

using aws::make_aws_error;

namespace {

// us-east-1, eu-west-1, ap-southeast-2, us-gov-west-1...
bool region_name(std::string_view s) {
  size_t last = s.rfind('-');
  if (last == std::string_view::npos || last + 2 != s.size() || s.back() < '0' || s.back() > '9') return false;
  if (s.size() < 6 || s[2] != '-') return false;
  for (size_t i = 0; i < last; ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c == '-' && i > 0 && s[i - 1] != '-'))) return false;
  }
  return true;
}

}  // namespace

HandlerResult create_bucket(S3Engine& engine, RequestContext& context, const Json& input, StreamIo&) {
  std::string bucket = str(input, "Bucket");
  std::string constraint;
  if (auto config = input.find("CreateBucketConfiguration"); config != input.end()) {
    constraint = str(*config, "LocationConstraint");
  }
  // One endpoint serves every region: the signing region is the endpoint's (aws-behaviour §1.5).
  const std::string& endpoint_region = context.region;
  std::string region = constraint.empty() ? "us-east-1" : constraint;
  if (constraint == "EU") region = "eu-west-1";
  if (constraint == "us-east-1" || (!constraint.empty() && constraint != "EU" && !region_name(constraint))) {
    return common::fail(
        make_aws_error("InvalidLocationConstraint", 400, "The specified location-constraint is not valid")
            .with("LocationConstraint", constraint));
  }
  if (region != endpoint_region) {
    std::string what = constraint.empty() ? "unspecified" : constraint;
    return common::fail(make_aws_error(
        "IllegalLocationConstraintException", 400,
        "The " + what +
            " location constraint is incompatible for the region specific endpoint this request was sent to."));
  }
  auto created = engine.create_bucket(context.account_id(), region, bucket);
  if (!created.ok()) return common::fail(to_aws_error(created.error(), bucket));
  return Json{{"Location", "/" + bucket}};
}

HandlerResult delete_bucket(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  std::string bucket = str(input, "Bucket");
  auto done = engine.delete_bucket(bucket);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket));
  return Json::object();
}

HandlerResult head_bucket(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  std::string bucket = str(input, "Bucket");
  auto found = engine.get_bucket(bucket);
  if (!found.ok()) return common::fail(to_aws_error(found.error(), bucket));
  return Json{{"BucketRegion", found->region}, {"AccessPointAlias", false}};
}

HandlerResult list_buckets(S3Engine& engine, RequestContext& context, const Json& input, StreamIo&) {
  auto buckets = engine.list_buckets(context.account_id());
  if (!buckets.ok()) return common::fail(to_aws_error(buckets.error()));
  std::string prefix = str(input, "Prefix");
  std::string region = str(input, "BucketRegion");
  std::string after;
  if (std::string token = str(input, "ContinuationToken"); !token.empty()) {
    if (!common::base64_decode(token, after)) {
      return common::fail(
          invalid_argument("The continuation token provided is incorrect", "continuation-token", token));
    }
  }
  int64_t max = 10000;
  if (input.contains("MaxBuckets") && input["MaxBuckets"].is_number_integer()) {
    max = input["MaxBuckets"].get<int64_t>();
    if (max < 1 || max > 10000) {
      return common::fail(invalid_argument("Argument maxBuckets must be an integer between 1 and 10000", "max-buckets",
                                           std::to_string(max)));
    }
  }
  Json list = Json::array();
  std::string last;
  bool truncated = false;
  for (const Bucket& b : *buckets) {
    if (!prefix.empty() && b.name.rfind(prefix, 0) != 0) continue;
    if (!region.empty() && b.region != region) continue;
    if (!after.empty() && b.name <= after) continue;
    if (static_cast<int64_t>(list.size()) == max) {
      truncated = true;
      break;
    }
    list.push_back(Json{{"Name", b.name}, {"CreationDate", epoch(b.created)}, {"BucketRegion", b.region}});
    last = b.name;
  }
  Json out{{"Buckets", list}, {"Owner", owner_json(context.account_id())}};
  if (!prefix.empty()) out["Prefix"] = prefix;
  if (truncated) out["ContinuationToken"] = common::base64_encode(last);
  return out;
}

HandlerResult get_bucket_location(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  std::string bucket = str(input, "Bucket");
  auto found = engine.get_bucket(bucket);
  if (!found.ok()) return common::fail(to_aws_error(found.error(), bucket));
  Json out = Json::object();
  if (found->region != "us-east-1") out["LocationConstraint"] = found->region;
  return out;
}

}  // namespace s3::api
