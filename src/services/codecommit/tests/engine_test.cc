// CodeCommitEngine against real SQLite (":memory:"), a temporary data directory and real git.
#include "services/codecommit/engine/codecommit_engine.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/temp_dir.h"
#include "events/bus.h"
#include "git/process.h"
#include "testing/engine_fixture.h"

namespace codecommit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCaller = "arn:aws:iam::123456789012:user/dev";

class CodeCommitEngineTest : public testing_support::EngineWithBusTest<CodeCommitEngine> {
 protected:
  CodeCommitEngineTest() : EngineWithBusTest("codecommit-engine-test") {}

  static RepoRef ref(const std::string& name) { return RepoRef{"123456789012", "us-east-1", name}; }

  Repository create(const std::string& name) {
    auto r = engine_->create_repository(ref(name), "", {});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : Repository{};
  }

  // A commit made with plumbing straight into the bare repository (no branch points at it).
  std::string commit(const Repository& repo, const std::string& message, const std::string& parent = "") {
    git::RunOptions options;
    options.git_dir = repo.git_dir;
    options.env = {{"GIT_AUTHOR_NAME", "Ann"},
                   {"GIT_AUTHOR_EMAIL", "ann@example.com"},
                   {"GIT_AUTHOR_DATE", "1569278400 +0000"},
                   {"GIT_COMMITTER_NAME", "Bob"},
                   {"GIT_COMMITTER_EMAIL", "bob@example.com"},
                   {"GIT_COMMITTER_DATE", "1569278460 +0200"}};
    options.input = "hello " + message + "\n";
    auto blob = git::run({"hash-object", "-w", "--stdin"}, options);
    std::string blob_id = blob->out.substr(0, 40);
    options.input = "100644 blob " + blob_id + "\tREADME.md\n";
    auto tree = git::run({"mktree"}, options);
    std::string tree_id = tree->out.substr(0, 40);
    options.input = message;
    std::vector<std::string> args{"commit-tree", tree_id};
    if (!parent.empty()) args.insert(args.end(), {"-p", parent});
    auto made = git::run(args, options);
    EXPECT_EQ(made->exit_code, 0) << made->err;
    return made->out.substr(0, 40);
  }

  std::vector<events::Event> codecommit_events() {
    events::ReadQuery query;
    query.source = "aws.codecommit";
    auto r = bus_->read(query);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<events::Event>{};
  }
};

TEST_F(CodeCommitEngineTest, CreateMakesRowAndBareRepository) {
  auto created = engine_->create_repository(ref("app"), "the app", {{"team", "a"}});
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->id.size(), 36u);
  EXPECT_EQ(created->arn, "arn:aws:codecommit:us-east-1:123456789012:app");
  EXPECT_EQ(created->git_dir, dir_ + "/repos/" + created->id + ".git");
  EXPECT_TRUE(fs::exists(created->git_dir + "/HEAD"));
  EXPECT_EQ(created->default_branch, "");
  EXPECT_EQ(created->created, clock_.now());
  git::RunOptions options;
  options.git_dir = created->git_dir;
  EXPECT_EQ(git::run({"config", "http.receivepack"}, options)->out, "true\n");
  EXPECT_EQ(git::run({"config", "receive.denyDeleteCurrent"}, options)->out, "false\n");

  auto got = engine_->get_repository(ref("app"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, created->id);
  EXPECT_EQ(got->description, "the app");
  ASSERT_EQ(got->tags.size(), 1u);
  EXPECT_EQ(got->tags[0].second, "a");
}

TEST_F(CodeCommitEngineTest, NamesFollowCodeCommitsRule) {
  for (const std::string& bad :
       std::vector<std::string>{"", "a b", "x.git", "a/b", std::string(101, 'a'), "caf\xc3\xa9"}) {
    auto r = engine_->create_repository(ref(bad), "", {});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::InvalidRepositoryName) << bad;
  }
  for (const std::string& good : std::vector<std::string>{"a", "My_Repo-1.0", ".git-tools", std::string(100, 'z')}) {
    EXPECT_TRUE(engine_->create_repository(ref(good), "", {}).ok()) << good;
  }
}

TEST_F(CodeCommitEngineTest, DuplicateNameFailsPerAccountAndRegion) {
  create("app");
  auto again = engine_->create_repository(ref("app"), "", {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::RepositoryNameExists);
  EXPECT_TRUE(engine_->create_repository(RepoRef{"123456789012", "eu-west-1", "app"}, "", {}).ok());
  EXPECT_TRUE(engine_->create_repository(RepoRef{"210987654321", "us-east-1", "app"}, "", {}).ok());
}

TEST_F(CodeCommitEngineTest, ListIsSortedByNameWithinAccountAndRegion) {
  create("b");
  create("a");
  ASSERT_TRUE(engine_->create_repository(RepoRef{"123456789012", "eu-west-1", "c"}, "", {}).ok());
  auto listed = engine_->list_repositories("123456789012", "us-east-1");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "a");
  EXPECT_EQ((*listed)[1].name, "b");
}

