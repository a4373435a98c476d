#include "services/ecr/model/wildcard.h"

#include <gtest/gtest.h>

namespace ecr {
namespace {

TEST(EcrWildcard, StarMatchesAnyRunOtherCharactersThemselves) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  };
  const Case cases[] = {
      {"dev-*", "dev-1", true}, {"dev-*", "dev-", true},  {"dev-*", "prod-1", false},
      {"*", "", true},          {"", "", true},           {"", "x", false},
      {"a*b*c", "aXbYc", true}, {"a*b*c", "aXbY", false}, {"*-rc*", "v1-rc2", true},
      {"v1", "v1", true},       {"v1", "v10", false},     {"v?", "v1", false},
      {"**", "abc", true},      {"a*a", "aaa", true},     {"a*a", "a", false},
  };
  for (const Case& c : cases) EXPECT_EQ(wildcard_match(c.pattern, c.text), c.match) << c.pattern << " ~ " << c.text;
}

}  // namespace
}  // namespace ecr
