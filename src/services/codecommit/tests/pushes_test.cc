// Pending pushes (engine/pushes.cc): the row written before git runs, settled once (by the push's
// completion or by the next start's reconciliation) with exactly the changes git really made.
// Real git moves the refs (update-ref stands in for receive-pack), SQLite is ":memory:".
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "git/process.h"
#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/engine/engines.h"
#include "testing/engine_fixture.h"

namespace codecommit {
namespace {

constexpr std::string_view kPusher = "arn:aws:iam::123456789012:user/pusher";
const std::string kZero(git::kZeroId);

class PendingPushTest : public testing_support::EngineWithBusTest<CodeCommitEngine> {
 protected:
  PendingPushTest() : EngineWithBusTest("codecommit-pushes-test") {}

  void SetUp() override {
    EngineWithBusTest::SetUp();
    auto created = engine_->create_repository(RepoRef{"123456789012", "us-east-1", "app"}, "", {});
    ASSERT_TRUE(created.ok());
    repo_ = *created;
  }

  Repository current() {
    auto r = engine_->get_repository(RepoRef{"123456789012", "us-east-1", repo_.name});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : Repository{};
  }

  git::RunResult git(const std::vector<std::string>& args, std::string input = "") {
    git::RunOptions options;
    options.git_dir = repo_.git_dir;
    options.input = std::move(input);
    options.env = {{"GIT_AUTHOR_NAME", "Ann"},
                   {"GIT_AUTHOR_EMAIL", "ann@example.com"},
                   {"GIT_COMMITTER_NAME", "Ann"},
                   {"GIT_COMMITTER_EMAIL", "ann@example.com"}};
    auto r = git::run(args, options);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->exit_code, 0) << r->err;
    return r.ok() ? *r : git::RunResult{};
  }

  std::string commit(const std::string& message) {
    std::string tree = git({"mktree"}, "").out.substr(0, 40);
    return git({"commit-tree", tree, "-m", message}).out.substr(0, 40);
  }

  // What receive-pack does to the ref.
  void move(const std::string& ref, const std::string& id) { git({"update-ref", ref, id}); }

  int64_t begin(const std::vector<PushedRef>& refs) {
    auto r = engine_->begin_push(repo_, refs, kPusher);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.ok() && *r);
    return r.ok() && *r ? **r : 0;
  }

  // A whole push: the row, git moving the refs, the recording.
  std::vector<RefChange> push(const std::vector<PushedRef>& refs) {
    int64_t id = begin(refs);
    for (const auto& r : refs) {
      if (r.new_id == kZero) {
        git({"update-ref", "-d", r.ref});
      } else {
        move(r.ref, r.new_id);
      }
    }
    auto recorded = engine_->finish_push(id);
    EXPECT_TRUE(recorded.ok());
    return recorded.ok() ? *recorded : std::vector<RefChange>{};
  }

  int64_t pending_rows() {
    auto s = db_->prepare("SELECT COUNT(*) FROM codecommit_pending_pushes");
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(s->step().ok());
    return s->integer(0);
  }

  // (event, referenceFullName, commitId or oldCommitId) of every codecommit event.
  std::vector<std::tuple<std::string, std::string, std::string>> events() {
    events::ReadQuery query;
    query.source = "aws.codecommit";
    auto r = bus_->read(query);
    EXPECT_TRUE(r.ok());
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    for (const auto& e : *r) {
      std::string id = e.detail.contains("commitId") ? e.detail["commitId"] : e.detail["oldCommitId"];
      out.emplace_back(e.detail["event"], e.detail["referenceFullName"], id);
    }
    return out;
  }

  Repository repo_;
};

