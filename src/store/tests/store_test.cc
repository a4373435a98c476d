#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/crypto.h"
#include "store/blob_store.h"
#include "store/db.h"

namespace {

std::string temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("hakobu-store-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(Db, MigratesOnceAndRunsStatements) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  std::vector<store::Migration> migrations = {{1, "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"},
                                              {2, "ALTER TABLE t ADD COLUMN w TEXT"}};
  ASSERT_TRUE((*db)->migrate("test", migrations).ok());
  ASSERT_TRUE((*db)->migrate("test", migrations).ok());  // idempotent
  auto insert = (*db)->prepare("INSERT INTO t (k, v, w) VALUES (?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  insert->bind(1, "a").bind(2, int64_t{7}).bind(3, "x");
  ASSERT_TRUE(insert->exec().ok());
}

TEST(Db, ConstraintViolationMapsToAlreadyExists) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k TEXT PRIMARY KEY)").ok());
  ASSERT_TRUE((*db)->exec("INSERT INTO t VALUES ('a')").ok());
  auto again = (*db)->exec("INSERT INTO t VALUES ('a')");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, common::ErrorKind::AlreadyExists);
}

TEST(Db, TransactionRollsBackUnlessCommitted) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k TEXT)").ok());
  {
    store::Transaction tx(**db, store::Transaction::Mode::Write);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*db)->exec("INSERT INTO t VALUES ('gone')").ok());
  }
  auto count = (*db)->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->integer(0), 0);
}

TEST(Db, ConnectionsOfExitedThreadsAreReused) {
  std::string dir = temp_dir("threads");
  auto db = store::Db::open(dir + "/x.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (k INTEGER)").ok());
  for (int i = 0; i < 50; ++i) {
    std::thread([&] { ASSERT_TRUE((*db)->exec("INSERT INTO t VALUES (1)").ok()); }).join();
  }
  auto count = (*db)->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->integer(0), 50);
  std::filesystem::remove_all(dir);
}

TEST(Db, ResetDeletesRowsButKeepsSchema) {
  auto db = store::Db::open(":memory:");
  ASSERT_TRUE((*db)->migrate("m", {{1, "CREATE TABLE t (k TEXT)"}}).ok());
  ASSERT_TRUE((*db)->exec("INSERT INTO t VALUES ('a')").ok());
  ASSERT_TRUE((*db)->reset_all().ok());
  auto count = (*db)->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->integer(0), 0);
  auto migrations = (*db)->prepare("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(*migrations->step());
  EXPECT_EQ(migrations->integer(0), 1);
}

TEST(BlobStore, StoresContentAddressedWithDigests) {
  std::string dir = temp_dir("blobs");
  auto blobs = store::BlobStore::open(dir);
  ASSERT_TRUE(blobs.ok());
  auto info = blobs->put_bytes("hello world");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->sha256, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  EXPECT_EQ(info->md5, "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(info->size, 11u);
  ASSERT_TRUE(blobs->exists(info->sha256));
  std::ifstream in(blobs->path(info->sha256));
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), "hello world");
  ASSERT_TRUE(blobs->remove(info->sha256).ok());
  EXPECT_FALSE(blobs->exists(info->sha256));
  std::filesystem::remove_all(dir);
}

TEST(BlobStore, InterruptedUploadLeavesNothingBehind) {
  std::string dir = temp_dir("interrupted");
  auto blobs = store::BlobStore::open(dir);
  ASSERT_TRUE(blobs.ok());
  int calls = 0;
  auto result = blobs->put([&](char* out, size_t) -> long {
    if (calls++ == 0) {
      out[0] = 'x';
      return 1;
    }
    return -1;
  });
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(std::filesystem::is_empty(std::filesystem::path(dir) / "tmp"));
  EXPECT_TRUE(std::filesystem::is_empty(std::filesystem::path(dir) / "sha256"));
  std::filesystem::remove_all(dir);
}

TEST(BlobStore, RejectsNonDigestNames) {
  std::string dir = temp_dir("names");
  auto blobs = store::BlobStore::open(dir);
  EXPECT_FALSE(blobs->exists("../../etc/passwd"));
  EXPECT_FALSE(blobs->remove("../x").ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
