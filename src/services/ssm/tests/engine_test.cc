// SsmEngine against a real SQLite database (a temporary WAL file, as the server uses) and a
// FakeClock.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "common/ids.h"

#include "services/ssm/engine/ssm_engine.h"
#include "testing/fake_clock.h"

namespace ssm {
namespace {

class SsmEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("ssm-engine-test-" + common::random_hex(12) + ".db");
    auto opened = store::Db::open(path_.string());
    ASSERT_TRUE(opened.ok());
    db_ = std::move(*opened);
    engine_ = std::make_unique<SsmEngine>(*db_, clock_);
    ASSERT_TRUE(engine_->migrate().ok());
  }

  Result<PutParameterOutput> put(const std::string& name, const std::string& value, const char* type = "String",
                                 bool overwrite = false, const Scope* scope = nullptr) {
    PutParameterInput input;
    input.name = name;
    input.value = value;
    if (type != nullptr) input.type = type;
    input.overwrite = overwrite;
    input.user = "arn:aws:iam::000000000000:root";
    return engine_->put_parameter(scope != nullptr ? *scope : scope_, std::move(input));
  }

  void TearDown() override {
    engine_.reset();
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  std::filesystem::path path_;
  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<SsmEngine> engine_;
  Scope scope_{"000000000000", "us-east-1"};
};

TEST_F(SsmEngineTest, PutThenGetReturnsVersionOne) {
  auto put_result = put("/app/dev/url", "https://x");
  ASSERT_TRUE(put_result.ok()) << put_result.error().message;
  EXPECT_EQ(put_result->version, 1);
  EXPECT_EQ(put_result->tier, "Standard");
  auto got = engine_->get_parameter(scope_, "/app/dev/url", false);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->value, "https://x");
  EXPECT_EQ(got->type, "String");
  EXPECT_EQ(got->data_type, "text");
  EXPECT_EQ(got->last_modified, 1700000000);
  EXPECT_EQ(got->last_modified_user, "arn:aws:iam::000000000000:root");
}

TEST_F(SsmEngineTest, ExistingNameNeedsOverwriteAndEveryOverwriteBumpsTheVersion) {
  ASSERT_TRUE(put("p", "1").ok());
  auto again = put("p", "2");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, Reason::AlreadyExists);
  EXPECT_EQ(put("p", "1", nullptr, true)->version, 2);
  EXPECT_EQ(put("/p", "1", nullptr, true)->version, 3);  // "/p" and "p" are one parameter
  EXPECT_EQ(engine_->get_parameter(scope_, "p:2", false)->selector, ":2");
  EXPECT_EQ(engine_->get_parameter(scope_, "p:9", false).error().reason, Reason::VersionNotFound);
  EXPECT_EQ(engine_->get_parameter(scope_, "nope", false).error().reason, Reason::NotFound);
}

TEST_F(SsmEngineTest, TypeIsRequiredOnCreate) {
  auto r = put("p", "v", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason, Reason::InvalidInput);
}

TEST_F(SsmEngineTest, SecureStringIsEncryptedAtRest) {
  ASSERT_TRUE(put("/s", "hunter2", "SecureString").ok());
  auto hidden = engine_->get_parameter(scope_, "/s", false);
  ASSERT_TRUE(hidden.ok());
  EXPECT_NE(hidden->value, "hunter2");
  EXPECT_EQ(hidden->key_id, "alias/aws/ssm");
  EXPECT_EQ(engine_->get_parameter(scope_, "/s", true)->value, "hunter2");
  auto raw = db_->prepare("SELECT value FROM ssm_parameter_versions");
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(*raw->step());
  EXPECT_EQ(raw->text(0).find("hunter2"), std::string::npos);
  // Another account's key cannot open it, and the same name there is another parameter.
  Scope other{"111111111111", "us-east-1"};
  EXPECT_EQ(engine_->get_parameter(other, "/s", true).error().reason, Reason::NotFound);
}

TEST_F(SsmEngineTest, TiersAndValueLimits) {
  std::string big(4097, 'x');
  auto standard = put("/big", big);
  ASSERT_FALSE(standard.ok());
  EXPECT_NE(standard.error().message.find("maximum parameter value of 4096"), std::string::npos);

  PutParameterInput advanced{.name = "/big", .value = big, .type = "String", .tier = "Advanced"};
  EXPECT_EQ(engine_->put_parameter(scope_, std::move(advanced))->tier, "Advanced");
  PutParameterInput down{.name = "/big", .value = "small", .tier = "Standard", .overwrite = true};
  EXPECT_EQ(engine_->put_parameter(scope_, std::move(down)).error().reason, Reason::InvalidInput);
  PutParameterInput keep{.name = "/big", .value = "small", .overwrite = true};
  EXPECT_EQ(engine_->put_parameter(scope_, std::move(keep))->tier, "Advanced");

  PutParameterInput smart{.name = "/smart", .value = "v", .type = "String", .tier = "Intelligent-Tiering"};
  EXPECT_EQ(engine_->put_parameter(scope_, std::move(smart))->tier, "Standard");
  PutParameterInput too_big{.name = "/huge", .value = std::string(8193, 'x'), .type = "String", .tier = "Advanced"};
  EXPECT_FALSE(engine_->put_parameter(scope_, std::move(too_big)).ok());
}

