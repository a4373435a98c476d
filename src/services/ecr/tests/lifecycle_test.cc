#include "services/ecr/model/lifecycle.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/json.h"

namespace {

using common::Json;
using std::chrono::days;
using std::chrono::seconds;

const std::string kPrefix =
    "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ";

Json rule_json(int priority, Json selection) {
  return {{"rulePriority", priority}, {"selection", std::move(selection)}, {"action", {{"type", "expire"}}}};
}

Json policy_json(std::vector<Json> rules) { return {{"rules", rules}}; }

Json untagged_older_than(int number_of_days) {
  return {{"tagStatus", "untagged"},
          {"countType", "sinceImagePushed"},
          {"countUnit", "days"},
          {"countNumber", number_of_days}};
}

Json keep_newest(const char* tag_status, int count) {
  return {{"tagStatus", tag_status}, {"countType", "imageCountMoreThan"}, {"countNumber", count}};
}

Json tagged_keep_newest(const char* list_name, std::vector<std::string> list, int count) {
  Json selection = keep_newest("tagged", count);
  selection[list_name] = list;
  return selection;
}

ecr::LifecyclePolicy parse_ok(const Json& policy) {
  auto parsed = ecr::parse_lifecycle_policy(policy.dump());
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : ecr::LifecyclePolicy{};
}

// ---- parsing ----

TEST(LifecycleParse, DocumentedExamplesParse) {
  // "Filtering on image age" and "Filtering on image count" from the ECR user guide.
  auto age = ecr::parse_lifecycle_policy(R"({
    "rules": [{"rulePriority": 1, "description": "Expire images older than 14 days",
               "selection": {"tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "sinceImagePushed",
                             "countUnit": "days", "countNumber": 14},
               "action": {"type": "expire"}}]})");
  ASSERT_TRUE(age) << age.error().message;
  ASSERT_EQ(age->rules.size(), 1u);
  const ecr::LifecycleRule& rule = age->rules[0];
  EXPECT_EQ(rule.priority, 1);
  EXPECT_EQ(rule.description, "Expire images older than 14 days");
  EXPECT_EQ(rule.tag_status, "tagged");
  EXPECT_EQ(rule.tag_patterns, std::vector<std::string>{"prod*"});
  EXPECT_TRUE(rule.tag_prefixes.empty());
  EXPECT_EQ(rule.count_type, "sinceImagePushed");
  EXPECT_EQ(rule.count_unit, "days");
  EXPECT_EQ(rule.count_number, 14);

  auto count = ecr::parse_lifecycle_policy(R"({
    "rules": [{"rulePriority": 1, "description": "Keep only one untagged image, expire all others",
               "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1},
               "action": {"type": "expire"}}]})");
  ASSERT_TRUE(count) << count.error().message;
  EXPECT_EQ(count->rules[0].count_unit, "");
  EXPECT_EQ(count->rules[0].count_number, 1);
}

TEST(LifecycleParse, RulesSortedByPriorityAndAnyMayBeLast) {
  auto policy = parse_ok(policy_json({rule_json(10, keep_newest("any", 3)),
                                      rule_json(2, tagged_keep_newest("tagPrefixList", {"prod", "v"}, 5)),
                                      rule_json(5, untagged_older_than(7))}));
  ASSERT_EQ(policy.rules.size(), 3u);
  EXPECT_EQ(policy.rules[0].priority, 2);
  EXPECT_EQ(policy.rules[0].tag_prefixes, (std::vector<std::string>{"prod", "v"}));
  EXPECT_EQ(policy.rules[1].priority, 5);
  EXPECT_EQ(policy.rules[2].priority, 10);
  EXPECT_EQ(policy.rules[2].tag_status, "any");
}

TEST(LifecycleParse, StandardStorageClassAccepted) {
  Json selection = untagged_older_than(3);
  selection["storageClass"] = "standard";
  parse_ok(policy_json({rule_json(1, selection)}));
}

struct BadPolicy {
  const char* name;
  std::string text;
  const char* expected_detail;  // substring of the message after the prefix
};

std::string with(Json selection, const char* key, Json value) {
  selection[key] = std::move(value);
  return policy_json({rule_json(1, selection)}).dump();
}

