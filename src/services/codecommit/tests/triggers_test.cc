// CodeCommitEngine's triggers, tags, encryption key and file history against real git and
// ":memory:" SQLite.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>

#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/engine/internal.h"
#include "testing/engine_fixture.h"

namespace codecommit {
namespace {

constexpr std::string_view kCaller = "arn:aws:iam::123456789012:user/dev";
constexpr std::string_view kTopic = "arn:aws:sns:us-east-1:123456789012:MyTopic";

class TriggersTest : public testing_support::EngineWithBusTest<CodeCommitEngine> {
 protected:
  TriggersTest() : EngineWithBusTest("codecommit-triggers-test") {}

  void SetUp() override {
    EngineWithBusTest::SetUp();
    auto repo = engine_->create_repository(ref(), "", {{"team", "a"}});
    ASSERT_TRUE(repo.ok());
  }

  static RepoRef ref(const std::string& name = "app") { return RepoRef{"123456789012", "us-east-1", name}; }
  Repository repo() { return *engine_->get_repository(ref()); }

  static RepositoryTrigger trigger(std::string name, std::vector<std::string> events = {"all"}) {
    return RepositoryTrigger{std::move(name), std::string(kTopic), "", std::vector<std::string>{}, std::move(events)};
  }

  // The Errc a put of `triggers` fails with (Internal when it succeeds, which no test expects).
  Errc put_error(std::vector<RepositoryTrigger> triggers) {
    auto r = engine_->put_triggers(ref(), std::move(triggers));
    EXPECT_FALSE(r.ok());
    return r.ok() ? Errc::Internal : r.error().code;
  }

  // A commit on `branch` putting (or, with nullopt, deleting) `path`.
  std::string commit(const std::string& branch, const std::string& path, std::optional<std::string> content,
                     const std::string& other_path = "") {
    Repository current = repo();
    CommitRequest request;
    request.branch = branch;
    auto head = engine_->get_branch(current, branch);
    if (head.ok()) request.parent_commit_id = head->commit_id;
    request.author_name = "Ann";
    request.email = "ann@example.com";
    request.message = "change " + path;
    if (content) {
      request.puts.push_back(PutFileEntry{path, "", *content, {}, false});
    } else {
      request.deletes.push_back(path);
    }
    if (!other_path.empty()) request.puts.push_back(PutFileEntry{other_path, "", "x" + *content, {}, false});
    auto made = engine_->create_commit(current, request, kCaller);
    EXPECT_TRUE(made.ok()) << made.error().message;
    return made.ok() ? made->commit_id : "";
  }
};

TEST_F(TriggersTest, PutReplacesTheWholeListWithANewConfigurationId) {
  auto none = engine_->get_triggers(repo());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->configuration_id.empty());
  EXPECT_TRUE(none->triggers.empty());

  RepositoryTrigger first = trigger("first", {"updateReference", "createReference"});
  first.custom_data = "Project ID 12345";
  first.branches = std::vector<std::string>{"main", "release/1"};
  RepositoryTrigger second = trigger("second");
  second.destination_arn = "arn:aws:lambda:us-east-1:123456789012:function:MyFunction:prod";
  auto id1 = engine_->put_triggers(ref(), {first, second});
  ASSERT_TRUE(id1.ok()) << id1.error().message;
  auto got = engine_->get_triggers(repo());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->configuration_id, *id1);
  ASSERT_EQ(got->triggers.size(), 2u);
  EXPECT_EQ(got->triggers[0].name, "first");
  EXPECT_EQ(got->triggers[0].custom_data, "Project ID 12345");
  EXPECT_EQ(*got->triggers[0].branches, (std::vector<std::string>{"main", "release/1"}));
  EXPECT_EQ(got->triggers[0].events, (std::vector<std::string>{"updateReference", "createReference"}));
  EXPECT_EQ(got->triggers[1].destination_arn, second.destination_arn);

  auto id2 = engine_->put_triggers(ref(), {trigger("only")});
  ASSERT_TRUE(id2.ok());
  EXPECT_NE(*id2, *id1);
  got = engine_->get_triggers(repo());
  ASSERT_EQ(got->triggers.size(), 1u);
  EXPECT_EQ(got->triggers[0].name, "only");

