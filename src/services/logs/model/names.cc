#include "services/logs/model/names.h"

#include <algorithm>
#include <array>

#include "common/strings.h"

namespace logs {
namespace {

constexpr std::array<int, 22> kRetentionDays = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                                365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

constexpr std::string_view kArnPrefix = "arn:aws:logs:";

}  // namespace

std::string group_arn(std::string_view region, std::string_view account, std::string_view name) {
  std::string arn(kArnPrefix);
  arn.append(region).append(":").append(account).append(":log-group:").append(name);
  return arn;
}

std::string group_arn_any(std::string_view region, std::string_view account, std::string_view name) {
  return group_arn(region, account, name) + ":*";
}

std::string stream_arn(std::string_view region, std::string_view account, std::string_view group,
                       std::string_view stream) {
  return group_arn(region, account, group) + ":log-stream:" + std::string(stream);
}

std::optional<GroupArnParts> parse_group_arn(std::string_view arn) {
  if (arn.substr(0, kArnPrefix.size()) != kArnPrefix) return std::nullopt;
  std::string_view rest = arn.substr(kArnPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  GroupArnParts parts;
  parts.region = std::string(rest.substr(0, colon));
  rest = rest.substr(colon + 1);
  colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  parts.account = std::string(rest.substr(0, colon));
  rest = rest.substr(colon + 1);
  constexpr std::string_view kType = "log-group:";
  if (rest.substr(0, kType.size()) != kType) return std::nullopt;
  rest = rest.substr(kType.size());
  if (rest.size() >= 2 && rest.substr(rest.size() - 2) == ":*") rest.remove_suffix(2);
  // Group names have no ':' (model pattern), so one here is a stream ARN or garbage.
  if (rest.empty() || rest.find(':') != std::string_view::npos) return std::nullopt;
  if (parts.region.empty() || parts.account.empty()) return std::nullopt;
  parts.name = std::string(rest);
  return parts;
}

bool reserved_group_name(std::string_view name) { return common::starts_with_icase(name, "aws/"); }

bool valid_retention_days(int days) {
  return std::find(kRetentionDays.begin(), kRetentionDays.end(), days) != kRetentionDays.end();
}

std::string retention_days_text() {
  std::string out = "[";
  for (size_t i = 0; i < kRetentionDays.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(kRetentionDays[i]);
  }
  return out + "]";
}

}  // namespace logs
