#include "services/s3/engine/data_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "common/crypto.h"
#include "common/hash_thread.h"
#include "common/ids.h"
#include "common/log.h"
#include "store/atomic_file.h"
#include "store/file_stream.h"

namespace s3 {
namespace fs = std::filesystem;

namespace {

constexpr size_t kFileIdLength = 32;

bool valid_file_id(std::string_view file) {
  if (file.size() != kFileIdLength) return false;
  return std::all_of(file.begin(), file.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Error io_error(const std::string& what) {
  return Error{common::ErrorKind::Unavailable, Reason::Storage, what + ": " + std::strerror(errno), false, {}, {}};
}

Error incomplete_body() {
  return make_error(Reason::IncompleteBody,
                    "You did not provide the number of bytes specified by the Content-Length HTTP header.");
}

Error too_large() {
  return make_error(Reason::EntityTooLarge, "Your proposed upload exceeds the maximum allowed size");
}

// Bodies longer than this, or of unknown length, are hashed on a second thread (starting one
// costs tens of microseconds).
constexpr int64_t kHashThreadMin = 8 << 20;
// Writeback of a data file is started every this many bytes written.
constexpr uint64_t kWritebackStep = 8 << 20;

// Starts the writeback of a file's dirty pages every kWritebackStep bytes, without waiting for
// it, so the fsync that publishes the file has little left to write. It uses a descriptor of its
// own (AtomicFile keeps its), opened once the file is that large; without one, the fsync does it all.
class Writeback {
 public:
  explicit Writeback(std::string path) : path_(std::move(path)) {}
  Writeback(const Writeback&) = delete;
  Writeback& operator=(const Writeback&) = delete;
  ~Writeback() {
    if (fd_ >= 0) ::close(fd_);
  }

  // The file now holds `end` bytes.
  void wrote(uint64_t end) {
    if (end - started_ < kWritebackStep || failed_) return;
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0 || !store::start_writeback(fd_, started_, end)) {
      failed_ = true;
      return;
    }
    started_ = end;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool failed_ = false;
  uint64_t started_ = 0;
};

// Rough cost per byte of each digest, relative to MD5 (about 600 MB/s on one core; CRC32 4 GB/s,
// CRC32C 8, CRC64NVME 1.5, SHA1 1.6, SHA256 1.3), and of reading and writing the body.
int digest_cost(common::ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case common::ChecksumAlgorithm::CRC32: return 15;
    case common::ChecksumAlgorithm::CRC32C: return 8;
    case common::ChecksumAlgorithm::CRC64NVME: return 40;
    case common::ChecksumAlgorithm::SHA1: return 37;
    case common::ChecksumAlgorithm::SHA256: return 46;
    case common::ChecksumAlgorithm::MD5: return 100;
  }
  return 100;
}
constexpr int kReadWriteCost = 30;

}  // namespace

Digests::Digests(const std::vector<common::ChecksumAlgorithm>& algorithms) : md5_(common::ChecksumAlgorithm::MD5) {
  // Costliest first, each to the cheaper half so far.
  std::vector<common::ChecksumAlgorithm> sorted = algorithms;
  std::stable_sort(sorted.begin(), sorted.end(), [](auto a, auto b) { return digest_cost(a) > digest_cost(b); });
  std::vector<common::ChecksumAlgorithm> first, second;
  int first_cost = digest_cost(common::ChecksumAlgorithm::MD5);
  int second_cost = kReadWriteCost;
  for (auto algorithm : sorted) {
    if (first_cost < second_cost) {
      first.push_back(algorithm);
      first_cost += digest_cost(algorithm);
    } else {
      second.push_back(algorithm);
      second_cost += digest_cost(algorithm);
    }
  }
  checksums_.reserve(algorithms.size());
  for (auto algorithm : first) checksums_.emplace_back(algorithm);
  for (auto algorithm : second) checksums_.emplace_back(algorithm);
  first_ = first.size();
}

void Digests::update(std::string_view bytes) {
  md5_.update(bytes);
  for (auto& checksum : checksums_) checksum.update(bytes);
  size_ += bytes.size();
}

void Digests::update_first(std::string_view bytes) {
  md5_.update(bytes);
  for (size_t i = 0; i < first_; ++i) checksums_[i].update(bytes);
  size_ += bytes.size();
}

void Digests::update_second(std::string_view bytes) {
  for (size_t i = first_; i < checksums_.size(); ++i) checksums_[i].update(bytes);
}

void Digests::finish(StoredData& out) {
  std::string md5 = md5_.digest();
  out.size = size_;
  out.md5_hex = common::hex_encode(reinterpret_cast<const uint8_t*>(md5.data()), md5.size());
  for (auto& checksum : checksums_)
    out.checksums[std::string(common::checksum_name(checksum.algorithm()))] = checksum.base64();
}

Result<std::vector<common::ChecksumAlgorithm>> parse_algorithms(const std::vector<std::string>& names) {
  std::vector<common::ChecksumAlgorithm> out;
  for (const std::string& name : names) {
    auto algorithm = common::parse_checksum_algorithm(name);
    if (!algorithm || *algorithm == common::ChecksumAlgorithm::MD5) {
      return common::fail(make_error(Reason::InvalidArgument, "Unsupported checksum algorithm: " + name));
    }
    if (std::find(out.begin(), out.end(), *algorithm) == out.end()) out.push_back(*algorithm);
  }
  return out;
}

void DataFiles::prepare() {
  std::error_code ec;
  fs::create_directories(fs::path(root_) / "tmp", ec);
  if (ec) {
    common::log::error("s3: cannot create data directory {}: {}", root_, ec.message());
    return;
  }
  int removed = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(root_) / "tmp", ec)) {
    if (fs::remove(entry.path(), ec)) ++removed;
  }
  if (removed > 0) common::log::info("s3: removed {} temporary data file(s) left by an interrupted upload", removed);
}