  auto cleared = engine_->put_triggers(ref(), {});
  ASSERT_TRUE(cleared.ok());
  got = engine_->get_triggers(repo());
  EXPECT_EQ(got->configuration_id, *cleared);
  EXPECT_TRUE(got->triggers.empty());
}

TEST_F(TriggersTest, TriggerValidation) {
  EXPECT_EQ(put_error({trigger("")}), Errc::RepositoryTriggerNameRequired);
  EXPECT_EQ(put_error({trigger("has space")}), Errc::InvalidRepositoryTriggerName);
  EXPECT_EQ(put_error({trigger(std::string(101, 'a'))}), Errc::InvalidRepositoryTriggerName);
  EXPECT_EQ(put_error({trigger("twice"), trigger("twice")}), Errc::InvalidRepositoryTriggerName);
  EXPECT_EQ(put_error({trigger("t", {})}), Errc::RepositoryTriggerEventsListRequired);
  EXPECT_EQ(put_error({trigger("t", {"all", "createReference"})}), Errc::InvalidRepositoryTriggerEvents);
  EXPECT_EQ(put_error({trigger("t", {"push"})}), Errc::InvalidRepositoryTriggerEvents);

  std::vector<RepositoryTrigger> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back(trigger(fmt::format("t{}", i)));
  EXPECT_EQ(put_error(eleven), Errc::MaximumRepositoryTriggersExceeded);
  eleven.pop_back();
  EXPECT_TRUE(engine_->put_triggers(ref(), eleven).ok());

  auto with = [](std::function<void(RepositoryTrigger&)> change) {
    RepositoryTrigger t = trigger("t");
    change(t);
    return std::vector<RepositoryTrigger>{t};
  };
  EXPECT_EQ(put_error(with([](auto& t) { t.destination_arn = ""; })), Errc::RepositoryTriggerDestinationArnRequired);
  for (const char* arn : {"arn:aws:sqs:us-east-1:123456789012:queue",
                          "arn:aws:sns:us-east-1:123456789012:", "arn:aws:sns:us-east-1:12345:topic",
                          "arn:aws:lambda:us-east-1:123456789012:MyFunction", "not an arn"}) {
    EXPECT_EQ(put_error(with([&](auto& t) { t.destination_arn = arn; })), Errc::InvalidRepositoryTriggerDestinationArn)
        << arn;
  }
  EXPECT_EQ(put_error(with([](auto& t) { t.destination_arn = "arn:aws:sns:eu-west-1:123456789012:Topic"; })),
            Errc::InvalidRepositoryTriggerRegion);
  EXPECT_EQ(put_error(with([](auto& t) { t.custom_data = std::string(1001, 'x'); })),
            Errc::InvalidRepositoryTriggerCustomData);
  EXPECT_TRUE(engine_->put_triggers(ref(), with([](auto& t) { t.custom_data = std::string(1000, 'x'); })).ok());
  EXPECT_EQ(put_error(with([](auto& t) { t.branches.reset(); })), Errc::RepositoryTriggerBranchNameListRequired);
  EXPECT_EQ(put_error(with([](auto& t) { t.branches = std::vector<std::string>(11, "main"); })),
            Errc::MaximumBranchesExceeded);
  for (const char* branch : {"", "bad..name", "ends.lock", "has space"}) {
    EXPECT_EQ(put_error(with([&](auto& t) { t.branches = std::vector<std::string>{branch}; })),
              Errc::InvalidRepositoryTriggerBranchName)
        << branch;
  }
}

TEST_F(TriggersTest, TriggersGoWithTheirRepository) {
  ASSERT_TRUE(engine_->put_triggers(ref(), {trigger("t")}).ok());
  ASSERT_TRUE(engine_->delete_repository(ref()).ok());
  auto recreated = engine_->create_repository(ref(), "", {});
  ASSERT_TRUE(recreated.ok());
  auto got = engine_->get_triggers(*recreated);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->configuration_id.empty());
  bool stale_row = false;
  auto r = Sql::query(
      *db_, "SELECT 1 FROM codecommit_repository_triggers", [](store::Statement&) {},
      [&](store::Statement&) {
        stale_row = true;
        return false;
      });
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(stale_row);
  EXPECT_EQ(engine_->put_triggers(ref("missing"), {}).error().code, Errc::RepositoryDoesNotExist);
}