std::string without(Json selection, const char* key) {
  selection.erase(key);
  return policy_json({rule_json(1, selection)}).dump();
}

std::vector<BadPolicy> bad_policies() {
  Json untagged = untagged_older_than(14);
  Json count = keep_newest("untagged", 1);
  Json tagged = tagged_keep_newest("tagPrefixList", {"prod"}, 1);
  Json good_rule = rule_json(1, untagged);
  auto rule_with = [&](const char* key, Json value) {
    Json rule = good_rule;
    rule[key] = std::move(value);
    return policy_json({rule}).dump();
  };
  auto rule_without = [&](const char* key) {
    Json rule = good_rule;
    rule.erase(key);
    return policy_json({rule}).dump();
  };
  return {
      {"not json", "{rules:", "Could not map policyString into LifecyclePolicy."},
      {"not an object", "[]", "Could not map policyString into LifecyclePolicy."},
      {"no rules", "{}", "object has missing required properties ([\"rules\"])"},
      {"unknown top-level member", R"({"rules":[{"rulePriority":1}],"x":1})", "not allowed by the schema: ([\"x\"])"},
      {"rules not array", R"({"rules":{}})", "(allowed: [\"array\"])"},
      {"rules empty", R"({"rules":[]})", "array is too short"},
      {"rule not object", R"({"rules":["x"]})", "instance type (string) does not match"},
      {"missing rulePriority", rule_without("rulePriority"), "missing required properties ([\"rulePriority\"])"},
      {"missing selection and action", policy_json({Json{{"rulePriority", 1}}}).dump(),
       "missing required properties ([\"selection\",\"action\"])"},
      {"unknown rule member", rule_with("priority", 1), "not allowed by the schema: ([\"priority\"])"},
      {"rulePriority zero", rule_with("rulePriority", 0), "lower than the required minimum (minimum: 1, found: 0)"},
      {"rulePriority string", rule_with("rulePriority", "1"), "(allowed: [\"integer\"])"},
      {"rulePriority float", rule_with("rulePriority", 1.5), "instance type (number)"},
      {"description not string", rule_with("description", 5), "(allowed: [\"string\"])"},
      {"selection not object", rule_with("selection", "x"), "(allowed: [\"object\"])"},
      {"unknown selection member", with(untagged, "countDays", 3), "not allowed by the schema: ([\"countDays\"])"},
      {"missing tagStatus", without(untagged, "tagStatus"), "missing required properties ([\"tagStatus\"])"},
      {"missing countNumber", without(untagged, "countNumber"), "missing required properties ([\"countNumber\"])"},
      {"tagStatus bad value", with(untagged, "tagStatus", "TAGGED"), "instance value (\"TAGGED\") not found in enum"},
      {"tagged without list", without(tagged, "tagPrefixList"), "requires exactly one of"},
      {"tagged with both lists", with(tagged, "tagPatternList", {"p*"}), "requires exactly one of"},
      {"untagged with prefix list", with(untagged, "tagPrefixList", {"prod"}), "only be used with tagStatus 'tagged'"},
      {"any with pattern list", with(keep_newest("any", 1), "tagPatternList", {"*"}),
       "only be used with tagStatus 'tagged'"},
      {"empty prefix list", with(tagged, "tagPrefixList", Json::array()), "at least one entry"},
      {"prefix list not array", with(tagged, "tagPrefixList", "prod"), "(allowed: [\"array\"])"},
      {"prefix not string", with(tagged, "tagPrefixList", {1}), "(allowed: [\"string\"])"},
      {"five wildcards", policy_json({rule_json(1, tagged_keep_newest("tagPatternList", {"*a*b*c*d*"}, 1))}).dump(),
       "more than 4 wildcards"},
      {"countUnit with imageCountMoreThan", with(count, "countUnit", "days"), "matched 0 out of 2"},
      {"sinceImagePushed without countUnit", without(untagged, "countUnit"), "matched 0 out of 2"},
      {"unknown countType", with(count, "countType", "sinceImagePulled"), "matched 0 out of 2"},
      {"countUnit hours", with(untagged, "countUnit", "hours"), "instance value (\"hours\") not found in enum"},
      {"countNumber zero", with(untagged, "countNumber", 0), "minimum: 1, found: 0"},
      {"countNumber negative", with(count, "countNumber", -3), "minimum: 1, found: -3"},
      {"countNumber float", with(count, "countNumber", 2.5), "(allowed: [\"integer\"])"},
      {"storageClass archive", with(untagged, "storageClass", "archive"), "not found in enum"},
      {"missing action type", rule_with("action", Json::object()), "missing required properties ([\"type\"])"},
      {"action type transition", rule_with("action", {{"type", "transition"}}),
       "instance value (\"transition\") not found in enum (possible values: [\"expire\"])"},
      {"unknown action member", rule_with("action", {{"type", "expire"}, {"targetStorageClass", "archive"}}),
       "not allowed by the schema: ([\"targetStorageClass\"])"},
      {"duplicate priority", policy_json({rule_json(1, untagged), rule_json(1, tagged)}).dump(),
       "priorities must be unique"},
      {"any not last", policy_json({rule_json(1, keep_newest("any", 5)), rule_json(2, tagged)}).dump(),
       "tagStatus 'any' must have the highest rulePriority"},
      {"two any rules", policy_json({rule_json(1, keep_newest("any", 5)), rule_json(2, keep_newest("any", 1))}).dump(),
       "tagStatus 'any' must have the highest rulePriority"},
  };
}

