#include <gtest/gtest.h>

#include "services/ssm/model/filter.h"
#include "services/ssm/model/name.h"

namespace ssm {
namespace {

struct NameCase {
  const char* name;
  bool ok;
  Reason reason;
};

TEST(SsmNameTest, ParameterNameRules) {
  const std::string deep = "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15";
  const NameCase cases[] = {
      {"plain", true, Reason::InvalidInput},
      {"/app/dev/db-url", true, Reason::InvalidInput},
      {"/a.b_c-d/E9", true, Reason::InvalidInput},
      {"app/dev", false, Reason::InvalidInput},    // hierarchies must be fully qualified
      {"/app//dev", false, Reason::InvalidInput},  // empty level
      {"/app/dev/", false, Reason::InvalidInput},  // trailing slash
      {"/", false, Reason::InvalidInput},
      {"has space", false, Reason::InvalidInput},
      {"bad$char", false, Reason::InvalidInput},
      {"awsthing", false, Reason::InvalidInput},  // reserved prefixes, any case
      {"/AWS/x", false, Reason::InvalidInput},
      {"SSM-param", false, Reason::InvalidInput},
      {"/ssm", false, Reason::InvalidInput},
      {"/app/aws", true, Reason::InvalidInput},  // only the first level is reserved
  };
  for (const auto& c : cases) {
    auto r = check_parameter_name(c.name, "us-east-1", "000000000000");
    EXPECT_EQ(r.ok(), c.ok) << c.name;
    if (!c.ok && !r.ok()) {
      EXPECT_EQ(r.error().reason, c.reason) << c.name;
    }
  }
  EXPECT_TRUE(check_parameter_name(deep, "us-east-1", "000000000000").ok());
  auto too_deep = check_parameter_name(deep + "/16", "us-east-1", "000000000000");
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().reason, Reason::HierarchyTooDeep);
}

TEST(SsmNameTest, LengthCountsTheArnPrefix) {
  // "arn:aws:ssm:us-east-1:000000000000:parameter/" is 45 characters.
  std::string fits = "/" + std::string(1011 - 45, 'a');
  std::string over = "/" + std::string(1011 - 44, 'a');
  EXPECT_TRUE(check_parameter_name(fits, "us-east-1", "000000000000").ok());
  EXPECT_FALSE(check_parameter_name(over, "us-east-1", "000000000000").ok());
}

TEST(SsmNameTest, KeysArnsAndPaths) {
  EXPECT_EQ(name_key("/Name"), "Name");
  EXPECT_EQ(name_key("Name"), "Name");
  EXPECT_EQ(parameter_arn("eu-west-1", "111111111111", "/app/db"),
            "arn:aws:ssm:eu-west-1:111111111111:parameter/app/db");
  EXPECT_EQ(parameter_arn("eu-west-1", "111111111111", "db"), "arn:aws:ssm:eu-west-1:111111111111:parameter/db");
  EXPECT_EQ(trim_name("  /x  "), "/x");
  EXPECT_TRUE(is_valid_path("/"));
  EXPECT_TRUE(is_valid_path("/a/b/"));
  EXPECT_FALSE(is_valid_path("a/b"));
  EXPECT_FALSE(is_valid_path("/a//b"));
  EXPECT_EQ(path_prefix("/a/b"), "a/b/");
  EXPECT_EQ(path_prefix("/a/b/"), "a/b/");
  EXPECT_EQ(path_prefix("/"), "");
  EXPECT_TRUE(under_path("/a/b/c", "/a/b", false));
  EXPECT_FALSE(under_path("/a/b/c/d", "/a/b", false));
  EXPECT_TRUE(under_path("/a/b/c/d", "/a/b", true));
  EXPECT_FALSE(under_path("/a/b", "/a/b", true));
  EXPECT_TRUE(under_path("top", "/", false));
}

TEST(SsmNameTest, LabelRules) {
  const std::pair<const char*, bool> cases[] = {
      {"prod", true},       {"Release-1.2_x", true}, {"1st", false}, {"awsLabel", false}, {"SSMx", false},
      {"has space", false}, {"a/b", false},          {"", false},    {"a:b", false},      {"x", true},
  };
  for (const auto& [label, ok] : cases) EXPECT_EQ(is_valid_label(label), ok) << label;
  EXPECT_TRUE(is_valid_label(std::string(100, 'a')));
  EXPECT_FALSE(is_valid_label(std::string(101, 'a')));
}

TEST(SsmNameTest, References) {
  auto plain = parse_reference("/app/db");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->name, "/app/db");
  EXPECT_TRUE(plain->selector.empty());