TEST_F(SsmEngineTest, HundredVersionsThenOldestGoesUnlessLabelled) {
  ASSERT_TRUE(put("/v", "0").ok());
  for (int i = 1; i < 100; ++i) ASSERT_TRUE(put("/v", std::to_string(i), nullptr, true).ok());
  ASSERT_TRUE(engine_->label_parameter_version(scope_, "/v", 1, {"keep"}).ok());
  auto blocked = put("/v", "x", nullptr, true);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().reason, Reason::VersionLimit);
  ASSERT_TRUE(engine_->unlabel_parameter_version(scope_, "/v", 1, {"keep"}).ok());
  EXPECT_EQ(put("/v", "x", nullptr, true)->version, 101);
  EXPECT_EQ(engine_->get_parameter(scope_, "/v:1", false).error().reason, Reason::VersionNotFound);
  auto history = engine_->get_parameter_history(scope_, "/v", false, 50, "");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->items.front().version, 2);
  EXPECT_FALSE(history->next_token.empty());
  auto rest = engine_->get_parameter_history(scope_, "/v", false, 50, history->next_token);
  EXPECT_EQ(rest->items.back().version, 101);
  EXPECT_TRUE(rest->next_token.empty());
}

TEST_F(SsmEngineTest, LabelsMoveAndAreValidated) {
  ASSERT_TRUE(put("/l", "1").ok());
  ASSERT_TRUE(put("/l", "2", nullptr, true).ok());
  auto labelled = engine_->label_parameter_version(scope_, "/l", 1, {"prod", "1bad", "awsx"});
  ASSERT_TRUE(labelled.ok());
  EXPECT_EQ(labelled->invalid_labels, (std::vector<std::string>{"1bad", "awsx"}));
  EXPECT_EQ(engine_->get_parameter(scope_, "/l:prod", false)->value, "1");
  ASSERT_TRUE(engine_->label_parameter_version(scope_, "/l", std::nullopt, {"prod"}).ok());
  EXPECT_EQ(engine_->get_parameter(scope_, "/l:prod", false)->value, "2");
  EXPECT_EQ(engine_->get_parameter(scope_, "/l:gone", false).error().reason, Reason::NotFound);
  std::vector<std::string> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back("l" + std::to_string(i));
  EXPECT_EQ(engine_->label_parameter_version(scope_, "/l", 1, eleven).error().reason, Reason::LabelLimit);
  EXPECT_EQ(engine_->label_parameter_version(scope_, "/l", 7, {"x"}).error().reason, Reason::VersionNotFound);
  auto unlabelled = engine_->unlabel_parameter_version(scope_, "/l", 2, {"prod", "other"});
  EXPECT_EQ(unlabelled->removed_labels, std::vector<std::string>{"prod"});
  EXPECT_EQ(unlabelled->invalid_labels, std::vector<std::string>{"other"});
}