TEST_F(PendingPushTest, TheRowIsCommittedBeforeGitRunsAndGoneOnceTheChangesAreRecorded) {
  std::string c1 = commit("one");
  int64_t id = begin({{"refs/heads/main", kZero, c1}});
  EXPECT_EQ(pending_rows(), 1);
  move("refs/heads/main", c1);
  EXPECT_TRUE(events().empty());

  auto recorded = engine_->finish_push(id);
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(recorded->size(), 1u);
  EXPECT_EQ((*recorded)[0].new_commit, c1);
  EXPECT_EQ(pending_rows(), 0);
  using Row = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(events(), (std::vector<Row>{{"referenceCreated", "refs/heads/main", c1}}));
  auto read = bus_->read(events::ReadQuery{});
  EXPECT_EQ((*read)[0].detail["callerUserArn"], kPusher);
  EXPECT_EQ(current().default_branch, "main");
}

TEST_F(PendingPushTest, OnlyTheCommandsGitCarriedOutAreRecorded) {
  std::string c1 = commit("one"), c2 = commit("two"), c3 = commit("three");
  move("refs/heads/main", c1);
  move("refs/tags/old", c1);
  int64_t id = begin({{"refs/heads/main", c1, c2},          // carried out
                      {"refs/heads/refused", kZero, c2},    // git refused it: never appears
                      {"refs/heads/other", kZero, c2},      // moved, but not to what was commanded
                      {"refs/tags/old", c1, kZero},         // deleted
                      {"refs/notes/commits", kZero, c2}});  // not a branch or tag
  move("refs/heads/main", c2);
  move("refs/heads/other", c3);
  git({"update-ref", "-d", "refs/tags/old"});
  move("refs/notes/commits", c2);

  auto recorded = engine_->finish_push(id);
  ASSERT_TRUE(recorded.ok());
  using Row = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(events(),
            (std::vector<Row>{{"referenceUpdated", "refs/heads/main", c2}, {"referenceDeleted", "refs/tags/old", c1}}));
}

TEST_F(PendingPushTest, TheFirstPushPrefersMainAsDefaultAndALaterBranchKeepsIt) {
  std::string c1 = commit("one"), c2 = commit("two");
  EXPECT_EQ(push({{"refs/heads/dev", kZero, c1}, {"refs/heads/main", kZero, c1}, {"refs/tags/v1", kZero, c1}}).size(),
            3u);
  EXPECT_EQ(current().default_branch, "main");
  EXPECT_EQ(git({"symbolic-ref", "HEAD"}).out, "refs/heads/main\n");
  push({{"refs/heads/main", c1, c2}, {"refs/tags/v1", c1, kZero}});
  using Row = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(events(), (std::vector<Row>{{"referenceCreated", "refs/heads/dev", c1},
                                        {"referenceCreated", "refs/heads/main", c1},
                                        {"referenceCreated", "refs/tags/v1", c1},
                                        {"referenceUpdated", "refs/heads/main", c2},
                                        {"referenceDeleted", "refs/tags/v1", c1}}));
  auto read = bus_->read(events::ReadQuery{});
  EXPECT_EQ((*read)[2].detail["referenceType"], "tag");
  EXPECT_EQ((*read)[2].detail["referenceName"], "v1");
  EXPECT_EQ((*read)[3].detail["oldCommitId"], c1);
  push({{"refs/heads/other", kZero, c2}});
  EXPECT_EQ(current().default_branch, "main");
}

TEST_F(PendingPushTest, APushOfNoBranchOrTagWritesNoRow) {
  auto r = engine_->begin_push(repo_, {{"refs/notes/commits", kZero, commit("n")}}, kPusher);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  r = engine_->begin_push(repo_, {}, kPusher);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_EQ(pending_rows(), 0);
}