TEST_F(CodeCommitEngineTest, DeleteRemovesRowAndDirectory) {
  Repository repo = create("app");
  auto deleted = engine_->delete_repository(ref("app"));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->id, repo.id);
  EXPECT_FALSE(fs::exists(repo.git_dir));
  auto missing = engine_->get_repository(ref("app"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::RepositoryDoesNotExist);
  auto again = engine_->delete_repository(ref("app"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::RepositoryDoesNotExist);
}

TEST_F(CodeCommitEngineTest, RenameKeepsIdAndRefusesTakenNames) {
  Repository repo = create("old");
  create("taken");
  clock_.advance(std::chrono::seconds(60));
  auto clash = engine_->rename_repository(ref("old"), "taken");
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, Errc::RepositoryNameExists);
  auto bad = engine_->rename_repository(ref("old"), "x.git");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::InvalidRepositoryName);
  auto renamed = engine_->rename_repository(ref("old"), "new");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->id, repo.id);
  EXPECT_EQ(renamed->arn, "arn:aws:codecommit:us-east-1:123456789012:new");
  EXPECT_EQ(renamed->modified, clock_.now());
  EXPECT_EQ(renamed->created, repo.created);
  EXPECT_FALSE(engine_->get_repository(ref("old")).ok());
}

TEST_F(CodeCommitEngineTest, DescriptionUpdatesModified) {
  create("app");
  clock_.advance(std::chrono::seconds(5));
  auto updated = engine_->set_description(ref("app"), "new text");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(engine_->get_repository(ref("app"))->description, "new text");
  EXPECT_EQ(engine_->get_repository(ref("app"))->modified, clock_.now());
}

TEST_F(CodeCommitEngineTest, CreateBranchPublishesAndBecomesDefault) {
  Repository repo = create("app");
  std::string c1 = commit(repo, "first");
  auto branch = engine_->create_branch(repo, "feature", c1, kCaller);
  ASSERT_TRUE(branch.ok()) << branch.error().message;
  EXPECT_EQ(branch->commit_id, c1);
  EXPECT_EQ(engine_->get_repository(ref("app"))->default_branch, "feature");
  git::RunOptions options;
  options.git_dir = repo.git_dir;
  EXPECT_EQ(git::run({"symbolic-ref", "HEAD"}, options)->out, "refs/heads/feature\n");

  auto events = codecommit_events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].detail_type, "CodeCommit Repository State Change");
  EXPECT_EQ(events[0].resources, std::vector<std::string>{repo.arn});
  const auto& d = events[0].detail;
  EXPECT_EQ(d["event"], "referenceCreated");
  EXPECT_EQ(d["repositoryName"], "app");
  EXPECT_EQ(d["repositoryId"], repo.id);
  EXPECT_EQ(d["referenceType"], "branch");
  EXPECT_EQ(d["referenceName"], "feature");
  EXPECT_EQ(d["referenceFullName"], "refs/heads/feature");
  EXPECT_EQ(d["commitId"], c1);
  EXPECT_EQ(d["callerUserArn"], kCaller);
  EXPECT_FALSE(d.contains("oldCommitId"));
}

TEST_F(CodeCommitEngineTest, CreateBranchErrors) {
  Repository repo = create("app");
  std::string c1 = commit(repo, "first");
  ASSERT_TRUE(engine_->create_branch(repo, "main", c1, kCaller).ok());
  auto exists = engine_->create_branch(repo, "main", c1, kCaller);
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().code, Errc::BranchNameExists);
  auto missing = engine_->create_branch(repo, "x", std::string(40, 'a'), kCaller);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::CommitDoesNotExist);
  auto invalid = engine_->create_branch(repo, "x", "not-an-id", kCaller);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, Errc::InvalidCommitId);
  auto bad_name = engine_->create_branch(repo, "a..b", c1, kCaller);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().code, Errc::InvalidBranchName);
  EXPECT_EQ(codecommit_events().size(), 1u);
}