TEST_F(SsmEngineTest, ByPathOneLevelRecursiveAndPages) {
  for (const char* n : {"/app/a", "/app/b", "/app/c", "/app/sub/d", "/other/e", "top"}) ASSERT_TRUE(put(n, "v").ok());
  auto one = engine_->get_parameters_by_path(scope_, PathQuery{.path = "/app"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->items.size(), 3u);
  auto all = engine_->get_parameters_by_path(scope_, PathQuery{.path = "/app/", .recursive = true});
  EXPECT_EQ(all->items.size(), 4u);
  auto root = engine_->get_parameters_by_path(scope_, PathQuery{.path = "/"});
  ASSERT_EQ(root->items.size(), 1u);
  EXPECT_EQ(root->items[0].name, "top");

  std::vector<std::string> seen;
  std::string token;
  do {
    auto page = engine_->get_parameters_by_path(
        scope_, PathQuery{.path = "/", .recursive = true, .max_results = 2, .next_token = token});
    ASSERT_TRUE(page.ok());
    for (auto& p : page->items) seen.push_back(p.name);
    token = page->next_token;
  } while (!token.empty());
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_EQ(engine_->get_parameters_by_path(scope_, PathQuery{.path = "/", .next_token = "bad"}).error().reason,
            Reason::BadNextToken);
}

TEST_F(SsmEngineTest, DescribeFiltersAndTags) {
  ASSERT_TRUE(put("/d/one", "v").ok());
  ASSERT_TRUE(put("/d/two", "v", "SecureString").ok());
  ASSERT_TRUE(engine_->add_tags(scope_, "Parameter", "/d/one", {{"env", "dev"}}).ok());
  auto secure = engine_->describe_parameters(scope_, DescribeQuery{.filters = {{"Type", "", {"SecureString"}}}});
  ASSERT_TRUE(secure.ok());
  ASSERT_EQ(secure->items.size(), 1u);
  EXPECT_EQ(secure->items[0].name, "/d/two");
  EXPECT_TRUE(secure->items[0].value.empty());
  auto tagged = engine_->describe_parameters(scope_, DescribeQuery{.filters = {{"tag:env", "", {"dev"}}}});
  ASSERT_EQ(tagged->items.size(), 1u);
  EXPECT_EQ(tagged->items[0].name, "/d/one");
  auto both = engine_->describe_parameters(
      scope_, DescribeQuery{.filters = {{"Type", "", {"String"}}}, .legacy_filters = {{"Name", "", {"/d"}}}});
  EXPECT_EQ(both.error().reason, Reason::InvalidInput);
  EXPECT_EQ(engine_->list_tags(scope_, "Parameter", "/d/one")->size(), 1u);
  ASSERT_TRUE(engine_->remove_tags(scope_, "Parameter", "/d/one", {"env"}).ok());
  EXPECT_TRUE(engine_->list_tags(scope_, "Parameter", "/d/one")->empty());
  EXPECT_EQ(engine_->list_tags(scope_, "Parameter", "/d/none").error().reason, Reason::BadResourceId);
  EXPECT_EQ(engine_->list_tags(scope_, "Document", "/d/one").error().reason, Reason::BadResourceType);
}

TEST_F(SsmEngineTest, DeleteAndGetParameters) {
  ASSERT_TRUE(put("/x/b", "2").ok());
  ASSERT_TRUE(put("/x/a", "1").ok());
  auto got = engine_->get_parameters(scope_, {"/x/b", "/x/a", "/x/missing", "/x/a:5"}, false);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->parameters.size(), 2u);
  EXPECT_EQ(got->parameters[0].name, "/x/a");
  EXPECT_EQ(got->invalid, (std::vector<std::string>{"/x/missing", "/x/a:5"}));
  ASSERT_TRUE(engine_->delete_parameter(scope_, "/x/a").ok());
  EXPECT_EQ(engine_->delete_parameter(scope_, "/x/a").error().reason, Reason::NotFound);
  auto deleted = engine_->delete_parameters(scope_, {"/x/b", "/x/a"});
  EXPECT_EQ(deleted->deleted, std::vector<std::string>{"/x/b"});
  EXPECT_EQ(deleted->invalid, std::vector<std::string>{"/x/a"});
  EXPECT_EQ(put("/x/b", "again")->version, 1);  // a recreated parameter starts over
}

TEST_F(SsmEngineTest, AllowedPatternAndDataType) {
  PutParameterInput pattern{.name = "/n", .value = "abc", .type = "String", .allowed_pattern = "^\\d+$"};
  EXPECT_EQ(engine_->put_parameter(scope_, std::move(pattern)).error().reason, Reason::PatternMismatch);
  PutParameterInput broken{.name = "/n", .value = "1", .type = "String", .allowed_pattern = "("};
  EXPECT_EQ(engine_->put_parameter(scope_, std::move(broken)).error().reason, Reason::BadAllowedPattern);
  PutParameterInput ami{.name = "/ami", .value = "ami-12345678", .type = "String", .data_type = "aws:ec2:image"};
  EXPECT_TRUE(engine_->put_parameter(scope_, std::move(ami)).ok());
  PutParameterInput bad_ami{.name = "/ami2", .value = "nope", .type = "String", .data_type = "aws:ec2:image"};
  EXPECT_FALSE(engine_->put_parameter(scope_, std::move(bad_ami)).ok());
  PutParameterInput bad_type{.name = "/t", .value = "v", .type = "String", .data_type = "json"};
  EXPECT_FALSE(engine_->put_parameter(scope_, std::move(bad_type)).ok());
}

TEST_F(SsmEngineTest, ConcurrentWritersAllLand) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        PutParameterInput input{
            .name = "/c/" + std::to_string(t) + "/" + std::to_string(i), .value = "v", .type = "SecureString"};
        auto r = engine_->put_parameter(scope_, std::move(input));
        EXPECT_TRUE(r.ok()) << r.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto all = engine_->describe_parameters(scope_, DescribeQuery{.max_results = 50});
  int count = 0;
  std::string token;
  do {
    auto page = engine_->describe_parameters(scope_, DescribeQuery{.max_results = 50, .next_token = token});
    ASSERT_TRUE(page.ok());
    count += static_cast<int>(page->items.size());
    token = page->next_token;
  } while (!token.empty());
  EXPECT_EQ(count, 100);
}

}  // namespace
}  // namespace ssm
