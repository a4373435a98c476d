// MergeEngine against real git, ":memory:" SQLite and a FakeClock: the three merge strategies,
// conflicts at file and line level, resolution strategies and conflictResolution, the target
// branch's compare-and-swap, the merge event, and the read-only analysis (options, conflicts,
// hunks, merge commit).
#include "services/codecommit/engine/merges.h"

#include <gtest/gtest.h>

#include <map>

#include "git/process.h"
#include "testing/engine_fixture.h"

namespace codecommit {
namespace {

constexpr std::string_view kCaller = "arn:aws:iam::123456789012:user/dev";

class MergesTest : public testing_support::EngineWithBusTest<CodeCommitEngine> {
 protected:
  MergesTest() : EngineWithBusTest("codecommit-merges-test") {}

  void SetUp() override {
    EngineWithBusTest::SetUp();
    merges_ = std::make_unique<MergeEngine>(*engine_);
    auto repo = engine_->create_repository(RepoRef{"123456789012", "us-east-1", "app"}, "", {});
    ASSERT_TRUE(repo.ok());
    // base: a.txt (5 lines) and docs/readme.md on main; feature branches from it.
    base_ = commit("main", "", {{"a.txt", "1\n2\n3\n4\n5\n"}, {"docs/readme.md", "read me\n"}});
    ASSERT_TRUE(engine_->create_branch(repo_(), "feature", base_, kCaller).ok());
  }

  Repository repo_() { return *engine_->get_repository(RepoRef{"123456789012", "us-east-1", "app"}); }

  // A commit on `branch` (parent = its tip, or `parent` for the first commit).
  std::string commit(const std::string& branch, const std::string& parent,
                     const std::map<std::string, std::string>& puts, const std::vector<std::string>& deletes = {},
                     const std::vector<std::pair<std::string, std::string>>& modes = {}) {
    CommitRequest request;
    request.branch = branch;
    auto tip = engine_->get_branch(repo_(), branch);
    request.parent_commit_id = tip.ok() ? tip->commit_id : parent;
    request.author_name = "Ann";
    request.email = "ann@example.com";
    request.message = "change " + branch;
    for (const auto& [path, content] : puts) request.puts.push_back(PutFileEntry{path, "", content, {}, false});
    request.deletes = deletes;
    request.set_modes = modes;
    auto made = engine_->create_commit(repo_(), request, kCaller);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
    return made.ok() ? made->commit_id : "";
  }

  std::string tip(const std::string& branch) {
    auto b = engine_->get_branch(repo_(), branch);
    return b.ok() ? b->commit_id : "";
  }

  std::string file(const std::string& commit_id, const std::string& path) {
    auto f = engine_->get_file(repo_(), commit_id, path);
    return f.ok() ? f->content : "<missing>";
  }

  static MergeInput input(const std::string& level = "", const std::string& strategy = "") {
    MergeInput in;
    in.source = "feature";
    in.destination = "main";
    in.conflict_detail_level = level;
    in.conflict_resolution_strategy = strategy;
    in.author_name = "Merger";
    in.email = "merger@example.com";
    in.message = "merge feature";
    return in;
  }

  // Both branches change line 2 of a.txt differently; feature also changes line 5.
  void conflicting_edits() {
    commit("main", "", {{"a.txt", "1\nmain\n3\n4\n5\n"}});
    commit("feature", "", {{"a.txt", "1\nfeature\n3\n4\nfive\n"}});
  }

  std::vector<events::Event> events_() {
    events::ReadQuery query;
    query.source = "aws.codecommit";
    auto r = bus_->read(query);
    return r.ok() ? *r : std::vector<events::Event>{};
  }