  auto version = parse_reference("/app/db:3");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->version, 3);
  EXPECT_EQ(version->selector, ":3");

  auto label = parse_reference("db:Prod");
  ASSERT_TRUE(label);
  EXPECT_EQ(label->label, "Prod");
  EXPECT_EQ(label->name, "db");

  auto arn = parse_reference("arn:aws:ssm:us-east-1:000000000000:parameter/app/db:prod");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->name, "/app/db");
  EXPECT_EQ(arn->arn_account, "000000000000");
  EXPECT_EQ(arn->label, "prod");

  EXPECT_FALSE(parse_reference("db:"));
  EXPECT_FALSE(parse_reference("db:a:b"));
  EXPECT_FALSE(parse_reference("arn:aws:s3:::bucket"));
}

TEST(SsmNameTest, PageTokensRoundTrip) {
  std::string key;
  EXPECT_TRUE(decode_page_token(encode_page_token("app/db"), key));
  EXPECT_EQ(key, "app/db");
  EXPECT_FALSE(decode_page_token("garbage!", key));
  EXPECT_FALSE(decode_page_token("Zm9v", key));  // base64 "foo", not ours
}

TEST(SsmFilterTest, ValidatesPerOperation) {
  std::vector<ParameterFilter> label{{"Label", "", {"prod"}}};
  EXPECT_TRUE(check_filters(label, FilterUse::GetParametersByPath).ok());
  EXPECT_EQ(check_filters(label, FilterUse::DescribeParameters).error().reason, Reason::BadFilterKey);

  std::vector<ParameterFilter> name{{"Name", "", {"x"}}};
  EXPECT_EQ(check_filters(name, FilterUse::GetParametersByPath).error().reason, Reason::BadFilterKey);
  ASSERT_TRUE(check_filters(name, FilterUse::DescribeParameters).ok());
  EXPECT_EQ(name[0].option, "Equals");

  std::vector<ParameterFilter> path{{"Path", "Equals", {"/a"}}};
  EXPECT_EQ(check_filters(path, FilterUse::DescribeParameters).error().reason, Reason::BadFilterOption);
  std::vector<ParameterFilter> bad_type{{"Type", "Equals", {"Number"}}};
  EXPECT_EQ(check_filters(bad_type, FilterUse::DescribeParameters).error().reason, Reason::BadFilterValue);
  std::vector<ParameterFilter> twice{{"Type", "", {"String"}}, {"Type", "", {"String"}}};
  EXPECT_EQ(check_filters(twice, FilterUse::DescribeParameters).error().reason, Reason::BadFilterKey);
  std::vector<ParameterFilter> tag{{"tag:env", "", {}}};
  EXPECT_TRUE(check_filters(tag, FilterUse::DescribeParameters).ok());
}

TEST(SsmFilterTest, Matches) {
  FilterSubject subject{"/app/dev/db", "SecureString", "alias/aws/ssm", "Standard", "text"};
  std::vector<Tag> tags{{"env", "dev"}};
  EXPECT_TRUE(matches({"Name", "BeginsWith", {"/app/"}}, subject, tags));
  EXPECT_TRUE(matches({"Name", "BeginsWith", {"app/"}}, subject, tags));
  EXPECT_TRUE(matches({"Name", "Contains", {"dev"}}, subject, tags));
  EXPECT_FALSE(matches({"Name", "Equals", {"/app/dev"}}, subject, tags));
  EXPECT_TRUE(matches({"Type", "Equals", {"String", "SecureString"}}, subject, tags));
  EXPECT_TRUE(matches({"Path", "OneLevel", {"/app/dev"}}, subject, tags));
  EXPECT_FALSE(matches({"Path", "OneLevel", {"/app"}}, subject, tags));
  EXPECT_TRUE(matches({"Path", "Recursive", {"/app"}}, subject, tags));
  EXPECT_TRUE(matches({"tag:env", "Equals", {"dev"}}, subject, tags));
  EXPECT_TRUE(matches({"tag:env", "Equals", {}}, subject, tags));
  EXPECT_FALSE(matches({"tag:team", "Equals", {}}, subject, tags));
}

}  // namespace
}  // namespace ssm
