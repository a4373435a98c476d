#include "services/s3/engine/data_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/crypto.h"
#include "common/ids.h"
#include "common/log.h"
#include "store/atomic_file.h"

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

}  // namespace

Digests::Digests(const std::vector<common::ChecksumAlgorithm>& algorithms) : md5_(common::ChecksumAlgorithm::MD5) {
  checksums_.reserve(algorithms.size());
  for (auto algorithm : algorithms) checksums_.emplace_back(algorithm);
}

void Digests::update(std::string_view bytes) {
  md5_.update(bytes);
  for (auto& checksum : checksums_) checksum.update(bytes);
  size_ += bytes.size();
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
  // Reads until `buffer` is full or the body ends; false when the body failed.
  auto fill = [&read](std::string& buffer, size_t& got) {
    while (got < buffer.size()) {
      long n = read(buffer.data() + got, buffer.size() - got);
      if (n < 0) return false;
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    return true;
  };

  // Small bodies stay in memory: a declared length up to kInlineMax, or an unknown length
  // that ends within kInlineMax + 1 bytes.
  size_t first_chunk = size_hint >= 0 ? static_cast<size_t>(std::min<int64_t>(size_hint, S3Engine::kInlineMax + 1))
                                      : S3Engine::kInlineMax + 1;
  if (size_hint < 0 || size_hint <= static_cast<int64_t>(S3Engine::kInlineMax)) {
    std::string head(first_chunk, '\0');
    size_t got = 0;
    if (!fill(head, got)) return common::fail(incomplete_body());
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
    auto file = store::AtomicFile::create(temp_path());
    if (!file.ok()) return common::fail(storage_error(file.error()));
    digests.update(head);
    if (auto w = file->write(head); !w.ok()) return common::fail(storage_error(w.error()));
    uint64_t total = head.size();
    std::string().swap(head);
    std::string buffer(kBufferSize, '\0');
    while (true) {
      size_t n = 0;
      if (!fill(buffer, n)) return common::fail(incomplete_body());
      if (n == 0) break;
      total += n;
      if (total > S3Engine::kMaxPutSize) return common::fail(too_large());
      std::string_view chunk(buffer.data(), n);
      digests.update(chunk);
      if (auto w = file->write(chunk); !w.ok()) return common::fail(storage_error(w.error()));
      if (n < buffer.size()) break;
    }
    std::string id = common::random_hex(kFileIdLength);
    if (auto r = file->publish(path(id)); !r.ok()) return common::fail(storage_error(r.error()));
    digests.finish(out);
    out.segments.push_back(Segment{id, 0, out.size});
    return out;
  }

  auto file = store::AtomicFile::create(temp_path());
  if (!file.ok()) return common::fail(storage_error(file.error()));
  std::string buffer(kBufferSize, '\0');
  uint64_t total = 0;
  while (true) {
    long n = read(buffer.data(), buffer.size());
    if (n < 0) return common::fail(incomplete_body());
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (total > static_cast<uint64_t>(size_hint)) return common::fail(incomplete_body());  // more than declared
    std::string_view chunk(buffer.data(), static_cast<size_t>(n));
    digests.update(chunk);
    if (auto w = file->write(chunk); !w.ok()) return common::fail(storage_error(w.error()));
  }
  if (total != static_cast<uint64_t>(size_hint)) return common::fail(incomplete_body());
  std::string id = common::random_hex(kFileIdLength);
  if (auto r = file->publish(path(id)); !r.ok()) return common::fail(storage_error(r.error()));
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