  std::unique_ptr<MergeEngine> merges_;
  std::string base_;
};

TEST_F(MergesTest, FastForwardMovesTheTargetKeepsTheSourceAndPublishesTheMerge) {
  std::string feature = commit("feature", "", {{"b.txt", "b\n"}});
  auto merged = merges_->merge_branches(repo_(), MergeOption::FastForward, input(), "", kCaller);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->commit_id, feature);
  EXPECT_EQ(tip("main"), feature);
  EXPECT_EQ(tip("feature"), feature);  // merges never delete the source branch
  auto last = events_().back();
  EXPECT_EQ(last.detail["event"], "referenceUpdated");
  EXPECT_EQ(last.detail["referenceName"], "main");
  EXPECT_EQ(last.detail["commitId"], feature);
  EXPECT_EQ(last.detail["oldCommitId"], base_);
  EXPECT_EQ(last.detail["baseCommitId"], base_);
  EXPECT_EQ(last.detail["sourceCommitId"], feature);
  EXPECT_EQ(last.detail["destinationCommitId"], base_);
  EXPECT_EQ(last.detail["mergeOption"], "FAST_FORWARD_MERGE");
  EXPECT_EQ(last.detail["conflictDetailsLevel"], "FILE_LEVEL");
  EXPECT_EQ(last.detail["conflictResolutionStrategy"], "NONE");
  EXPECT_EQ(last.detail["callerUserArn"], std::string(kCaller));
}

TEST_F(MergesTest, FastForwardOfDivergedBranchesNeedsAManualMerge) {
  commit("feature", "", {{"b.txt", "b\n"}});
  std::string main = commit("main", "", {{"c.txt", "c\n"}});
  auto merged = merges_->merge_branches(repo_(), MergeOption::FastForward, input(), "", kCaller);
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error().code, Errc::ManualMergeRequired);
  EXPECT_EQ(tip("main"), main);
}

TEST_F(MergesTest, SquashMakesOneCommitOnTheDestination) {
  std::string feature = commit("feature", "", {{"b.txt", "b\n"}});
  std::string main = commit("main", "", {{"c.txt", "c\n"}});
  auto merged = merges_->merge_branches(repo_(), MergeOption::Squash, input(), "main", kCaller);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  auto made = engine_->get_commit(repo_(), merged->commit_id);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->parents, std::vector<std::string>{main});
  EXPECT_EQ(made->tree_id, merged->tree_id);
  EXPECT_EQ(made->author.name, "Merger");
  EXPECT_EQ(made->message, "merge feature");
  EXPECT_EQ(file(merged->commit_id, "b.txt"), "b\n");
  EXPECT_EQ(file(merged->commit_id, "c.txt"), "c\n");
  EXPECT_EQ(tip("main"), merged->commit_id);
  EXPECT_EQ(tip("feature"), feature);
  EXPECT_EQ(events_().back().detail["mergeOption"], "SQUASH_MERGE");
}

TEST_F(MergesTest, ThreeWayMakesAMergeCommitWithDestinationFirst) {
  std::string feature = commit("feature", "", {{"b.txt", "b\n"}});
  std::string main = commit("main", "", {{"c.txt", "c\n"}});
  auto merged = merges_->merge_branches(repo_(), MergeOption::ThreeWay, input(), "", kCaller);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  auto made = engine_->get_commit(repo_(), merged->commit_id);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->parents, (std::vector<std::string>{main, feature}));
  auto merge_commit = merges_->get_merge_commit(repo_(), input());
  ASSERT_TRUE(merge_commit.ok());
  EXPECT_EQ(merge_commit->merged_commit_id, merged->commit_id);
  EXPECT_EQ(merge_commit->commits.base_commit_id, feature);
}

TEST_F(MergesTest, AlreadyMergedSourceIsNothingToDo) {
  std::string main = commit("main", "", {{"c.txt", "c\n"}});
  size_t events = events_().size();
  for (MergeOption option : {MergeOption::FastForward, MergeOption::Squash, MergeOption::ThreeWay}) {
    auto merged = merges_->merge_branches(repo_(), option, input(), "", kCaller);
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    EXPECT_EQ(merged->commit_id, main);
  }
  EXPECT_EQ(tip("main"), main);
  EXPECT_EQ(events_().size(), events);
  auto merge_commit = merges_->get_merge_commit(repo_(), input());
  ASSERT_TRUE(merge_commit.ok());
  EXPECT_EQ(merge_commit->merged_commit_id, base_);  // the source itself is on main's line
}