TEST_F(PendingPushTest, ReconcileRecordsWhatAnInterruptedPushChangedAndTheFirstDefaultBranch) {
  std::string c1 = commit("one");
  begin({{"refs/heads/feature", kZero, c1}, {"refs/heads/main", kZero, c1}});
  move("refs/heads/feature", c1);
  move("refs/heads/main", c1);
  // The program dies here; a new engine on the same store starts.
  engine_ = std::make_unique<CodeCommitEngine>(*db_, clock_, dir_, *bus_);
  ASSERT_TRUE(engine_->migrate().ok());

  auto settled = engine_->reconcile_pushes();
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(*settled, 1u);
  using Row = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(events(), (std::vector<Row>{{"referenceCreated", "refs/heads/feature", c1},
                                        {"referenceCreated", "refs/heads/main", c1}}));
  EXPECT_EQ(current().default_branch, "main");
  EXPECT_EQ(git({"symbolic-ref", "HEAD"}).out, "refs/heads/main\n");
  EXPECT_EQ(pending_rows(), 0);
}

TEST_F(PendingPushTest, ReconcileRecordsNothingForAPushThatNeverMovedItsRef) {
  std::string c1 = commit("one"), c2 = commit("two");
  move("refs/heads/main", c1);
  begin({{"refs/heads/main", c1, c2}});
  begin({{"refs/heads/new", kZero, c2}});

  auto settled = engine_->reconcile_pushes();
  ASSERT_TRUE(settled.ok());
  EXPECT_EQ(*settled, 2u);
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(pending_rows(), 0);
  EXPECT_EQ(current().default_branch, "");
}

TEST_F(PendingPushTest, ReconcileSettlesPushesInTheOrderTheyBegan) {
  std::string c1 = commit("one"), c2 = commit("two");
  begin({{"refs/heads/main", kZero, c1}});
  move("refs/heads/main", c1);
  begin({{"refs/tags/v1", kZero, c2}});
  move("refs/tags/v1", c2);
  ASSERT_TRUE(engine_->reconcile_pushes().ok());
  using Row = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(events(),
            (std::vector<Row>{{"referenceCreated", "refs/heads/main", c1}, {"referenceCreated", "refs/tags/v1", c2}}));
}

TEST_F(PendingPushTest, APushIsRecordedOnceWhateverSettlesItAndHowOften) {
  std::string c1 = commit("one"), c2 = commit("two");
  int64_t first = begin({{"refs/heads/main", kZero, c1}});
  move("refs/heads/main", c1);
  ASSERT_TRUE(engine_->finish_push(first).ok());
  auto again = engine_->finish_push(first);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  ASSERT_TRUE(engine_->reconcile_pushes().ok());

  int64_t second = begin({{"refs/heads/main", c1, c2}});
  move("refs/heads/main", c2);
  ASSERT_TRUE(engine_->reconcile_pushes().ok());
  again = engine_->finish_push(second);  // the completion of a push the reconciliation settled
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());

  using Row = std::tuple<std::string, std::string, std::string>;
  EXPECT_EQ(events(), (std::vector<Row>{{"referenceCreated", "refs/heads/main", c1},
                                        {"referenceUpdated", "refs/heads/main", c2}}));
}

TEST_F(PendingPushTest, CompletionAndReconciliationRacingRecordEachPushOnce) {
  constexpr int kPushes = 12;
  std::string c1 = commit("one");
  for (int i = 0; i < kPushes; ++i) {
    std::string ref = fmt::format("refs/heads/b{}", i);
    int64_t id = begin({{ref, kZero, c1}});
    move(ref, c1);
    std::thread completion([&] { ASSERT_TRUE(engine_->finish_push(id).ok()); });
    std::thread restart([&] { ASSERT_TRUE(engine_->reconcile_pushes().ok()); });
    completion.join();
    restart.join();
  }
  auto recorded = events();
  ASSERT_EQ(recorded.size(), static_cast<size_t>(kPushes));
  for (int i = 0; i < kPushes; ++i) EXPECT_EQ(std::get<1>(recorded[i]), fmt::format("refs/heads/b{}", i));
  EXPECT_EQ(pending_rows(), 0);
}