TEST_F(TriggersTest, TagAndUntag) {
  auto tagged = engine_->tag_repository(ref(), {{"team", "b"}, {"env", "dev"}});
  ASSERT_TRUE(tagged.ok()) << tagged.error().message;
  EXPECT_EQ(tagged->tags, (std::vector<std::pair<std::string, std::string>>{{"env", "dev"}, {"team", "b"}}));
  auto untagged = engine_->untag_repository(ref(), {"team", "never-set"});
  ASSERT_TRUE(untagged.ok());
  EXPECT_EQ(untagged->tags, (std::vector<std::pair<std::string, std::string>>{{"env", "dev"}}));
  EXPECT_EQ(repo().tags, untagged->tags);

  EXPECT_EQ(engine_->tag_repository(ref(), {}).error().code, Errc::TagsMapRequired);
  EXPECT_EQ(engine_->tag_repository(ref(), {{"aws:owner", "x"}}).error().code, Errc::InvalidSystemTagUsage);
  EXPECT_EQ(engine_->tag_repository(ref(), {{"AWS:owner", "x"}}).error().code, Errc::InvalidSystemTagUsage);
  EXPECT_EQ(engine_->tag_repository(ref(), {{std::string(129, 'k'), "x"}}).error().code, Errc::InvalidTagsMap);
  EXPECT_EQ(engine_->tag_repository(ref(), {{"k", std::string(257, 'v')}}).error().code, Errc::InvalidTagsMap);
  EXPECT_EQ(engine_->tag_repository(ref("missing"), {{"k", "v"}}).error().code, Errc::RepositoryDoesNotExist);
  EXPECT_EQ(engine_->untag_repository(ref(), {}).error().code, Errc::TagKeysListRequired);
  EXPECT_EQ(engine_->untag_repository(ref(), {""}).error().code, Errc::InvalidTagKeysList);
  EXPECT_EQ(engine_->untag_repository(ref(), {"aws:x"}).error().code, Errc::InvalidSystemTagUsage);
}

TEST_F(TriggersTest, FiftyTagsAtMostCountingOverwrites) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (int i = 0; i < 49; ++i) tags.emplace_back(fmt::format("k{}", i), "v");
  ASSERT_TRUE(engine_->tag_repository(ref(), tags).ok());  // + "team" = 50
  EXPECT_TRUE(engine_->tag_repository(ref(), {{"team", "overwritten"}}).ok());
  auto over = engine_->tag_repository(ref(), {{"one-more", "v"}});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Errc::TooManyTags);
  EXPECT_EQ(repo().tags.size(), 50u);
}

TEST_F(TriggersTest, EncryptionKey) {
  EXPECT_EQ(CodeCommitEngine::encryption_key_of(repo()), "alias/aws/codecommit");
  const std::string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  auto changed = engine_->set_encryption_key(ref(), key);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->repository_id, repo().id);
  EXPECT_EQ(changed->kms_key_id, key);
  EXPECT_EQ(changed->original_kms_key_id, "alias/aws/codecommit");
  EXPECT_EQ(CodeCommitEngine::encryption_key_of(repo()), key);
  auto again = engine_->set_encryption_key(ref(), "alias/my-key");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->original_kms_key_id, key);

  for (const char* valid : {"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
                            "arn:aws:kms:us-east-1:111122223333:alias/shared"}) {
    EXPECT_TRUE(engine_->set_encryption_key(ref(), valid).ok()) << valid;
  }
  for (const char* invalid : {"not-a-key", "1234abcd12ab34cd56ef1234567890ab", "alias/", "arn:aws:s3:::bucket",
                              "arn:aws:kms:us-east-1:123456789012:key/nope"}) {
    auto r = engine_->set_encryption_key(ref(), invalid);
    ASSERT_FALSE(r.ok()) << invalid;
    EXPECT_EQ(r.error().code, Errc::EncryptionKeyInvalidId) << invalid;
  }
  EXPECT_EQ(engine_->set_encryption_key(ref(), "").error().code, Errc::EncryptionKeyRequired);
  EXPECT_EQ(engine_->set_encryption_key(ref(), "arn:aws:kms:eu-west-1:123456789012:alias/k").error().code,
            Errc::EncryptionKeyNotFound);
  EXPECT_EQ(engine_->set_encryption_key(ref("missing"), "alias/k").error().code, Errc::RepositoryDoesNotExist);
}

