// DataFiles::store on large bodies: hashed on a second thread (size unknown or over 8 MiB),
// written in full buffers, and nothing left behind when the body fails.
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "common/checksum.h"
#include "common/crypto.h"
#include "services/s3/engine/data_files.h"
#include "services/s3/tests/engine_fixture.h"

namespace s3 {
namespace {

namespace fs = std::filesystem;

const std::vector<common::ChecksumAlgorithm> kAllChecksums = {
    common::ChecksumAlgorithm::CRC32, common::ChecksumAlgorithm::CRC32C, common::ChecksumAlgorithm::CRC64NVME,
    common::ChecksumAlgorithm::SHA1, common::ChecksumAlgorithm::SHA256};

class DataFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("s3-data-files-test-" + common::random_hex(12));
    files_ = std::make_unique<DataFiles>(root_.string());
    files_->prepare();
  }
  void TearDown() override { fs::remove_all(root_); }

  // Streams `body` in reads of odd sizes (1 byte to a little over 1 MiB); fails (-1) once
  // `fail_at` bytes have been read.
  Result<StoredData> store(const std::string& body, int64_t hint, const std::vector<common::ChecksumAlgorithm>& algs,
                           size_t fail_at = SIZE_MAX) {
    static constexpr size_t kSteps[] = {1, 4093, 65537, 1048583, 777, 300007, 16384, 3};
    size_t offset = 0;
    size_t step = 0;
    auto read = [&](char* out, size_t size) -> long {
      if (offset >= fail_at) return -1;
      size_t n = std::min({size, body.size() - offset, kSteps[step++ % std::size(kSteps)]});
      std::copy_n(body.data() + offset, n, out);
      offset += n;
      return static_cast<long>(n);
    };
    return files_->store(read, hint, algs);
  }

  std::string content(const StoredData& data) const {
    EXPECT_EQ(data.segments.size(), 1u);
    if (data.segments.empty()) return "";
    std::ifstream in(files_->path(data.segments[0].file), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Regular files anywhere under the root, temporaries included.
  size_t files_on_disk() const {
    size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root_)) n += entry.is_regular_file();
    return n;
  }

  fs::path root_;
  std::unique_ptr<DataFiles> files_;
};

void expect_one_shot_digests(const StoredData& data, const std::string& body) {
  EXPECT_EQ(data.size, body.size());
  EXPECT_EQ(data.md5_hex, common::md5_hex(body));
  EXPECT_EQ(data.checksums.size(), kAllChecksums.size());
  for (auto algorithm : kAllChecksums) {
    auto it = data.checksums.find(std::string(common::checksum_name(algorithm)));
    ASSERT_NE(it, data.checksums.end()) << common::checksum_name(algorithm);
    EXPECT_EQ(it->second, common::checksum_base64(algorithm, body)) << common::checksum_name(algorithm);
  }
}

TEST_F(DataFilesTest, LargeBodyInOddReadsHasTheOneShotDigests) {
  std::string body = pattern((40 << 20) + 12345, 7);
  for (int64_t hint : {static_cast<int64_t>(body.size()), int64_t{-1}}) {
    auto stored = store(body, hint, kAllChecksums);
    ASSERT_TRUE(stored.ok()) << "hint " << hint << ": " << stored.error().message;
    expect_one_shot_digests(*stored, body);
    EXPECT_TRUE(content(*stored) == body) << "hint " << hint;
  }
  EXPECT_EQ(files_on_disk(), 2u);
}

TEST_F(DataFilesTest, BodiesAroundTheThreadThresholdHaveTheOneShotDigests) {
  // Single-threaded below 8 MiB (declared), threaded above; buffer-sized edges.
  for (size_t size : {size_t{70000}, size_t{1} << 20, (size_t{1} << 20) + 1, (size_t{8} << 20) - 1, size_t{8} << 20,
                      (size_t{8} << 20) + 1, size_t{3} << 20}) {
    std::string body = pattern(size, static_cast<uint32_t>(size));
    for (int64_t hint : {static_cast<int64_t>(size), int64_t{-1}}) {
      auto stored = store(body, hint, kAllChecksums);
      ASSERT_TRUE(stored.ok()) << size << " hint " << hint;
      expect_one_shot_digests(*stored, body);
      EXPECT_TRUE(content(*stored) == body) << size << " hint " << hint;
      files_->remove({stored->segments[0].file});
    }
  }
  EXPECT_EQ(files_on_disk(), 0u);
}

TEST_F(DataFilesTest, ReadFailingMidwayLeavesNothing) {
  std::string body = pattern(40 << 20, 3);
  for (int64_t hint : {static_cast<int64_t>(body.size()), int64_t{-1}, int64_t{4} << 20}) {
    for (size_t fail_at : {size_t{0}, size_t{100000}, size_t{1} << 20, size_t{3} << 20, size_t{20} << 20}) {
      if (hint >= 0 && fail_at >= static_cast<size_t>(hint)) continue;
      auto stored =
          store(body.substr(0, hint >= 0 ? static_cast<size_t>(hint) : body.size()), hint, kAllChecksums, fail_at);
      ASSERT_FALSE(stored.ok()) << "hint " << hint << " fail at " << fail_at;
      EXPECT_EQ(stored.error().reason, Reason::IncompleteBody);
      EXPECT_EQ(files_on_disk(), 0u) << "hint " << hint << " fail at " << fail_at;
    }
  }
}

TEST_F(DataFilesTest, LargeBodiesOfTheWrongLengthLeaveNothing) {
  std::string body = pattern(20 << 20, 4);
  auto longer = store(body, static_cast<int64_t>(body.size()) - 1, kAllChecksums);
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.error().reason, Reason::IncompleteBody);
  auto shorter = store(body, static_cast<int64_t>(body.size()) + 1, kAllChecksums);
  ASSERT_FALSE(shorter.ok());
  EXPECT_EQ(shorter.error().reason, Reason::IncompleteBody);
  EXPECT_EQ(files_on_disk(), 0u);
}

TEST_F(DataFilesTest, WriteFailingMidwayLeavesNothing) {
  // Files may not grow past 10 MiB (writes then fail with EFBIG instead of raising SIGXFSZ).
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = saved;
  limited.rlim_cur = 10 << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  std::string body = pattern(40 << 20, 5);
  auto known = store(body, static_cast<int64_t>(body.size()), kAllChecksums);
  auto unknown = store(body, -1, kAllChecksums);
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(known.ok());
  EXPECT_EQ(known.error().reason, Reason::Storage);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().reason, Reason::Storage);
  EXPECT_EQ(files_on_disk(), 0u);
}

}  // namespace
}  // namespace s3