TEST_F(MergesTest, FileLevelConflictsOnAnyFileBothChangedLineLevelMergesLines) {
  commit("main", "", {{"a.txt", "one\n2\n3\n4\n5\n"}});
  commit("feature", "", {{"a.txt", "1\n2\n3\n4\nfive\n"}});
  auto file_level = merges_->get_merge_conflicts(repo_(), MergeOption::Squash, input());
  ASSERT_TRUE(file_level.ok()) << file_level.error().message;
  EXPECT_FALSE(file_level->mergeable);
  ASSERT_EQ(file_level->conflicts.size(), 1u);
  EXPECT_TRUE(file_level->conflicts[0].content_conflict);
  auto failed = merges_->merge_branches(repo_(), MergeOption::Squash, input(), "", kCaller);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, Errc::ManualMergeRequired);

  for (const auto& [level, strategy] : {std::pair{"LINE_LEVEL", ""}, std::pair{"FILE_LEVEL", "AUTOMERGE"}}) {
    auto clean = merges_->get_merge_conflicts(repo_(), MergeOption::ThreeWay, input(level, strategy));
    ASSERT_TRUE(clean.ok());
    EXPECT_TRUE(clean->mergeable) << level << " " << strategy;
  }
  auto merged = merges_->merge_branches(repo_(), MergeOption::ThreeWay, input("LINE_LEVEL"), "", kCaller);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(file(merged->commit_id, "a.txt"), "one\n2\n3\n4\nfive\n");
  EXPECT_EQ(events_().back().detail["conflictDetailsLevel"], "LINE_LEVEL");
}

TEST_F(MergesTest, LineConflictMetadataAndHunks) {
  conflicting_edits();
  auto conflicts = merges_->get_merge_conflicts(repo_(), MergeOption::ThreeWay, input("LINE_LEVEL"));
  ASSERT_TRUE(conflicts.ok());
  EXPECT_FALSE(conflicts->mergeable);
  ASSERT_EQ(conflicts->conflicts.size(), 1u);
  const MergeConflict& c = conflicts->conflicts[0];
  EXPECT_EQ(c.path, "a.txt");
  EXPECT_TRUE(c.content_conflict);
  EXPECT_FALSE(c.file_mode_conflict);
  EXPECT_FALSE(c.object_type_conflict);
  EXPECT_EQ(c.number_of_conflicts, 1);
  EXPECT_EQ(c.source_operation, "M");
  EXPECT_EQ(c.destination_operation, "M");
  EXPECT_EQ(c.source.size, 19);
  EXPECT_EQ(c.destination.size, 13);
  EXPECT_EQ(c.base.size, 10);
  EXPECT_EQ(c.source.mode, "NORMAL");
  EXPECT_EQ(c.base.object_type, "FILE");
  EXPECT_FALSE(c.source.binary);

  auto described = merges_->describe_merge_conflicts(repo_(), MergeOption::ThreeWay, input("LINE_LEVEL"), {"a.txt"});
  ASSERT_TRUE(described.ok()) << described.error().message;
  ASSERT_EQ(described->described.size(), 1u);
  const auto& hunks = described->described[0].hunks;
  ASSERT_EQ(hunks.size(), 2u);
  EXPECT_TRUE(hunks[0].is_conflict);
  EXPECT_EQ(hunks[0].source.start_line, 1);
  EXPECT_EQ(hunks[0].source.end_line, 2);
  EXPECT_EQ(hunks[0].source.content, "feature\n");
  EXPECT_EQ(hunks[0].destination.content, "main\n");
  ASSERT_TRUE(hunks[0].base.has_value());
  EXPECT_EQ(hunks[0].base->content, "2\n");
  EXPECT_FALSE(hunks[1].is_conflict);  // only the source changed line 5
  EXPECT_EQ(hunks[1].source.content, "five\n");
  EXPECT_EQ(hunks[1].destination.content, "5\n");

  auto missing = merges_->describe_merge_conflicts(repo_(), MergeOption::Squash, input(), {"nope.txt"});
  ASSERT_TRUE(missing.ok());
  ASSERT_EQ(missing->errors.size(), 1u);
  EXPECT_EQ(missing->errors[0].second.code, Errc::FileDoesNotExist);
  auto fast = merges_->describe_merge_conflicts(repo_(), MergeOption::FastForward, input(), {"a.txt"});
  ASSERT_FALSE(fast.ok());
  EXPECT_EQ(fast.error().code, Errc::InvalidMergeOption);
}

