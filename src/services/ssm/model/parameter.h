// Domain types of Parameter Store (not wire types): one stored version of a parameter,
// value limits per tier, and the accepted types and data types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ssm {

// Who owns a resource: every table is keyed by (account, region).
struct Scope {
  std::string_view account;
  std::string_view region;
};

constexpr size_t kStandardValueLimit = 4096;  // bytes
constexpr size_t kAdvancedValueLimit = 8192;
constexpr int64_t kMaxVersions = 100;
constexpr size_t kMaxLabelsPerVersion = 10;
constexpr size_t kMaxTagsPerResource = 50;
constexpr int64_t kMaxStandardParameters = 10000;
constexpr int64_t kMaxAdvancedParameters = 100000;
constexpr std::string_view kDefaultKeyId = "alias/aws/ssm";

struct ParameterVersion {
  std::string name;  // as created ("/app/db" or "db")
  int64_t version = 0;
  std::string type;          // String | StringList | SecureString
  std::string value;         // plaintext, or base64 ciphertext of a SecureString read without decryption
  double last_modified = 0;  // epoch seconds
  std::string last_modified_user;
  std::string description;
  std::string allowed_pattern;
  std::string key_id;               // SecureString only
  std::string tier;                 // Standard | Advanced
  std::string data_type;            // text | aws:ec2:image | aws:ssm:integration
  std::string policies;             // JSON array of {PolicyText, PolicyType, PolicyStatus}; "" = none
  std::vector<std::string> labels;  // filled by history reads
  std::string selector;             // ":3" / ":prod" when read through a selector
};

inline bool is_parameter_type(std::string_view t) { return t == "String" || t == "StringList" || t == "SecureString"; }
inline bool is_data_type(std::string_view t) {
  return t == "text" || t == "aws:ec2:image" || t == "aws:ssm:integration";
}

}  // namespace ssm
