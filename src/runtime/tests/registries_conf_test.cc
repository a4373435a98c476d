#include "runtime/registries_conf.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/temp_dir.h"

namespace runtime {
namespace {

TEST(RegistriesConf, InsecureHostsAndRemaps) {
  RegistriesConf conf;
  conf.insecure = {"127.0.0.1:4566", "localhost:4566"};
  conf.remaps = {{"123456789012.dkr.ecr.us-east-1.amazonaws.com", "127.0.0.1:4566/123456789012", true}};
  std::string text = render_registries_conf(conf);
  EXPECT_NE(text.find("unqualified-search-registries = []\n"), std::string::npos);
  EXPECT_NE(text.find("[[registry]]\nlocation = \"127.0.0.1:4566\"\ninsecure = true\n"), std::string::npos);
  EXPECT_NE(text.find("[[registry]]\nlocation = \"localhost:4566\"\ninsecure = true\n"), std::string::npos);
  EXPECT_NE(text.find("[[registry]]\nprefix = \"123456789012.dkr.ecr.us-east-1.amazonaws.com\"\n"
                      "location = \"127.0.0.1:4566/123456789012\"\ninsecure = true\n"),
            std::string::npos)
      << text;
}

TEST(RegistriesConf, QuotesTomlStrings) {
  RegistriesConf conf;
  conf.insecure = {R"(we"ird\host)"};
  EXPECT_NE(render_registries_conf(conf).find(R"(location = "we\"ird\\host")"), std::string::npos);
}

TEST(RegistriesConf, WritesAtomically) {
  common::TempDir dir("hakobu-regconf");
  std::string path = dir.path() + "/registries.conf";
  ASSERT_TRUE(write_file_atomically(path, "one"));
  ASSERT_TRUE(write_file_atomically(path, "two"));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "two");
  EXPECT_FALSE(write_file_atomically(dir.path() + "/missing/dir/file", "x"));
}

}  // namespace
}  // namespace runtime