TEST_F(CodeCommitEngineTest, BranchesListGetAndDelete) {
  Repository repo = create("app");
  std::string c1 = commit(repo, "first");
  std::string c2 = commit(repo, "second", c1);
  ASSERT_TRUE(engine_->create_branch(repo, "main", c1, kCaller).ok());
  ASSERT_TRUE(engine_->create_branch(repo, "feature/x", c2, kCaller).ok());
  auto branches = engine_->list_branches(repo);
  ASSERT_TRUE(branches.ok());
  ASSERT_EQ(branches->size(), 2u);
  EXPECT_EQ((*branches)[0].name, "feature/x");
  EXPECT_EQ((*branches)[1].name, "main");
  EXPECT_EQ(engine_->get_branch(repo, "feature/x")->commit_id, c2);
  auto prefix = engine_->get_branch(repo, "feature");
  ASSERT_FALSE(prefix.ok());
  EXPECT_EQ(prefix.error().code, Errc::BranchDoesNotExist);

  auto refuse = engine_->delete_branch(repo, "main", kCaller);
  ASSERT_FALSE(refuse.ok());
  EXPECT_EQ(refuse.error().code, Errc::DefaultBranchCannotBeDeleted);
  auto deleted = engine_->delete_branch(repo, "feature/x", kCaller);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->commit_id, c2);
  auto gone = engine_->delete_branch(repo, "feature/x", kCaller);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, Errc::BranchDoesNotExist);

  auto events = codecommit_events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].detail["event"], "referenceDeleted");
  EXPECT_EQ(events[2].detail["oldCommitId"], c2);
  EXPECT_FALSE(events[2].detail.contains("commitId"));
}

TEST_F(CodeCommitEngineTest, DefaultBranchMustExist) {
  Repository repo = create("app");
  std::string c1 = commit(repo, "first");
  ASSERT_TRUE(engine_->create_branch(repo, "main", c1, kCaller).ok());
  ASSERT_TRUE(engine_->create_branch(repo, "dev", c1, kCaller).ok());
  auto missing = engine_->set_default_branch(ref("app"), "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::BranchDoesNotExist);
  ASSERT_TRUE(engine_->set_default_branch(ref("app"), "dev").ok());
  EXPECT_EQ(engine_->get_repository(ref("app"))->default_branch, "dev");
  EXPECT_TRUE(engine_->delete_branch(repo, "main", kCaller).ok());
}

TEST_F(CodeCommitEngineTest, GetCommitParsesGitObject) {
  Repository repo = create("app");
  std::string c1 = commit(repo, "first");
  std::string c2 = commit(repo, "second line\n\nbody\n", c1);
  auto got = engine_->get_commit(repo, c2);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->commit_id, c2);
  EXPECT_EQ(got->tree_id.size(), 40u);
  EXPECT_EQ(got->parents, std::vector<std::string>{c1});
  EXPECT_EQ(got->message, "second line\n\nbody\n");
  EXPECT_EQ(got->author.name, "Ann");
  EXPECT_EQ(got->author.email, "ann@example.com");
  EXPECT_EQ(got->author.date, "1569278400 +0000");
  EXPECT_EQ(got->committer.name, "Bob");
  EXPECT_EQ(got->committer.date, "1569278460 +0200");
  EXPECT_TRUE(engine_->get_commit(repo, c1)->parents.empty());
  auto missing = engine_->get_commit(repo, std::string(40, 'b'));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::CommitDoesNotExist);
  auto invalid = engine_->get_commit(repo, "zzz");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, Errc::InvalidCommitId);
}

TEST_F(CodeCommitEngineTest, RefsListsHeadsAndTags) {
  Repository repo = create("app");
  std::string c1 = commit(repo, "first");
  ASSERT_TRUE(engine_->create_branch(repo, "main", c1, kCaller).ok());
  git::RunOptions options;
  options.git_dir = repo.git_dir;
  ASSERT_EQ(git::run({"update-ref", "refs/tags/v1", c1}, options)->exit_code, 0);
  auto refs = engine_->refs(repo);
  ASSERT_TRUE(refs.ok());
  ASSERT_EQ(refs->size(), 2u);
  EXPECT_EQ((*refs)[0], (std::pair<std::string, std::string>{"refs/heads/main", c1}));
  EXPECT_EQ((*refs)[1], (std::pair<std::string, std::string>{"refs/tags/v1", c1}));
}

TEST_F(CodeCommitEngineTest, MigrateRemovesDirectoriesWithoutRows) {
  create("app");
  fs::create_directories(dir_ + "/repos/orphan.git");
  ASSERT_TRUE(engine_->migrate().ok());
  EXPECT_FALSE(fs::exists(dir_ + "/repos/orphan.git"));
  EXPECT_TRUE(fs::exists(engine_->get_repository(ref("app"))->git_dir));
}

}  // namespace
}  // namespace codecommit
