// Artifact selection on a fixture tree: base-directory globs, files patterns, exclude-paths,
// discard-paths, symlinks, and the CLIENT_ERROR for an empty selection. The first two cases are
// the examples of AWS's buildspec reference.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/temp_dir.h"
#include "services/codebuild/buildspec/artifacts.h"
#include "services/codebuild/buildspec/glob.h"

namespace buildspec {
namespace {

namespace fs = std::filesystem;

class ArtifactsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() + "/src";
    for (const std::string file :
         {"my-build-1/my-file-1.txt", "my-build-2/my-file-2.txt", "my-build-2/my-subdirectory/my-file-3.txt",
          "target/app.jar", "target/classes/A.class", "target/classes/pkg/B.class", "logs/run.log", ".hidden",
          "README.md", "dist/index.html", "dist/js/app.js", "node_modules/x/index.js", "a/same.txt", "b/same.txt"}) {
      write(file, "content of " + file);
    }
    write(dir_.path() + "/outside.txt", "outside", /*absolute=*/true);
    fs::create_symlink("target/app.jar", root_ + "/link-internal");
    fs::create_symlink("dist", root_ + "/link-dir");
    fs::create_symlink(dir_.path() + "/outside.txt", root_ + "/link-external");
    fs::create_symlink("missing", root_ + "/link-dangling");
    fs::create_symlink("..", root_ + "/dist/js/loop");  // a cycle, cut where it comes back to dist
  }

  void write(const std::string& path, const std::string& content, bool absolute = false) {
    const fs::path p = absolute ? fs::path(path) : fs::path(root_) / path;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
  }

  // The archive paths `spec` selects (symlink entries get " -> target").
  std::vector<std::string> select(const ArtifactSpec& spec, std::vector<std::string>* log = nullptr) {
    auto files = select_artifacts(root_, spec, log);
    EXPECT_TRUE(files.ok()) << (files.ok() ? "" : files.error().describe());
    std::vector<std::string> out;
    if (!files.ok()) return out;
    for (const auto& f : *files) out.push_back(f.archive_path + (f.symlink ? " -> " + f.link_target : ""));
    return out;
  }

  common::TempDir dir_{"hakobu-artifacts-test"};
  std::string root_;
};

TEST_F(ArtifactsTest, AwsExampleBaseDirectoryAndWildcardDirectory) {
  ArtifactSpec spec;
  spec.files = {"*/my-file-3.txt"};
  spec.base_directory = "my-build-2";
  EXPECT_EQ(select(spec), (std::vector<std::string>{"my-subdirectory/my-file-3.txt"}));
}

TEST_F(ArtifactsTest, AwsExampleGlobbedBaseDirectoriesWithDiscardPaths) {
  ArtifactSpec spec;
  spec.files = {"**/*"};
  spec.base_directory = "my-build*";
  spec.discard_paths = true;
  EXPECT_EQ(select(spec), (std::vector<std::string>{"my-file-1.txt", "my-file-2.txt", "my-file-3.txt"}));
}

TEST_F(ArtifactsTest, EverythingRecursivelyFollowsLinksAndCutsLoops) {
  ArtifactSpec spec;
  spec.files = {"**/*"};
  const std::vector<std::string> expected{".hidden",
                                          "README.md",
                                          "a/same.txt",
                                          "b/same.txt",
                                          "dist/index.html",
                                          "dist/js/app.js",
                                          "link-dir/index.html",
                                          "link-dir/js/app.js",
                                          "link-external",
                                          "link-internal",
                                          "logs/run.log",
                                          "my-build-1/my-file-1.txt",
                                          "my-build-2/my-file-2.txt",
                                          "my-build-2/my-subdirectory/my-file-3.txt",
                                          "node_modules/x/index.js",
                                          "target/app.jar",
                                          "target/classes/A.class",
                                          "target/classes/pkg/B.class"};
  EXPECT_EQ(select(spec), expected);
  auto files = select_artifacts(root_, spec);
  ASSERT_TRUE(files.ok());
  for (const auto& f : *files) {
    if (f.archive_path == "link-internal") {
      EXPECT_EQ(f.source_path,
                fs::canonical(root_).string() + "/link-internal");  // read through the link: the jar's content
      EXPECT_FALSE(f.symlink);
    }
  }
}

TEST_F(ArtifactsTest, SingleStarIsOneLevelAndDoubleStarRecurses) {
  ArtifactSpec direct;
  direct.files = {"target/*"};
  EXPECT_EQ(select(direct), (std::vector<std::string>{"target/app.jar"}));
  ArtifactSpec recursive;
  recursive.files = {"target/**/*"};
  EXPECT_EQ(select(recursive),
            (std::vector<std::string>{"target/app.jar", "target/classes/A.class", "target/classes/pkg/B.class"}));
  ArtifactSpec by_extension;
  by_extension.files = {"**/*.class", "README.md"};
  EXPECT_EQ(select(by_extension),
            (std::vector<std::string>{"README.md", "target/classes/A.class", "target/classes/pkg/B.class"}));
}