std::string DataFiles::path(std::string_view file) const {
  std::string out;
  out.reserve(root_.size() + file.size() + 5);
  out.append(root_).push_back('/');
  out.append(file.substr(0, 2)).push_back('/');
  out.append(file);
  return out;
}

bool DataFiles::exists(std::string_view file) const {
  if (!valid_file_id(file)) return false;
  return ::access(path(file).c_str(), F_OK) == 0;
}

std::string DataFiles::temp_path() const { return root_ + "/tmp/" + common::random_hex(24); }

Result<StoredData> DataFiles::store(const std::function<long(char*, size_t)>& read, int64_t size_hint,
                                    const std::vector<common::ChecksumAlgorithm>& algorithms) {
  if (size_hint > static_cast<int64_t>(S3Engine::kMaxPutSize)) return common::fail(too_large());
  Digests digests(algorithms);
  StoredData out;

  // Small bodies stay in memory: a declared length up to kInlineMax, or an unknown length
  // that ends within kInlineMax + 1 bytes.
  std::string head;
  if (size_hint < 0 || size_hint <= static_cast<int64_t>(S3Engine::kInlineMax)) {
    head.resize(size_hint >= 0 ? static_cast<size_t>(size_hint) : S3Engine::kInlineMax + 1);
    size_t got = 0;
    if (!store::fill(read, head.data(), head.size(), got)) return common::fail(incomplete_body());
    head.resize(got);
    if (size_hint >= 0) {
      if (got != static_cast<size_t>(size_hint)) return common::fail(incomplete_body());
      char extra = 0;
      if (read(&extra, 1) != 0) return common::fail(incomplete_body());  // more than declared
    }
    if (got <= S3Engine::kInlineMax) {
      digests.update(head);
      digests.finish(out);
      out.inline_data = std::move(head);
      return out;
    }
    // Unknown length and larger than kInlineMax: continue into a file.
  }

  auto file = store::AtomicFile::create(temp_path());
  if (!file.ok()) return common::fail(storage_error(file.error()));
  Writeback writeback(file->temp_path());
  uint64_t total = head.size();
  if (!head.empty()) {
    digests.update(head);
    if (auto w = file->write(head); !w.ok()) return common::fail(storage_error(w.error()));
    std::string().swap(head);
  }
  // Large bodies (or of unknown length) are hashed on a second thread while this one reads and
  // writes; for the others a thread is not worth starting.
  common::HashThread hasher(kBufferSize, [&digests](std::string_view bytes) { digests.update_first(bytes); });
  bool threaded = (size_hint < 0 || size_hint > kHashThreadMin) && hasher.start();
  std::unique_ptr<char[]> own_buffer;
  if (!threaded) own_buffer = std::make_unique_for_overwrite<char[]>(kBufferSize);
  const uint64_t limit = size_hint >= 0 ? static_cast<uint64_t>(size_hint) : S3Engine::kMaxPutSize;
  while (true) {
    char* buffer = threaded ? hasher.acquire() : own_buffer.get();
    size_t n = 0;
    if (!store::fill(read, buffer, kBufferSize, n)) return common::fail(incomplete_body());
    if (n == 0) break;
    total += n;
    // More than declared, or than any object may be.
    if (total > limit) return common::fail(size_hint >= 0 ? incomplete_body() : too_large());
    std::string_view chunk(buffer, n);
    if (threaded) hasher.submit(n);
    if (auto w = file->write(chunk); !w.ok()) return common::fail(storage_error(w.error()));
    writeback.wrote(total);
    if (threaded) {
      digests.update_second(chunk);
    } else {
      digests.update(chunk);
    }
    if (n < kBufferSize) break;  // the body ended
  }
  if (size_hint >= 0 && total != static_cast<uint64_t>(size_hint)) return common::fail(incomplete_body());
  // The fsync overlaps the hashing of the last buffers.
  std::string id = common::random_hex(kFileIdLength);
  if (auto r = file->publish(path(id)); !r.ok()) return common::fail(storage_error(r.error()));
  hasher.finish();
  digests.finish(out);
  out.segments.push_back(Segment{id, 0, out.size});
  return out;
}