TEST(LifecycleParse, EachInvalidPolicyRefusedWithEcrMessage) {
  for (const BadPolicy& bad : bad_policies()) {
    auto parsed = ecr::parse_lifecycle_policy(bad.text);
    ASSERT_FALSE(parsed) << bad.name;
    EXPECT_EQ(parsed.error().code, ecr::Errc::InvalidParameter) << bad.name;
    const std::string& message = parsed.error().message;
    EXPECT_EQ(message.rfind(kPrefix, 0), 0u) << bad.name << ": " << message;
    EXPECT_NE(message.find(bad.expected_detail), std::string::npos) << bad.name << ": " << message;
    EXPECT_EQ(message.back(), '\'') << bad.name;
  }
}

// ---- evaluation ----

const common::TimePoint kNow = common::from_epoch_seconds(1'700'000'000);

ecr::LifecycleCandidate image(std::string digest, std::vector<std::string> tags, common::TimePoint pushed_at) {
  return {std::move(digest), std::move(tags), pushed_at};
}

std::vector<std::string> expired_digests(const ecr::LifecyclePolicy& policy,
                                         const std::vector<ecr::LifecycleCandidate>& images) {
  std::vector<std::string> digests;
  for (const ecr::LifecycleAction& action : ecr::evaluate_lifecycle(policy, images, kNow)) {
    digests.push_back(action.digest);
  }
  return digests;
}

using Digests = std::vector<std::string>;

TEST(LifecycleEvaluate, UntaggedOlderThanDays) {
  auto policy = parse_ok(policy_json({rule_json(1, untagged_older_than(14))}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("old-untagged", {}, kNow - days(20)),
      image("new-untagged", {}, kNow - days(10)),
      image("old-tagged", {"v1"}, kNow - days(30)),
      image("exactly-14-days", {}, kNow - days(14)),
      image("just-over-14-days", {}, kNow - days(14) - seconds(1)),
  };
  auto actions = ecr::evaluate_lifecycle(policy, images, kNow);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].digest, "old-untagged");
  EXPECT_EQ(actions[0].rule_priority, 1);
  EXPECT_EQ(actions[0].action, "EXPIRE");
  EXPECT_EQ(actions[0].pushed_at, kNow - days(20));
  EXPECT_EQ(actions[1].digest, "just-over-14-days");
}

TEST(LifecycleEvaluate, KeepNewestWithPrefixInInputOrder) {
  auto policy = parse_ok(policy_json({rule_json(1, tagged_keep_newest("tagPrefixList", {"prod"}, 2))}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("p3", {"prod-3"}, kNow - days(2)), image("p1", {"prod-1"}, kNow - days(4)),
      image("dev", {"dev-1"}, kNow - days(9)), image("p4", {"prod-4", "latest"}, kNow - days(1)),
      image("p2", {"prod-2"}, kNow - days(3)), image("untagged", {}, kNow - days(9)),
  };
  auto actions = ecr::evaluate_lifecycle(policy, images, kNow);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].digest, "p1");
  EXPECT_EQ(actions[0].tags, std::vector<std::string>{"prod-1"});
  EXPECT_EQ(actions[1].digest, "p2");
}

