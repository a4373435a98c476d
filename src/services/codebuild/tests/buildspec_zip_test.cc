// The ZIP writer and reader: round trips through python's zipfile (and unzip -t when the
// machine has it), large, empty and many files, ZIP64 records, and archives that try to write
// outside their destination.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "common/temp_dir.h"
#include "services/codebuild/buildspec/artifacts.h"
#include "services/codebuild/buildspec/zip_reader.h"
#include "services/codebuild/buildspec/zip_writer.h"

namespace buildspec {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& content, mode_t mode = 0644) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
  ::chmod(path.c_str(), mode);
}

// Runs a command through /bin/sh with this process's environment; its stdout, and the status.
std::pair<int, std::string> run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// python's zipfile: testzip() (CRC of every entry), then "name size mode" per entry and the
// sha256 of each content, so the test compares against what it wrote.
std::string python_listing(const std::string& zip_path) {
  const auto [status, output] =
      run("python3 -c 'import sys, zipfile, hashlib\n"
          "z = zipfile.ZipFile(sys.argv[1])\n"
          "bad = z.testzip()\n"
          "print(\"testzip\", bad)\n"
          "for i in z.infolist():\n"
          "    print(i.filename, i.file_size, oct(i.external_attr >> 16), hashlib.sha256(z.read(i)).hexdigest()[:16])\n"
          "' " +
          zip_path);
  EXPECT_EQ(status, 0) << output;
  return output;
}

std::string sha16(const std::string& path) {
  return run("python3 -c 'import sys,hashlib; "
             "print(hashlib.sha256(open(sys.argv[1],\"rb\").read()).hexdigest()[:16])' " +
             path)
      .second;
}

bool have_unzip() { return run("command -v unzip").first == 0; }

class ZipTest : public ::testing::Test {
 protected:
  std::string path(const std::string& rel) const { return dir_.path() + "/" + rel; }
  common::TempDir dir_{"hakobu-zip-test"};
};

TEST_F(ZipTest, RoundTripThroughPythonAndTheReader) {
  std::mt19937 rng(42);
  std::string random(3 * 1024 * 1024 + 17, '\0');
  for (char& c : random) c = static_cast<char>(rng());
  write_file(path("src/bin/tool.sh"), "#!/bin/sh\necho hi\n", 0755);
  write_file(path("src/empty.txt"), "");
  write_file(path("src/data/random.bin"), random);
  write_file(path("src/data/zeros.bin"), std::string(8 * 1024 * 1024, '\0'));
  write_file(path("src/unicode-名前.txt"), "utf-8 name\n");
  fs::create_symlink("data/random.bin", path("src/link"));
  ArtifactSpec spec;
  spec.files = {"**/*"};
  spec.enable_symlinks = true;
  auto files = select_artifacts(path("src"), spec);
  ASSERT_TRUE(files.ok());
  ASSERT_TRUE(write_zip(path("out.zip"), *files).ok());

  const std::string listing = python_listing(path("out.zip"));
  EXPECT_NE(listing.find("testzip None"), std::string::npos) << listing;
  EXPECT_NE(listing.find("bin/tool.sh 18 0o100755 "), std::string::npos) << listing;
  EXPECT_NE(listing.find("empty.txt 0 0o100644 "), std::string::npos) << listing;
  EXPECT_NE(listing.find("data/random.bin 3145745 0o100644 " + sha16(path("src/data/random.bin"))), std::string::npos)
      << listing;
  EXPECT_NE(listing.find("link 15 0o120777 "), std::string::npos) << listing;
  EXPECT_NE(listing.find("unicode-名前.txt"), std::string::npos) << listing;
  if (have_unzip()) {
    const auto [status, output] = run("unzip -t " + path("out.zip"));
    EXPECT_EQ(status, 0) << output;
  }
  // The deflated zeros really are compressed.
  EXPECT_LT(fs::file_size(path("out.zip")), 3 * 1024 * 1024 + 200 * 1024);

  auto reader = ZipReader::open(path("out.zip"));
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(reader->entries().size(), 6u);
  ASSERT_TRUE(reader->extract_all(path("extracted")).ok());
  EXPECT_EQ(read_file(path("extracted/data/random.bin")), random);
  EXPECT_EQ(read_file(path("extracted/data/zeros.bin")), std::string(8 * 1024 * 1024, '\0'));
  EXPECT_EQ(read_file(path("extracted/empty.txt")), "");
  EXPECT_EQ(fs::status(path("extracted/bin/tool.sh")).permissions() & fs::perms::owner_exec, fs::perms::owner_exec);
  EXPECT_TRUE(fs::is_symlink(path("extracted/link")));
  EXPECT_EQ(fs::read_symlink(path("extracted/link")).string(), "data/random.bin");
  const ZipEntry* tool = reader->find("bin/tool.sh");
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(*reader->read(*tool), "#!/bin/sh\necho hi\n");
  struct stat st {};
  ASSERT_EQ(::stat(path("src/bin/tool.sh").c_str(), &st), 0);
  EXPECT_EQ(tool->mtime, st.st_mtime) << "mtime comes from the extended timestamp field, to the second";
}

