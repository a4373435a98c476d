// CodeCommitEngine's files and commits (PutFile, DeleteFile, CreateCommit, GetFile, GetFolder,
// GetBlob, GetDifferences) against real git and ":memory:" SQLite.
#include <gtest/gtest.h>

#include "common/temp_dir.h"
#include "events/bus.h"
#include "git/process.h"
#include "services/codecommit/engine/codecommit_engine.h"
#include "testing/fake_clock.h"

namespace codecommit {
namespace {

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::Db::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    bus_ = std::make_unique<events::Bus>(*db_, clock_);
    ASSERT_TRUE(bus_->migrate().ok());
    engine_ = std::make_unique<CodeCommitEngine>(*db_, clock_, temp_.path(), *bus_);
    ASSERT_TRUE(engine_->migrate().ok());
    auto repo = engine_->create_repository(RepoRef{"123456789012", "us-east-1", "app"}, "", {});
    ASSERT_TRUE(repo.ok());
    repo_ = *repo;
  }

  Repository fresh() { return *engine_->get_repository(RepoRef{"123456789012", "us-east-1", "app"}); }

  Result<CommitOutcome> put(const std::string& branch, const std::string& parent, const std::string& path,
                            const std::string& content, const std::string& mode = "") {
    CommitRequest request;
    request.branch = branch;
    request.parent_commit_id = parent;
    request.author_name = "Ann";
    request.email = "ann@example.com";
    request.message = "put " + path;
    request.single_file = true;
    request.puts.push_back(PutFileEntry{path, mode, content, {}, false});
    return engine_->create_commit(fresh(), request, "arn:aws:iam::123456789012:user/dev");
  }

  testing_support::FakeClock clock_;
  common::TempDir temp_{"codecommit-files-test"};
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<CodeCommitEngine> engine_;
  Repository repo_;
};

TEST_F(FilesTest, PutFileToEmptyRepositoryCreatesDefaultBranch) {
  auto first = put("main", "", "src/app.py", "print(1)\n");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->added.size(), 1u);
  Repository repo = fresh();
  EXPECT_EQ(repo.default_branch, "main");
  auto file = engine_->get_file(repo, "", "/src/app.py");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->content, "print(1)\n");
  EXPECT_EQ(file->commit_id, first->commit_id);
  EXPECT_EQ(file->mode, "NORMAL");
  EXPECT_EQ(file->size, 9);
  auto blob = engine_->get_blob(repo, file->blob_id);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(*blob, "print(1)\n");
  auto commit = engine_->get_commit(repo, first->commit_id);
  ASSERT_TRUE(commit.ok());
  EXPECT_EQ(commit->author.name, "Ann");
  EXPECT_EQ(commit->message, "put src/app.py");
  EXPECT_TRUE(commit->parents.empty());
}

TEST_F(FilesTest, ParentCommitRules) {
  auto first = put("main", "", "a.txt", "1");
  ASSERT_TRUE(first.ok());
  auto missing_parent = put("main", "", "a.txt", "2");
  ASSERT_FALSE(missing_parent.ok());
  EXPECT_EQ(missing_parent.error().code, Errc::ParentCommitIdRequired);
  auto second = put("main", first->commit_id, "a.txt", "2");
  ASSERT_TRUE(second.ok());
  auto outdated = put("main", first->commit_id, "a.txt", "3");
  ASSERT_FALSE(outdated.ok());
  EXPECT_EQ(outdated.error().code, Errc::ParentCommitIdOutdated);
  auto unknown = put("main", std::string(40, 'a'), "a.txt", "3");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Errc::ParentCommitDoesNotExist);
  auto same = put("main", second->commit_id, "a.txt", "2");
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().code, Errc::SameFileContent);
  // A new branch starts at the given parent.
  auto feature = put("feature", second->commit_id, "b.txt", "b", "EXECUTABLE");
  ASSERT_TRUE(feature.ok()) << feature.error().message;
  auto b = engine_->get_file(fresh(), "feature", "b.txt");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->mode, "EXECUTABLE");
  EXPECT_FALSE(engine_->get_file(fresh(), "main", "b.txt").ok());
}