TEST_F(TriggersTest, FileHistoryListsVersionsNewestFirstWithChildren) {
  std::string c1 = commit("main", "src/a.txt", "1");
  std::string c2 = commit("main", "other.txt", "unrelated");
  std::string c3 = commit("main", "src/a.txt", "2");
  std::string c4 = commit("main", "src/a.txt", "3");
  auto page = engine_->file_history(repo(), "", "/src/a.txt", 0, 100);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->versions.size(), 3u);
  EXPECT_FALSE(page->more);
  EXPECT_EQ(page->versions[0].commit.commit_id, c4);
  EXPECT_EQ(page->versions[1].commit.commit_id, c3);
  EXPECT_EQ(page->versions[2].commit.commit_id, c1);
  EXPECT_TRUE(page->versions[0].revision_children.empty());
  EXPECT_EQ(page->versions[1].revision_children, std::vector<std::string>{c4});
  EXPECT_EQ(page->versions[2].revision_children, std::vector<std::string>{c3});
  EXPECT_EQ(page->versions[0].path, "src/a.txt");
  auto file = engine_->get_file(repo(), c3, "src/a.txt");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(page->versions[1].blob_id, file->blob_id);
  // The commit as GetCommit reports it (real parents, not the simplified ones).
  auto full = engine_->get_commit(repo(), c3);
  ASSERT_TRUE(full.ok());
  const Commit& listed = page->versions[1].commit;
  EXPECT_EQ(listed.parents, std::vector<std::string>{c2});
  EXPECT_EQ(listed.tree_id, full->tree_id);
  EXPECT_EQ(listed.message, full->message);
  EXPECT_EQ(listed.author.name, full->author.name);
  EXPECT_EQ(listed.author.email, full->author.email);
  EXPECT_EQ(listed.author.date, full->author.date);
  EXPECT_EQ(listed.committer.date, full->committer.date);

  // From an older commit, and paged.
  auto older = engine_->file_history(repo(), c3, "src/a.txt", 0, 100);
  ASSERT_TRUE(older.ok());
  ASSERT_EQ(older->versions.size(), 2u);
  EXPECT_EQ(older->versions[0].commit.commit_id, c3);
  auto first = engine_->file_history(repo(), "main", "src/a.txt", 0, 2);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->versions.size(), 2u);
  EXPECT_TRUE(first->more);
  auto rest = engine_->file_history(repo(), "main", "src/a.txt", 2, 2);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->versions.size(), 1u);
  EXPECT_FALSE(rest->more);
  EXPECT_EQ(rest->versions[0].commit.commit_id, c1);
  EXPECT_EQ(rest->versions[0].revision_children, std::vector<std::string>{c3});
}

TEST_F(TriggersTest, FileHistorySkipsDeletionsAndKeepsTheChain) {
  std::string added = commit("main", "a.txt", "1", "keep.txt");
  commit("main", "a.txt", std::nullopt);
  std::string readded = commit("main", "a.txt", "2");
  auto page = engine_->file_history(repo(), "", "a.txt", 0, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->versions.size(), 2u);
  EXPECT_EQ(page->versions[0].commit.commit_id, readded);
  EXPECT_EQ(page->versions[1].commit.commit_id, added);
  EXPECT_EQ(page->versions[1].revision_children, std::vector<std::string>{readded});

  auto never = engine_->file_history(repo(), "", "nothing-here.txt", 0, 100);
  ASSERT_TRUE(never.ok());
  EXPECT_TRUE(never->versions.empty());
  EXPECT_EQ(engine_->file_history(repo(), "", "../etc/passwd", 0, 100).error().code, Errc::InvalidPath);
  EXPECT_EQ(engine_->file_history(repo(), "nope", "a.txt", 0, 100).error().code, Errc::CommitDoesNotExist);
  auto empty = engine_->create_repository(ref("empty"), "", {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(engine_->file_history(*empty, "", "a.txt", 0, 100).error().code, Errc::CommitDoesNotExist);
}

}  // namespace
}  // namespace codecommit
