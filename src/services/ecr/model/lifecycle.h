// ECR lifecycle policies: parsing/validation of the policy text and the pure decision of which
// images a policy expires at a given time. AWS's rules (docs "Lifecycle policy properties" and
// "How lifecycle policies work"):
// - rules[] each {rulePriority (unique int >= 1), description?, selection{tagStatus
//   tagged|untagged|any, tagPrefixList? / tagPatternList? (tagged only, exactly one of them,
//   patterns with '*' wildcards), countType imageCountMoreThan|sinceImagePushed, countUnit
//   "days" (sinceImagePushed only, required there), countNumber int >= 1}, action{type expire}}.
// - Rules are evaluated from the lowest rulePriority up. Each rule applies its count to every
//   image its selection matches, but expires only images no earlier rule selected ("can never
//   mark images that are marked by higher priority rules, but can still identify them"). A rule
//   with tagStatus "any" must have the highest rulePriority value. tagged + tagPrefixList
//   ["a","b"] selects an image only when every listed prefix starts one of its tags (AWS:
//   "only the images with all specified tags are selected"); tagPatternList likewise.
// - imageCountMoreThan N: of the selected images, newest N (by pushed time) are kept, the rest
//   expire. sinceImagePushed N days: images pushed more than N days ago expire.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "services/ecr/model/errors.h"

namespace ecr {

struct LifecycleRule {
  int priority = 0;
  std::string description;
  std::string tag_status;  // "tagged" | "untagged" | "any"
  std::vector<std::string> tag_prefixes;
  std::vector<std::string> tag_patterns;
  std::string count_type;  // "imageCountMoreThan" | "sinceImagePushed"
  std::string count_unit;  // "days" or ""
  int64_t count_number = 0;
};

struct LifecyclePolicy {
  std::vector<LifecycleRule> rules;  // by priority, lowest first
};

// InvalidParameter (ECR's InvalidParameterException message) for bad JSON or rules.
common::Result<LifecyclePolicy, Error> parse_lifecycle_policy(std::string_view text);

struct LifecycleCandidate {
  std::string digest;
  std::vector<std::string> tags;
  common::TimePoint pushed_at{};
};

// What a lifecycle policy run decided for one image.
struct LifecycleAction {
  std::string digest;
  std::vector<std::string> tags;
  common::TimePoint pushed_at{};
  int rule_priority = 0;
  std::string action = "EXPIRE";
};

// The images `policy` expires at `now`, in the order of `images`.
std::vector<LifecycleAction> evaluate_lifecycle(const LifecyclePolicy& policy,
                                                const std::vector<LifecycleCandidate>& images, common::TimePoint now);

}  // namespace ecr