TEST_F(MergesTest, AcceptStrategiesSettleConflicts) {
  conflicting_edits();
  std::string main = tip("main");
  auto source =
      merges_->create_unreferenced_merge_commit(repo_(), MergeOption::ThreeWay, input("LINE_LEVEL", "ACCEPT_SOURCE"));
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(file(source->commit_id, "a.txt"), "1\nfeature\n3\n4\nfive\n");
  auto destination = merges_->create_unreferenced_merge_commit(repo_(), MergeOption::Squash,
                                                               input("FILE_LEVEL", "ACCEPT_DESTINATION"));
  ASSERT_TRUE(destination.ok()) << destination.error().message;
  EXPECT_EQ(file(destination->commit_id, "a.txt"), "1\nmain\n3\n4\n5\n");  // the whole file at FILE_LEVEL
  auto favoured = merges_->create_unreferenced_merge_commit(repo_(), MergeOption::Squash,
                                                            input("LINE_LEVEL", "ACCEPT_DESTINATION"));
  ASSERT_TRUE(favoured.ok());
  EXPECT_EQ(file(favoured->commit_id, "a.txt"), "1\nmain\n3\n4\nfive\n");  // only the conflicting lines
  auto options = merges_->get_merge_options(repo_(), input("LINE_LEVEL", "ACCEPT_SOURCE"));
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->options, (std::vector<MergeOption>{MergeOption::Squash, MergeOption::ThreeWay}));
  EXPECT_EQ(tip("main"), main);  // unreferenced commits move nothing
}

TEST_F(MergesTest, ConflictResolutionEntries) {
  conflicting_edits();
  MergeInput in = input("LINE_LEVEL", "AUTOMERGE");
  in.resolution.replace_contents.push_back(ReplaceContent{"a.txt", "USE_NEW_CONTENT", "resolved\n", "EXECUTABLE"});
  auto merged = merges_->merge_branches(repo_(), MergeOption::ThreeWay, in, "", kCaller);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  auto f = engine_->get_file(repo_(), merged->commit_id, "a.txt");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->content, "resolved\n");
  EXPECT_EQ(f->mode, "EXECUTABLE");
  EXPECT_EQ(tip("main"), merged->commit_id);
}