// ECR user guide, "Filtering on multiple rules", example A: rule 2 would expire A and B, but
// both were seen by rule 1 (A expired by it, B kept), so only A goes.
TEST(LifecycleEvaluate, DocumentedMultipleRulesExampleA) {
  auto policy = parse_ok(policy_json({rule_json(1, tagged_keep_newest("tagPrefixList", {"prod"}, 1)),
                                      rule_json(2, tagged_keep_newest("tagPrefixList", {"beta"}, 1))}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("A", {"beta-1", "prod-1"}, kNow - days(10)),
      image("B", {"beta-2", "prod-2"}, kNow - days(9)),
      image("C", {"beta-3"}, kNow - days(8)),
  };
  auto actions = ecr::evaluate_lifecycle(policy, images, kNow);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].digest, "A");
  EXPECT_EQ(actions[0].rule_priority, 1);
}

// Example B: the same repository with the priorities swapped expires A and B, both by rule 1.
TEST(LifecycleEvaluate, DocumentedMultipleRulesExampleB) {
  auto policy = parse_ok(policy_json({rule_json(1, tagged_keep_newest("tagPrefixList", {"beta"}, 1)),
                                      rule_json(2, tagged_keep_newest("tagPrefixList", {"prod"}, 1))}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("A", {"beta-1", "prod-1"}, kNow - days(10)),
      image("B", {"beta-2", "prod-2"}, kNow - days(9)),
      image("C", {"beta-3"}, kNow - days(8)),
  };
  EXPECT_EQ(expired_digests(policy, images), (Digests{"A", "B"}));
}

// "Filtering on multiple tags in a single rule": every listed prefix must match some tag.
TEST(LifecycleEvaluate, AllPrefixesMustMatch) {
  Json selection = tagged_keep_newest("tagPrefixList", {"alpha", "beta"}, 1);
  selection["countType"] = "sinceImagePushed";
  selection["countUnit"] = "days";
  selection["countNumber"] = 5;
  auto policy = parse_ok(policy_json({rule_json(1, selection)}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("A", {"alpha-1"}, kNow - days(12)),
      image("B", {"beta-1"}, kNow - days(11)),
      image("C", {"alpha-2", "beta-2"}, kNow - days(10)),
      image("D", {"alpha-3"}, kNow - days(4)),
      image("E", {"beta-3"}, kNow - days(3)),
      image("F", {"alpha-4", "beta-4"}, kNow - days(2)),
  };
  EXPECT_EQ(expired_digests(policy, images), (Digests{"C"}));

  auto count_policy = parse_ok(policy_json({rule_json(1, tagged_keep_newest("tagPrefixList", {"alpha", "beta"}, 1))}));
  std::vector<ecr::LifecycleCandidate> extra_tags = {
      image("A", {"alpha-1", "beta-1", "gamma-1"}, kNow - days(10)),
      image("B", {"alpha-2", "beta-2"}, kNow - days(9)),
      image("C", {"alpha-3", "beta-3", "gamma-2"}, kNow - days(8)),
  };
  EXPECT_EQ(expired_digests(count_policy, extra_tags), (Digests{"A", "B"}));
}

// An image matched by a higher-priority rule is claimed by it: the "any" rule still counts it
// (so it pushes other images out) but never expires it.
TEST(LifecycleEvaluate, PriorityClaimsImages) {
  auto policy = parse_ok(policy_json(
      {rule_json(1, tagged_keep_newest("tagPrefixList", {"prod"}, 5)), rule_json(2, keep_newest("any", 2))}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("old-dev", {"dev"}, kNow - days(5)),
      image("prod-1", {"prod-1"}, kNow - days(3)),
      image("prod-2", {"prod-2"}, kNow - days(1)),
  };
  auto actions = ecr::evaluate_lifecycle(policy, images, kNow);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].digest, "old-dev");
  EXPECT_EQ(actions[0].rule_priority, 2);

  std::vector<ecr::LifecycleCandidate> protected_prod = {
      image("old-prod", {"prod-1"}, kNow - days(30)),
      image("new-dev", {"dev"}, kNow - days(1)),
  };
  auto keep_one = parse_ok(policy_json(
      {rule_json(1, tagged_keep_newest("tagPrefixList", {"prod"}, 5)), rule_json(2, keep_newest("any", 1))}));
  EXPECT_TRUE(expired_digests(keep_one, protected_prod).empty());
}

TEST(LifecycleEvaluate, AnyRuleCoversTaggedAndUntagged) {
  Json selection = untagged_older_than(30);
  selection["tagStatus"] = "any";
  auto policy = parse_ok(policy_json({rule_json(3, selection)}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("old-tagged", {"v1"}, kNow - days(40)),
      image("old-untagged", {}, kNow - days(31)),
      image("recent", {"v2"}, kNow - days(2)),
  };
  auto actions = ecr::evaluate_lifecycle(policy, images, kNow);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].digest, "old-tagged");
  EXPECT_EQ(actions[1].digest, "old-untagged");
  EXPECT_EQ(actions[1].rule_priority, 3);
}