TEST_F(ArtifactsTest, ALiteralDirectorySelectsEveryFileUnderIt) {
  ArtifactSpec spec;
  spec.files = {"./dist"};
  EXPECT_EQ(select(spec), (std::vector<std::string>{"dist/index.html", "dist/js/app.js"}));
}

TEST_F(ArtifactsTest, ExcludePathsMatchFilesAndTheirDirectories) {
  ArtifactSpec spec;
  spec.files = {"**/*"};
  spec.exclude_paths = {"**/*.log", "node_modules", "dist/**/*", "link-*", "my-build-*", "target/classes", ".*"};
  EXPECT_EQ(select(spec), (std::vector<std::string>{"README.md", "a/same.txt", "b/same.txt", "target/app.jar"}));
}

TEST_F(ArtifactsTest, DiscardPathsKeepsTheLaterFileOfOneName) {
  ArtifactSpec spec;
  spec.files = {"b/same.txt", "a/same.txt"};
  spec.discard_paths = true;
  auto files = select_artifacts(root_, spec);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].archive_path, "same.txt");
  EXPECT_EQ((*files)[0].source_path, fs::canonical(root_).string() + "/a/same.txt");
}

TEST_F(ArtifactsTest, EnableSymlinksKeepsInternalLinksOnly) {
  ArtifactSpec spec;
  spec.files = {"link-*", "dist/**/*"};
  spec.enable_symlinks = true;
  // A dangling link that points inside the tree is a link like any other.
  EXPECT_EQ(select(spec), (std::vector<std::string>{"dist/index.html", "dist/js/app.js", "dist/js/loop -> ..",
                                                    "link-dangling -> missing", "link-dir -> dist", "link-external",
                                                    "link-internal -> target/app.jar"}));
}

TEST_F(ArtifactsTest, NothingMatchedIsAClientError) {
  ArtifactSpec spec;
  spec.files = {"nothing/*", "../outside.txt", "link-dangling"};
  std::vector<std::string> log;
  auto files = select_artifacts(root_, spec, &log);
  ASSERT_FALSE(files.ok());
  EXPECT_EQ(files.error().code, "CLIENT_ERROR");
  EXPECT_EQ(files.error().message, "no matching artifact paths found");
  EXPECT_EQ(files.error().describe(), "CLIENT_ERROR Message: no matching artifact paths found");
  const std::vector<std::string> expected{"Expanding base directory path:  .",
                                          "Assembling file list",
                                          "Expanding .",
                                          "Expanding file paths for base directory .",
                                          "Assembling file list",
                                          "Expanding nothing/*",
                                          "Skipping invalid file path nothing/*",
                                          "Expanding ../outside.txt",
                                          "Skipping invalid file path ../outside.txt",
                                          "Expanding link-dangling",
                                          "Skipping invalid file path link-dangling"};
  EXPECT_EQ(log, expected);
  ArtifactSpec missing_base;
  missing_base.files = {"**/*"};
  missing_base.base_directory = "no-such-dir*";
  EXPECT_FALSE(select_artifacts(root_, missing_base).ok());
}

TEST_F(ArtifactsTest, LogNarratesTheSelectionLikeAws) {
  ArtifactSpec spec;
  spec.files = {"README.md"};
  std::vector<std::string> log;
  EXPECT_EQ(select(spec, &log), (std::vector<std::string>{"README.md"}));
  EXPECT_EQ(log.back(), "Found 1 file(s)");
  EXPECT_EQ(log.front(), "Expanding base directory path:  .");
}

TEST_F(ArtifactsTest, AbsolutePatternsReadFromTheFilesystemRoot) {
  ArtifactSpec spec;
  spec.files = {dir_.path() + "/outside.txt"};
  auto files = select_artifacts(root_, spec);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].archive_path, dir_.path().substr(1) + "/outside.txt");
}

TEST(Glob, SegmentsAndDoubleStar) {
  EXPECT_TRUE(glob_match("**/*", "a"));
  EXPECT_TRUE(glob_match("**/*", "a/b/c"));
  EXPECT_TRUE(glob_match("a/**/c", "a/c"));
  EXPECT_TRUE(glob_match("a/**/c", "a/x/y/c"));
  EXPECT_FALSE(glob_match("a/*", "a/b/c"));
  EXPECT_TRUE(glob_match("*.txt", ".hidden.txt"));
  EXPECT_TRUE(glob_match("./dir/[ab]?.js", "dir/a1.js"));
  EXPECT_FALSE(glob_match("dir/[ab]?.js", "dir/c1.js"));
  EXPECT_FALSE(glob_match("../x", "x"));
  EXPECT_FALSE(pattern_segments("a/../b"));
  EXPECT_EQ(*pattern_segments("./a//b/./c/"), (std::vector<std::string>{"a", "b", "c"}));
}

}  // namespace
}  // namespace buildspec
