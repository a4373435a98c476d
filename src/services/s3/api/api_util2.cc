// Helpers shared by the listing and multipart handlers.
#include <algorithm>

#include "common/strings.h"
#include "services/s3/api/api.h"

namespace s3::api {

common::Result<bool, aws::AwsError> url_encoding(const Json& input) {
  auto it = input.find("EncodingType");
  if (it == input.end()) return false;
  std::string value = it->is_string() ? it->get<std::string>() : it->dump();
  if (value != "url") {
    return common::fail(invalid_argument("Invalid Encoding Method specified in Request", "encoding-type", value));
  }
  return true;
}

// botocore decodes these with unquote_plus, so '+' must go out as %2B and ' ' as %20; the
// encoder escapes everything but unreserved characters and '/'.
std::string encode_name(const std::string& text, bool url) { return url ? common::uri_encode(text, true) : text; }

common::Result<int, aws::AwsError> page_size(const Json& input, const char* member, const char* argument) {
  auto it = input.find(member);
  if (it == input.end() || it->is_null()) return 1000;
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 2147483647) {
    std::string value = it->is_string() ? it->get<std::string>() : it->dump();
    return common::fail(invalid_argument(
        std::string("Argument ") + argument + " must be an integer between 0 and 2147483647", argument, value));
  }
  return static_cast<int>(std::min<int64_t>(it->get<int64_t>(), 1000));
}

Json common_prefixes_json(const std::vector<std::string>& prefixes, bool url) {
  Json out = Json::array();
  for (const std::string& p : prefixes) out.push_back(Json{{"Prefix", encode_name(p, url)}});
  return out;
}

common::Result<Json, aws::AwsError> bucket_owner_json(S3Engine& engine, const std::string& bucket) {
  auto found = engine.get_bucket(bucket);
  if (!found.ok()) return common::fail(to_aws_error(found.error(), bucket));
  return owner_json(found->owner_account);
}

void checksum_members(const std::map<std::string, std::string>& checksums, Json& out) {
  for (const auto& [name, value] : checksums) out["Checksum" + name] = value;
}

}  // namespace s3::api
