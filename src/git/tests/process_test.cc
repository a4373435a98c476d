// git::run against the real git binary.
#include "git/process.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/temp_dir.h"

namespace git {
namespace {

namespace fs = std::filesystem;

class GitProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(temp_.ok());
    dir_ = temp_.path();
  }
  common::TempDir temp_{"git-process-test"};
  std::string dir_;
};

TEST_F(GitProcessTest, VersionIsReadFromStdout) {
  auto r = run({"--version"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->exit_code, 0);
  EXPECT_EQ(r->out.rfind("git version ", 0), 0u) << r->out;
  EXPECT_TRUE(r->err.empty());
}

TEST_F(GitProcessTest, FailureKeepsExitCodeAndStderr) {
  auto r = run({"no-such-command-xyz"});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->exit_code, 0);
  EXPECT_NE(r->err.find("no-such-command-xyz"), std::string::npos) << r->err;
}

TEST_F(GitProcessTest, InitsBareRepositoryInWorkDir) {
  auto r = run({"init", "--bare", "-q", "--initial-branch=main", "repo.git"}, RunOptions{"", "", {}, dir_});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  EXPECT_TRUE(fs::exists(dir_ + "/repo.git/HEAD"));
  auto head = run({"symbolic-ref", "HEAD"}, RunOptions{dir_ + "/repo.git", "", {}, ""});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->out, "refs/heads/main\n");
}

TEST_F(GitProcessTest, StdinIsWrittenWhileOutputIsRead) {
  ASSERT_EQ(run({"init", "--bare", "-q", dir_ + "/r.git"})->exit_code, 0);
  // Larger than any pipe buffer in both directions: a writer that does not read meanwhile
  // would deadlock here.
  std::string content(4 << 20, 'x');
  for (size_t i = 0; i < content.size(); i += 97) content[i] = static_cast<char>('a' + i % 26);
  auto hashed = run({"hash-object", "-w", "--stdin"}, RunOptions{dir_ + "/r.git", content, {}, ""});
  ASSERT_TRUE(hashed.ok());
  ASSERT_EQ(hashed->exit_code, 0) << hashed->err;
  std::string id = hashed->out.substr(0, hashed->out.find('\n'));
  EXPECT_EQ(id.size(), 40u);
  auto back = run({"cat-file", "blob", id}, RunOptions{dir_ + "/r.git", "", {}, ""});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->out, content);
  // cat-file --batch echoes as it reads: input and output interleave.
  std::string batch;
  for (int i = 0; i < 2000; ++i) batch += id + "\n";
  auto batched = run({"cat-file", "--batch-check"}, RunOptions{dir_ + "/r.git", batch, {}, ""});
  ASSERT_TRUE(batched.ok());
  EXPECT_EQ(batched->out.size(), 2000 * (id.size() + std::string(" blob 4194304\n").size()));
}

TEST_F(GitProcessTest, EnvironmentIsMinimalPlusOptions) {
  auto r = run({"var", "GIT_AUTHOR_IDENT"},
               RunOptions{"", "", {{"GIT_AUTHOR_NAME", "Ann"}, {"GIT_AUTHOR_EMAIL", "ann@example.com"}}, ""});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->exit_code, 0) << r->err;
  EXPECT_EQ(r->out.rfind("Ann <ann@example.com> ", 0), 0u) << r->out;
}

TEST_F(GitProcessTest, ChildThatIgnoresInputDoesNotHang) {
  std::string input(1 << 20, 'y');
  auto r = run({"--version"}, RunOptions{"", input, {}, ""});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0);
}

}  // namespace
}  // namespace git