TEST_F(MergesTest, ConflictResolutionErrors) {
  conflicting_edits();
  auto attempt = [&](ConflictResolution resolution) -> std::optional<Errc> {
    MergeInput in = input("LINE_LEVEL");
    in.resolution = std::move(resolution);
    auto r = merges_->create_unreferenced_merge_commit(repo_(), MergeOption::Squash, in);
    if (r.ok()) return std::nullopt;
    return r.error().code;
  };
  EXPECT_EQ(attempt({{{"docs/readme.md", "KEEP_SOURCE", std::nullopt, ""}}, {}, {}}), Errc::InvalidConflictResolution);
  EXPECT_EQ(attempt({{{"a.txt", "KEEP_SOURCE", std::nullopt, ""}}, {"a.txt"}, {}}),
            Errc::MultipleConflictResolutionEntries);
  EXPECT_EQ(attempt({{{"a.txt", "USE_NEW_CONTENT", std::nullopt, ""}}, {}, {}}), Errc::ReplacementContentRequired);
  EXPECT_EQ(attempt({{{"a.txt", "KEEP_ALL", std::nullopt, ""}}, {}, {}}), Errc::InvalidReplacementType);
  EXPECT_EQ(attempt({{{"a.txt", "", std::nullopt, ""}}, {}, {}}), Errc::ReplacementTypeRequired);
  EXPECT_EQ(attempt({{{"a.txt", "KEEP_SOURCE", std::nullopt, "WRITABLE"}}, {}, {}}), Errc::InvalidFileMode);
  EXPECT_EQ(attempt({{{"a.txt", "USE_NEW_CONTENT", std::string(7 * 1024 * 1024, 'x'), ""}}, {}, {}}),
            Errc::FileContentSizeLimitExceeded);
  EXPECT_EQ(attempt({{}, {"../a.txt"}, {}}), Errc::InvalidPath);
  EXPECT_EQ(attempt({{}, {}, {{"a.txt", "EXECUTABLE"}}}), Errc::InvalidConflictResolution);  // contents conflict
  EXPECT_EQ(attempt({}), Errc::ManualMergeRequired);
  EXPECT_EQ(attempt({{{"a.txt", "KEEP_BASE", std::nullopt, ""}}, {}, {}}), std::nullopt);
}

TEST_F(MergesTest, DeleteAgainstModifyIsAConflictAndDeleteFilesResolvesIt) {
  commit("main", "", {{"a.txt", "changed\n"}});
  commit("feature", "", {}, {"a.txt"});
  auto conflicts = merges_->get_merge_conflicts(repo_(), MergeOption::Squash, input("LINE_LEVEL"));
  ASSERT_TRUE(conflicts.ok());
  ASSERT_EQ(conflicts->conflicts.size(), 1u);
  EXPECT_EQ(conflicts->conflicts[0].source_operation, "D");
  EXPECT_EQ(conflicts->conflicts[0].destination_operation, "M");
  EXPECT_FALSE(conflicts->conflicts[0].source.exists);
  MergeInput in = input("LINE_LEVEL");
  in.resolution.delete_files.push_back("a.txt");
  auto merged = merges_->merge_branches(repo_(), MergeOption::Squash, in, "", kCaller);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(file(merged->commit_id, "a.txt"), "<missing>");
}

TEST_F(MergesTest, TypeAndFolderConflicts) {
  commit("main", "", {{"x/y.txt", "folder\n"}}, {}, {{"a.txt", "EXECUTABLE"}});
  commit("feature", "", {{"x", "file\n"}}, {}, {{"a.txt", "SYMLINK"}});
  auto conflicts = merges_->get_merge_conflicts(repo_(), MergeOption::ThreeWay, input("LINE_LEVEL"));
  ASSERT_TRUE(conflicts.ok()) << conflicts.error().message;
  ASSERT_EQ(conflicts->conflicts.size(), 2u);
  const MergeConflict& link = conflicts->conflicts[0];
  EXPECT_EQ(link.path, "a.txt");
  EXPECT_TRUE(link.object_type_conflict);
  EXPECT_EQ(link.source.object_type, "SYMBOLIC_LINK");
  EXPECT_EQ(link.destination.mode, "EXECUTABLE");
  const MergeConflict& folder = conflicts->conflicts[1];
  EXPECT_EQ(folder.path, "x");
  EXPECT_TRUE(folder.object_type_conflict);
  EXPECT_EQ(folder.source.object_type, "FILE");
  EXPECT_EQ(folder.destination.object_type, "DIRECTORY");
  EXPECT_FALSE(folder.base.exists);
}

TEST_F(MergesTest, KeepEmptyFoldersLeavesAGitkeep) {
  commit("feature", "", {}, {"docs/readme.md"});
  commit("main", "", {{"c.txt", "c\n"}});
  MergeInput in = input();
  in.keep_empty_folders = true;
  auto kept = merges_->create_unreferenced_merge_commit(repo_(), MergeOption::Squash, in);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(file(kept->commit_id, "docs/.gitkeep"), "");
  auto dropped = merges_->create_unreferenced_merge_commit(repo_(), MergeOption::Squash, input());
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(file(dropped->commit_id, "docs/.gitkeep"), "<missing>");
}

