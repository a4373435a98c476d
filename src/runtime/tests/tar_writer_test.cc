#include "runtime/tar_writer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/temp_dir.h"

namespace runtime {
namespace {

// Runs a shell command; its stdout.
std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(TarWriter, GnuTarReadsWhatWeWrite) {
  common::TempDir dir("hakobu-tar-test");
  ASSERT_TRUE(dir.ok());
  std::string long_name = "deep/" + std::string(120, 'n') + "/file.txt";
  TarWriter tar;
  tar.add_directory("bin");
  tar.add_file("bin/busybox", "#!binary", 0755);
  tar.add_symlink("bin/sh", "busybox");
  tar.add_file("Dockerfile", "FROM localhost/busybox:latest\n");
  tar.add_file(long_name, "long");
  tar.add_file("empty", "");
  std::string archive = dir.path() + "/a.tar";
  ASSERT_TRUE(tar.write_to(archive));
  EXPECT_EQ(std::filesystem::file_size(archive) % 512, 0u);

  std::string out = dir.path() + "/out";
  std::filesystem::create_directory(out);
  std::string errors = run("tar -C " + out + " -xf " + archive + " 2>&1");
  EXPECT_EQ(errors, "");
  EXPECT_EQ(slurp(out + "/bin/busybox"), "#!binary");
  EXPECT_EQ(std::filesystem::status(out + "/bin/busybox").permissions() & std::filesystem::perms::owner_exec,
            std::filesystem::perms::owner_exec);
  EXPECT_TRUE(std::filesystem::is_symlink(out + "/bin/sh"));
  EXPECT_EQ(std::filesystem::read_symlink(out + "/bin/sh"), "busybox");
  EXPECT_EQ(slurp(out + "/Dockerfile"), "FROM localhost/busybox:latest\n");
  EXPECT_EQ(slurp(out + "/" + long_name), "long");
  EXPECT_TRUE(std::filesystem::exists(out + "/empty"));
}

TEST(TarWriter, AddsATreeFromDisk) {
  common::TempDir dir("hakobu-tar-tree");
  ASSERT_TRUE(dir.ok());
  std::string root = dir.path() + "/ctx";
  std::filesystem::create_directories(root + "/src/pkg");
  std::ofstream(root + "/Dockerfile") << "FROM x\n";
  std::ofstream(root + "/src/pkg/app.py") << "print(1)\n";
  std::filesystem::create_symlink("pkg/app.py", root + "/src/link");
  TarWriter tar;
  ASSERT_TRUE(tar.add_tree(root, "ctx"));
  std::string archive = dir.path() + "/t.tar";
  ASSERT_TRUE(tar.write_to(archive));
  std::string listing = run("tar -tvf " + archive);
  EXPECT_NE(listing.find("ctx/Dockerfile"), std::string::npos) << listing;
  EXPECT_NE(listing.find("ctx/src/pkg/app.py"), std::string::npos) << listing;
  EXPECT_NE(listing.find("ctx/src/link -> pkg/app.py"), std::string::npos) << listing;
  EXPECT_FALSE(tar.add_tree(dir.path() + "/missing"));
}

}  // namespace
}  // namespace runtime