Result<std::string> DataFiles::write(std::string_view bytes) {
  auto file = store::AtomicFile::create(temp_path());
  if (!file.ok()) return common::fail(storage_error(file.error()));
  if (auto w = file->write(bytes); !w.ok()) return common::fail(storage_error(w.error()));
  std::string id = common::random_hex(kFileIdLength);
  if (auto r = file->publish(path(id)); !r.ok()) return common::fail(storage_error(r.error()));
  return id;
}

Status DataFiles::read(const std::vector<Segment>& segments, const std::function<void(std::string_view)>& visit) const {
  uint64_t total = 0;
  for (const Segment& segment : segments) total += segment.length;
  std::string buffer(static_cast<size_t>(std::min<uint64_t>(kBufferSize, std::max<uint64_t>(total, 1))), '\0');
  for (const Segment& segment : segments) {
    if (!valid_file_id(segment.file)) {
      return common::fail(make_error(Reason::Storage, "malformed data file id " + segment.file));
    }
    std::string file_path = path(segment.file);
    int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return common::fail(io_error("open " + file_path));
    uint64_t offset = segment.offset;
    uint64_t left = segment.length;
    while (left > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(left, buffer.size()));
      ssize_t n = ::pread(fd, buffer.data(), want, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Error e =
            n < 0 ? io_error("read " + file_path) : make_error(Reason::Storage, "data file too short: " + file_path);
        ::close(fd);
        return common::fail(std::move(e));
      }
      visit(std::string_view(buffer.data(), static_cast<size_t>(n)));
      offset += static_cast<uint64_t>(n);
      left -= static_cast<uint64_t>(n);
    }
    ::close(fd);
  }
  return common::ok();
}

void DataFiles::remove(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    if (valid_file_id(file)) ::unlink(path(file).c_str());
  }
}

std::vector<std::string> DataFiles::list() const {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& shard : fs::directory_iterator(root_, ec)) {
    std::string shard_name = shard.path().filename().string();
    if (!shard.is_directory(ec) || shard_name.size() != 2) continue;
    for (const auto& entry : fs::directory_iterator(shard.path(), ec)) {
      std::string name = entry.path().filename().string();
      if (valid_file_id(name) && name.compare(0, 2, shard_name) == 0) files.push_back(std::move(name));
    }
  }
  return files;
}

void DataFiles::remove_all() {
  // Only what this class wrote: data files in their shard directories, then the emptied shards.
  remove(list());
  std::error_code ec;
  std::vector<fs::path> shards;
  for (const auto& shard : fs::directory_iterator(root_, ec)) {
    std::string name = shard.path().filename().string();
    if (name.size() == 2 && valid_file_id(name + std::string(kFileIdLength - 2, '0'))) shards.push_back(shard.path());
  }
  for (const auto& shard : shards) fs::remove(shard, ec);  // fails harmlessly when not empty
}

}  // namespace s3
