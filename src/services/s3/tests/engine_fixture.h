// A fixture for S3Engine tests: a real SQLite database (a temporary WAL file, as the server
// uses), a temporary data directory and a FakeClock, plus helpers to store and read bytes.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "common/ids.h"
#include "services/s3/engine/s3_engine.h"
#include "testing/fake_clock.h"

namespace s3 {

// Deterministic bytes that differ with `seed`.
inline std::string pattern(size_t size, uint32_t seed = 1) {
  std::string out(size, '\0');
  uint32_t x = seed * 2654435761u + 12345u;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

class S3EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("s3-engine-test-" + common::random_hex(12));
    std::filesystem::create_directories(root_);
    auto opened = store::Db::open((root_ / "state.db").string());
    ASSERT_TRUE(opened.ok());
    db_ = std::move(*opened);
    open_engine();
    ASSERT_TRUE(engine_->create_bucket(kAccount, "us-east-1", "bucket").ok());
  }

  void TearDown() override {
    engine_.reset();
    db_.reset();
    std::filesystem::remove_all(root_);
  }

  void open_engine() {
    engine_.reset();
    engine_ = std::make_unique<S3Engine>(*db_, clock_, data_dir());
    auto migrated = engine_->migrate();
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }

  std::string data_dir() const { return (root_ / "data").string(); }

  // Streams `body` in (in uneven reads) with `hint` as the declared length (-2: the body's size).
  Result<StoredData> store(const std::string& body, int64_t hint = -2, std::vector<std::string> checksums = {}) {
    size_t offset = 0;
    size_t step = 0;
    auto read = [&](char* out, size_t size) -> long {
      size_t n = std::min({size, body.size() - offset, size_t{70000} + (step++ % 3) * 1000});
      std::copy_n(body.data() + offset, n, out);
      offset += n;
      return static_cast<long>(n);
    };
    return engine_->store_data(read, hint == -2 ? static_cast<int64_t>(body.size()) : hint, checksums);
  }

  Result<PutObjectOutput> put(const std::string& key, const std::string& body, const std::string& bucket = "bucket",
                              std::vector<Tag> tags = {}) {
    auto data = store(body);
    if (!data.ok()) return common::fail(data.error());
    PutObjectInput input;
    input.bucket = bucket;
    input.key = key;
    input.owner_account = kAccount;
    input.tags = std::move(tags);
    input.data = std::move(*data);
    return engine_->put_object(std::move(input));
  }

  // The bytes of a version, read as the api would: inline, or from its segments' files.
  std::string content(const ObjectVersion& v) const { return read_data(v.inline_data, v.segments); }
  std::string content(const StoredData& d) const { return read_data(d.inline_data, d.segments); }

  std::string read_data(const std::string& inline_data, const std::vector<Segment>& segments) const {
    if (segments.empty()) return inline_data;
    std::string out;
    for (const Segment& s : segments) {
      std::ifstream in(engine_->file_path(s.file), std::ios::binary);
      if (!in) return "<missing " + s.file + ">";
      in.seekg(static_cast<std::streamoff>(s.offset));
      std::string buffer(s.length, '\0');
      in.read(buffer.data(), static_cast<std::streamsize>(s.length));
      out += buffer;
    }
    return out;
  }

  std::string get(const std::string& key, const std::string& version_id = "", const std::string& bucket = "bucket") {
    auto object = engine_->get_object(ObjectRef{bucket, key, version_id});
    if (!object.ok()) return "<error " + object.error().message + ">";
    return content(*object);
  }

  // Data files on disk (not temporaries).
  size_t data_files() const {
    size_t n = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir())) {
      if (entry.is_regular_file() && entry.path().parent_path().filename() != "tmp") ++n;
    }
    return n;
  }
  size_t temp_files() const {
    size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(data_dir()) / "tmp")) {
      n += entry.is_regular_file();
    }
    return n;
  }

  static constexpr const char* kAccount = "000000000000";
  static constexpr const char* kOther = "111111111111";
  static constexpr uint64_t kBig = S3Engine::kInlineMax + 1;

  std::filesystem::path root_;
  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<S3Engine> engine_;
};

}  // namespace s3