TEST_F(ZipTest, Zip64RecordsAreReadableWhenForced) {
  write_file(path("src/a.txt"), "hello zip64\n");
  write_file(path("src/b.bin"), std::string(100000, 'x'));
  std::vector<ArtifactFile> files{{path("src/a.txt"), "a.txt", false, ""}, {path("src/b.bin"), "dir/b.bin", false, ""}};
  ZipWriterOptions options;
  options.zip64_entry_threshold = 0;  // every entry gets ZIP64 sizes
  ASSERT_TRUE(write_zip(path("z64.zip"), files, options).ok());
  const std::string listing = python_listing(path("z64.zip"));
  EXPECT_NE(listing.find("testzip None"), std::string::npos) << listing;
  EXPECT_NE(listing.find("dir/b.bin 100000 "), std::string::npos) << listing;
  if (have_unzip()) {
    EXPECT_EQ(run("unzip -t " + path("z64.zip")).first, 0);
  }
  auto reader = ZipReader::open(path("z64.zip"));
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(*reader->read(*reader->find("a.txt")), "hello zip64\n");
  EXPECT_EQ(reader->find("dir/b.bin")->size, 100000u);
}

TEST_F(ZipTest, MoreThan65535EntriesUseZip64EndRecords) {
  std::string zip_path = path("many.zip");
  {
    FILE* out = std::fopen(zip_path.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    FdZipSink sink(::fileno(out));
    ZipWriterOptions options;
    options.level = 1;
    ZipWriter writer(sink, options);
    for (int i = 0; i < 70000; ++i) {
      ASSERT_TRUE(writer.add_bytes("f/" + std::to_string(i), std::to_string(i), 0100600, 1700000000).ok());
    }
    ASSERT_TRUE(writer.finish().ok());
    EXPECT_FALSE(writer.add_bytes("late", "x").ok());
    std::fclose(out);
  }
  const auto [status, output] =
      run("python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(len(z.namelist()), "
          "z.read(\"f/69999\").decode(), z.testzip())' " +
          zip_path);
  EXPECT_EQ(output, "70000 69999 None\n");
  auto reader = ZipReader::open(zip_path);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ASSERT_EQ(reader->entries().size(), 70000u);
  EXPECT_EQ(*reader->read(reader->entries()[12345]), "12345");
  EXPECT_EQ(reader->entries()[0].mode, 0100600u);
  EXPECT_EQ(reader->entries()[0].mtime, 1700000000);
}

// ZIP64 local header offsets and end records, as an archive past 4 GiB has them. Writing one
// for real takes tens of seconds (deflating 4 GiB), so the thresholds are lowered instead: the
// records are the same, and three readers must accept them.
TEST_F(ZipTest, Zip64OffsetsAndEndRecordsWhenForced) {
  write_file(path("src/one.txt"), "first entry\n");
  write_file(path("src/two.txt"), "second entry\n");
  ZipWriterOptions options;
  options.zip64_offset_threshold = 0;  // every offset, and the central directory's, in ZIP64 form
  ASSERT_TRUE(write_zip(path("offsets.zip"),
                        {{path("src/one.txt"), "one.txt", false, ""}, {path("src/two.txt"), "two.txt", false, ""}},
                        options)
                  .ok());
  const std::string bytes = read_file(path("offsets.zip"));
  EXPECT_NE(bytes.find(std::string("PK\x06\x06", 4)), std::string::npos) << "zip64 end of central directory";
  EXPECT_NE(bytes.find(std::string("PK\x06\x07", 4)), std::string::npos) << "zip64 locator";
  const std::string listing = python_listing(path("offsets.zip"));
  EXPECT_NE(listing.find("testzip None"), std::string::npos) << listing;
  EXPECT_NE(listing.find("two.txt 13 "), std::string::npos) << listing;
  if (have_unzip()) {
    const auto [status, output] = run("unzip -t " + path("offsets.zip"));
    EXPECT_EQ(status, 0) << output;
  }
  auto reader = ZipReader::open(path("offsets.zip"));
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ASSERT_EQ(reader->entries().size(), 2u);
  EXPECT_GT(reader->entries()[1].local_header_offset, 0u);
  EXPECT_EQ(*reader->read(reader->entries()[1]), "second entry\n");
}

TEST_F(ZipTest, ReadsArchivesOtherToolsMake) {
  const auto [status, output] =
      run("python3 -c 'import sys, zipfile\n"
          "with zipfile.ZipFile(sys.argv[1], \"w\") as z:\n"
          "    z.writestr(\"dir/\", \"\")\n"
          "    z.writestr(zipfile.ZipInfo(\"stored.txt\"), \"stored bytes\")\n"
          "    z.writestr(\"deflated.txt\", \"d\" * 10000, compress_type=zipfile.ZIP_DEFLATED)\n"
          "    i = zipfile.ZipInfo(\"dos.txt\"); i.create_system = 0\n"
          "    z.writestr(i, \"from dos\")\n"
          "' " +
          path("py.zip"));
  ASSERT_EQ(status, 0) << output;
  auto reader = ZipReader::open(path("py.zip"));
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  ASSERT_TRUE(reader->extract_all(path("py")).ok());
  EXPECT_TRUE(fs::is_directory(path("py/dir")));
  EXPECT_EQ(read_file(path("py/stored.txt")), "stored bytes");
  EXPECT_EQ(read_file(path("py/deflated.txt")), std::string(10000, 'd'));
  EXPECT_EQ(read_file(path("py/dos.txt")), "from dos");
  EXPECT_EQ(reader->find("dos.txt")->mode, 0100644u);
}

// Archives built to escape the destination: nothing may land outside it.
TEST_F(ZipTest, ExtractionRefusesPathTraversal) {
  const std::string maker =
      "python3 -c 'import sys, zipfile\n"
      "z = zipfile.ZipFile(sys.argv[1], \"w\")\n"
      "kind = sys.argv[2]\n"
      "def link(name, target):\n"
      "    i = zipfile.ZipInfo(name); i.create_system = 3; i.external_attr = (0o120777 << 16)\n"
      "    z.writestr(i, target)\n"
      "if kind == \"dotdot\": z.writestr(\"ok.txt\", \"ok\"); z.writestr(\"../escaped.txt\", \"x\")\n"
      "if kind == \"nested\": z.writestr(\"a/../../escaped.txt\", \"x\")\n"
      "if kind == \"absolute\": z.writestr(\"/tmp/escaped-absolute.txt\", \"x\")\n"
      "if kind == \"backslash\": i = zipfile.ZipInfo(\"..\\\\escaped.txt\"); i.create_system = 0; z.writestr(i, "
      "\"x\")\n"
      "if kind == \"link-out\": link(\"up\", \"../..\")\n"
      "if kind == \"link-abs\": link(\"etc\", \"/etc\")\n"
      "if kind == \"through-link\": link(\"inner\", \"sub\"); z.writestr(\"sub/x\", \"x\"); z.writestr(\"inner/y\", "
      "\"y\")\n"
      "z.close()\n"
      "' ";
  for (const std::string kind : {"dotdot", "nested", "absolute", "backslash", "link-out", "link-abs"}) {
    const std::string zip_path = path(kind + ".zip");
    const auto made = run(maker + zip_path + " " + kind);
    ASSERT_EQ(made.first, 0) << made.second;
    auto reader = ZipReader::open(zip_path);
    ASSERT_TRUE(reader.ok()) << kind;
    const std::string dest = path("dest-" + kind + "/inside");
    auto status = reader->extract_all(dest);
    EXPECT_FALSE(status.ok()) << kind;
    EXPECT_EQ(status.error().kind, common::ErrorKind::InvalidArgument) << kind;
    EXPECT_FALSE(fs::exists(path("dest-" + kind + "/escaped.txt"))) << kind;
    EXPECT_FALSE(fs::exists(dest + "/up")) << kind;
    EXPECT_FALSE(fs::exists(dest + "/etc")) << kind;
  }
  EXPECT_FALSE(fs::exists("/tmp/escaped-absolute.txt"));
  // A link inside the destination is fine, and files are never written through it: links come last.
  const auto made = run(maker + path("through.zip") + " through-link");
  ASSERT_EQ(made.first, 0) << made.second;
  auto reader = ZipReader::open(path("through.zip"));
  ASSERT_TRUE(reader.ok());
  auto status = reader->extract_all(path("through"));
  // "inner/y" needs the directory "inner", which becomes the link only afterwards: the archive
  // extracts y into a real directory, then cannot put the link where that directory is.
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(fs::exists(path("through/sub/x")));
  EXPECT_FALSE(fs::exists(path("through/sub/y")));
}

TEST_F(ZipTest, CorruptAndTruncatedArchivesFail) {
  write_file(path("src/a.txt"), std::string(5000, 'a') + "unique tail");
  ASSERT_TRUE(write_zip(path("good.zip"), {{path("src/a.txt"), "a.txt", false, ""}}).ok());
  std::string bytes = read_file(path("good.zip"));
  // Flip a byte of the compressed data: inflate or the CRC check must notice.
  std::string corrupt = bytes;
  corrupt[60] = static_cast<char>(corrupt[60] ^ 0x55);
  write_file(path("corrupt.zip"), corrupt);
  auto reader = ZipReader::open(path("corrupt.zip"));
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE(reader->read(reader->entries()[0]).ok());
  write_file(path("truncated.zip"), bytes.substr(0, bytes.size() / 2));
  EXPECT_FALSE(ZipReader::open(path("truncated.zip")).ok());
  write_file(path("not.zip"), "this is not a zip file at all");
  auto not_zip = ZipReader::open(path("not.zip"));
  ASSERT_FALSE(not_zip.ok());
  EXPECT_EQ(not_zip.error().kind, common::ErrorKind::InvalidArgument);
  EXPECT_FALSE(ZipReader::open(path("missing.zip")).ok());
}

TEST_F(ZipTest, EmptyArchiveAndBadNames) {
  FILE* out = std::fopen(path("empty.zip").c_str(), "wb");
  ASSERT_NE(out, nullptr);
  FdZipSink sink(::fileno(out));
  ZipWriter writer(sink);
  EXPECT_FALSE(writer.add_bytes("/absolute", "x").ok());
  EXPECT_FALSE(writer.add_bytes("", "x").ok());
  ASSERT_TRUE(writer.finish().ok());
  std::fclose(out);
  EXPECT_EQ(fs::file_size(path("empty.zip")), 22u);  // just the end record
  EXPECT_NE(python_listing(path("empty.zip")).find("testzip None"), std::string::npos);
  auto reader = ZipReader::open(path("empty.zip"));
  ASSERT_TRUE(reader.ok());
  EXPECT_TRUE(reader->entries().empty());
}

}  // namespace
}  // namespace buildspec