TEST_F(MergesTest, TargetBranchMustStillBeAtTheDestination) {
  commit("feature", "", {{"b.txt", "b\n"}});
  std::string old_main = tip("main");
  commit("main", "", {{"c.txt", "c\n"}});
  MergeInput in = input();
  in.destination = old_main;
  auto moved = merges_->merge_branches(repo_(), MergeOption::ThreeWay, in, "main", kCaller);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code, Errc::ConcurrentReferenceUpdate);
  auto elsewhere = merges_->merge_branches(repo_(), MergeOption::FastForward, in, "", kCaller);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().code, Errc::BranchDoesNotExist);  // a commit id names no branch
}

TEST_F(MergesTest, InputErrors) {
  auto code = [&](MergeInput in, std::string_view target = "") -> std::optional<Errc> {
    auto r = merges_->merge_branches(repo_(), MergeOption::Squash, in, target, kCaller);
    if (r.ok()) return std::nullopt;
    return r.error().code;
  };
  MergeInput in = input();
  in.source = "";
  EXPECT_EQ(code(in), Errc::CommitRequired);
  in.source = "nope";
  EXPECT_EQ(code(in), Errc::CommitDoesNotExist);
  EXPECT_EQ(code(input("PAGE_LEVEL")), Errc::InvalidConflictDetailLevel);
  EXPECT_EQ(code(input("", "MAGIC")), Errc::InvalidConflictResolutionStrategy);
  EXPECT_EQ(code(input(), "bad..name"), Errc::InvalidTargetBranch);
  EXPECT_EQ(code(input(), "missing"), Errc::BranchDoesNotExist);
  ASSERT_EQ(git::run({"tag", "v1", base_}, git::RunOptions{repo_().git_dir, "", {}, ""})->exit_code, 0);
  EXPECT_EQ(code(input(), "v1"), Errc::BranchNameIsTagName);
  auto unreferenced = merges_->create_unreferenced_merge_commit(repo_(), MergeOption::FastForward, input());
  ASSERT_FALSE(unreferenced.ok());
  EXPECT_EQ(unreferenced.error().code, Errc::InvalidMergeOption);
}

TEST_F(MergesTest, MergeOptionsAndMergeCommit) {
  std::string feature = commit("feature", "", {{"b.txt", "b\n"}});
  auto all = merges_->get_merge_options(repo_(), input());
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->options.size(), 3u);
  EXPECT_EQ(all->commits.base_commit_id, base_);
  auto none = merges_->get_merge_commit(repo_(), input());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->merged_commit_id.has_value());
  ASSERT_TRUE(merges_->merge_branches(repo_(), MergeOption::FastForward, input(), "", kCaller).ok());
  auto merged = merges_->get_merge_commit(repo_(), input());
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->merged_commit_id, feature);

  conflicting_edits();
  auto conflicted = merges_->get_merge_options(repo_(), input());
  ASSERT_TRUE(conflicted.ok());
  EXPECT_TRUE(conflicted->options.empty());
}

TEST_F(MergesTest, UnreferencedMergeCommitMovesNothing) {
  std::string feature = commit("feature", "", {{"b.txt", "b\n"}});
  std::string main = commit("main", "", {{"c.txt", "c\n"}});
  size_t events = events_().size();
  auto made = merges_->create_unreferenced_merge_commit(repo_(), MergeOption::ThreeWay, input());
  ASSERT_TRUE(made.ok()) << made.error().message;
  auto c = engine_->get_commit(repo_(), made->commit_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->parents, (std::vector<std::string>{main, feature}));
  EXPECT_EQ(tip("main"), main);
  EXPECT_EQ(tip("feature"), feature);
  EXPECT_EQ(events_().size(), events);
}

}  // namespace
}  // namespace codecommit