TEST_F(PendingPushTest, AbandonedPushesRecordNothing) {
  std::string c1 = commit("one");
  int64_t id = begin({{"refs/heads/main", kZero, c1}});
  ASSERT_TRUE(engine_->abandon_push(id).ok());
  move("refs/heads/main", c1);  // someone else's doing
  auto r = engine_->finish_push(id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  EXPECT_TRUE(events().empty());
}

TEST_F(PendingPushTest, DeletingTheRepositoryDropsItsPendingPushes) {
  std::string c1 = commit("one");
  int64_t id = begin({{"refs/heads/main", kZero, c1}});
  move("refs/heads/main", c1);
  ASSERT_TRUE(engine_->delete_repository(RepoRef{"123456789012", "us-east-1", "app"}).ok());
  EXPECT_EQ(pending_rows(), 0);
  auto r = engine_->finish_push(id);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  ASSERT_TRUE(engine_->reconcile_pushes().ok());
  EXPECT_TRUE(events().empty());
}

// A push still running across POST /_hakobu/reset must not settle a later push's row.
TEST_F(PendingPushTest, AResetEmptiesTheTableAndIdsAreNeverReused) {
  std::string c1 = commit("one");
  int64_t before_reset = begin({{"refs/heads/main", kZero, c1}});
  ASSERT_TRUE(db_->reset_all().ok());
  engine_->on_reset();
  EXPECT_EQ(pending_rows(), 0);

  auto created = engine_->create_repository(RepoRef{"123456789012", "us-east-1", "app"}, "", {});
  ASSERT_TRUE(created.ok());
  repo_ = *created;
  c1 = commit("one");
  int64_t after_reset = begin({{"refs/heads/main", kZero, c1}});
  EXPECT_NE(after_reset, before_reset);
  auto stale = engine_->finish_push(before_reset);
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale->empty());
  EXPECT_EQ(pending_rows(), 1);
  move("refs/heads/main", c1);
  auto r = engine_->finish_push(after_reset);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
}

TEST(PendingPushStartUp, EnginesMigrateSettlesWhatACrashLeft) {
  common::TempDir temp("codecommit-pushes-startup");
  ASSERT_TRUE(temp.ok());
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  testing_support::FakeClock clock;
  events::Bus bus(**db, clock);
  ASSERT_TRUE(bus.migrate().ok());
  std::string pushed;
  {
    Engines before(**db, clock, temp.path(), bus);
    ASSERT_TRUE(before.migrate().ok());
    auto repo = before.repositories.create_repository(RepoRef{"123456789012", "us-east-1", "app"}, "", {});
    ASSERT_TRUE(repo.ok());
    git::RunOptions options;
    options.git_dir = repo->git_dir;
    options.env = {{"GIT_COMMITTER_NAME", "Ann"},
                   {"GIT_COMMITTER_EMAIL", "a@example.com"},
                   {"GIT_AUTHOR_NAME", "Ann"},
                   {"GIT_AUTHOR_EMAIL", "a@example.com"}};
    std::string tree = git::run({"mktree"}, options)->out.substr(0, 40);
    pushed = git::run({"commit-tree", tree, "-m", "one"}, options)->out.substr(0, 40);
    ASSERT_TRUE(before.repositories.begin_push(*repo, {{"refs/heads/main", kZero, pushed}}, kPusher).ok());
    ASSERT_EQ(git::run({"update-ref", "refs/heads/main", pushed}, options)->exit_code, 0);
  }
  Engines after(**db, clock, temp.path(), bus);
  ASSERT_TRUE(after.migrate().ok());
  auto repo = after.repositories.get_repository(RepoRef{"123456789012", "us-east-1", "app"});
  ASSERT_TRUE(repo.ok());
  EXPECT_EQ(repo->default_branch, "main");
  auto read = bus.read(events::ReadQuery{});
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].detail["event"], "referenceCreated");
  EXPECT_EQ((*read)[0].detail["commitId"], pushed);
}

}  // namespace
}  // namespace codecommit
