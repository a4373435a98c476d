#include "services/iam/model/arns.h"

#include <algorithm>

#include "common/crypto.h"
#include "common/ids.h"

namespace iam {
namespace {

std::string iam_arn(std::string_view account, std::string_view kind, std::string_view path, std::string_view name) {
  std::string arn = "arn:aws:iam::";
  arn.append(account).append(":").append(kind);
  arn.append(path.empty() ? std::string_view("/") : path);
  arn.append(name);
  return arn;
}

constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

std::string user_arn(std::string_view account, std::string_view path, std::string_view name) {
  return iam_arn(account, "user", path, name);
}
std::string role_arn(std::string_view account, std::string_view path, std::string_view name) {
  return iam_arn(account, "role", path, name);
}
std::string policy_arn(std::string_view account, std::string_view path, std::string_view name) {
  return iam_arn(account, "policy", path, name);
}
std::string root_arn(std::string_view account) { return "arn:aws:iam::" + std::string(account) + ":root"; }
std::string assumed_role_arn(std::string_view account, std::string_view role_name, std::string_view session) {
  std::string arn = "arn:aws:sts::";
  arn.append(account).append(":assumed-role/").append(role_name).append("/").append(session);
  return arn;
}

std::optional<ParsedIamArn> parse_iam_arn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (!arn.starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::string_view rest = arn.substr(kPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  ParsedIamArn parsed;
  parsed.account = std::string(rest.substr(0, colon));
  bool digits = parsed.account.size() == 12 &&
                std::all_of(parsed.account.begin(), parsed.account.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits && parsed.account != "aws") {
    return std::nullopt;
  }
  std::string_view resource = rest.substr(colon + 1);
  size_t slash = resource.find('/');
  size_t last = resource.rfind('/');
  if (slash == std::string_view::npos || last + 1 >= resource.size()) {
    return std::nullopt;
  }
  parsed.kind = std::string(resource.substr(0, slash));
  parsed.path = std::string(resource.substr(slash, last - slash + 1));
  parsed.name = std::string(resource.substr(last + 1));
  return parsed;
}

std::string new_unique_id(std::string_view prefix) {
  return std::string(prefix) + common::random_string(17, kIdAlphabet);
}
std::string new_access_key_id(std::string_view prefix) {
  return std::string(prefix) + common::random_string(16, kIdAlphabet);
}
std::string new_secret_access_key() {
  return common::random_string(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}
std::string new_session_token() {
  // Shaped like AWS's (base64 of an opaque blob); only ever compared for equality.
  return "IQoJb3JpZ2luX2VjE" + common::base64_encode(common::random_bytes(240));
}

}  // namespace iam