TEST_F(FilesTest, ConflictsAndFolders) {
  auto first = put("main", "", "dir/a.txt", "a");
  ASSERT_TRUE(first.ok());
  auto onto_folder = put("main", first->commit_id, "dir", "x");
  ASSERT_FALSE(onto_folder.ok());
  EXPECT_EQ(onto_folder.error().code, Errc::FileNameConflictsWithDirectoryName);
  auto under_file = put("main", first->commit_id, "dir/a.txt/b", "x");
  ASSERT_FALSE(under_file.ok());
  EXPECT_EQ(under_file.error().code, Errc::DirectoryNameConflictsWithFileName);
  auto link = put("main", first->commit_id, "dir/link", "a.txt", "SYMLINK");
  ASSERT_TRUE(link.ok());
  auto folder = engine_->get_folder(fresh(), "main", "/");
  ASSERT_TRUE(folder.ok());
  ASSERT_EQ(folder->sub_folders.size(), 1u);
  EXPECT_EQ(folder->sub_folders[0].absolute_path, "dir");
  auto sub = engine_->get_folder(fresh(), "main", "dir");
  ASSERT_TRUE(sub.ok());
  ASSERT_EQ(sub->files.size(), 1u);
  EXPECT_EQ(sub->files[0].absolute_path, "dir/a.txt");
  EXPECT_EQ(sub->files[0].relative_path, "a.txt");
  ASSERT_EQ(sub->symbolic_links.size(), 1u);
  EXPECT_EQ(sub->symbolic_links[0].mode, "SYMLINK");
  auto none = engine_->get_folder(fresh(), "main", "nope");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, Errc::FolderDoesNotExist);
}

TEST_F(FilesTest, CreateCommitAndDifferences) {
  auto first = put("main", "", "a.txt", "a");
  ASSERT_TRUE(first.ok());
  CommitRequest request;
  request.branch = "main";
  request.parent_commit_id = first->commit_id;
  request.message = "many";
  request.keep_empty_folders = false;
  request.puts.push_back(PutFileEntry{"b/c.txt", "", "c", {}, false});
  request.puts.push_back(PutFileEntry{"moved.txt", "", "", std::string("a.txt"), true});
  auto outcome = engine_->create_commit(fresh(), request, "arn:aws:iam::123456789012:user/dev");
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->added.size(), 2u);
  EXPECT_EQ(outcome->deleted.size(), 1u);
  auto diffs = engine_->get_differences(fresh(), first->commit_id, "main", "", "");
  ASSERT_TRUE(diffs.ok());
  ASSERT_EQ(diffs->size(), 3u);
  EXPECT_EQ((*diffs)[0].change_type, "D");  // a.txt
  EXPECT_FALSE((*diffs)[0].after.has_value());
  EXPECT_EQ((*diffs)[1].change_type, "A");  // b/c.txt
  auto scoped = engine_->get_differences(fresh(), "", "main", "", "b");
  ASSERT_TRUE(scoped.ok());
  EXPECT_EQ(scoped->size(), 1u);

  CommitRequest removal;
  removal.branch = "main";
  removal.parent_commit_id = outcome->commit_id;
  removal.keep_empty_folders = true;
  removal.deletes = {"b/c.txt"};
  auto removed = engine_->create_commit(fresh(), removal, "");
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_TRUE(engine_->get_file(fresh(), "main", "b/.gitkeep").ok());
  removal.parent_commit_id = removed->commit_id;
  removal.deletes = {"nope.txt"};
  auto gone = engine_->create_commit(fresh(), removal, "");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, Errc::FileDoesNotExist);
  CommitRequest empty;
  empty.branch = "main";
  empty.parent_commit_id = removed->commit_id;
  auto nothing = engine_->create_commit(fresh(), empty, "");
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().code, Errc::NoChange);
}

}  // namespace
}  // namespace codecommit