TEST(LifecycleEvaluate, UntaggedCountRuleIgnoresTaggedImages) {
  auto policy = parse_ok(policy_json({rule_json(1, keep_newest("untagged", 1))}));
  std::vector<ecr::LifecycleCandidate> images = {
      image("u-old", {}, kNow - days(3)),
      image("tagged-newest", {"v9"}, kNow),
      image("u-new", {}, kNow - days(1)),
  };
  EXPECT_EQ(expired_digests(policy, images), (Digests{"u-old"}));
}

TEST(LifecycleEvaluate, PatternWildcards) {
  auto expire_matching = [](std::vector<std::string> patterns) {
    Json selection = tagged_keep_newest("tagPatternList", std::move(patterns), 1);
    selection["countType"] = "sinceImagePushed";
    selection["countUnit"] = "days";
    return parse_ok(policy_json({rule_json(1, selection)}));
  };
  auto images_tagged = [](std::vector<std::string> tags) {
    std::vector<ecr::LifecycleCandidate> images;
    for (const std::string& tag : tags) {
      images.push_back(image(tag, {tag}, kNow - days(10)));
    }
    return images;
  };
  auto tags = images_tagged({"prod", "prod-1", "preprod", "v1-rc2", "v1.2.3", "latest", "latest2", "release"});
  EXPECT_EQ(expired_digests(expire_matching({"prod*"}), tags), (Digests{"prod", "prod-1"}));
  EXPECT_EQ(expired_digests(expire_matching({"*prod"}), tags), (Digests{"prod", "preprod"}));
  EXPECT_EQ(expired_digests(expire_matching({"*-rc*"}), tags), (Digests{"v1-rc2"}));
  EXPECT_EQ(expired_digests(expire_matching({"v*.*.*"}), tags), (Digests{"v1.2.3"}));
  EXPECT_EQ(expired_digests(expire_matching({"latest"}), tags), (Digests{"latest"}));
  EXPECT_EQ(expired_digests(expire_matching({"*r*e*"}), tags), (Digests{"preprod", "release"}));
  EXPECT_EQ(expired_digests(expire_matching({"*"}), tags).size(), tags.size());
  // Several patterns: all must be matched (by the same image's tags).
  std::vector<ecr::LifecycleCandidate> multi = {image("both", {"prod-1", "v1.0"}, kNow - days(10)),
                                                image("one", {"prod-2"}, kNow - days(10))};
  EXPECT_EQ(expired_digests(expire_matching({"prod*", "v*"}), multi), (Digests{"both"}));
}

TEST(LifecycleEvaluate, NothingToDo) {
  auto policy = parse_ok(policy_json({rule_json(1, keep_newest("untagged", 1))}));
  EXPECT_TRUE(ecr::evaluate_lifecycle(policy, {}, kNow).empty());
  EXPECT_TRUE(ecr::evaluate_lifecycle(ecr::LifecyclePolicy{}, {image("x", {}, kNow - days(999))}, kNow).empty());
}

}  // namespace
