#include "services/codebuild/buildspec/zip_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "common/strings.h"
#include "services/codebuild/buildspec/zip_format.h"

namespace buildspec {

using namespace zip;  // NOLINT: the format's constants and byte helpers, in this file only

namespace {

constexpr size_t kEndRecordSize = 22;
constexpr size_t kMaxComment = 65535;
constexpr uint64_t kMaxDirectoryBytes = 512ULL << 20;

common::Error bad_zip(const std::string& why) {
  return common::make_error(common::ErrorKind::InvalidArgument, "zip: " + why);
}
common::Error io_error(const std::string& what) {
  return common::make_error(common::ErrorKind::Internal, "zip: " + what + ": " + std::strerror(errno));
}

// The zip64 extended information field: the values whose 32-bit fields were saturated.
void apply_zip64_extra(std::string_view extra, ZipEntry& e, bool size_saturated, bool compressed_saturated,
                       bool offset_saturated) {
  size_t at = 0;
  while (at + 4 <= extra.size()) {
    const uint16_t id = get16(extra, at);
    const uint16_t length = get16(extra, at + 2);
    const std::string_view data = extra.substr(at + 4, std::min<size_t>(length, extra.size() - at - 4));
    if (id == kZip64Extra) {
      size_t field = 0;
      auto next = [&](uint64_t& target) {
        if (field + 8 <= data.size()) target = get64(data, field);
        field += 8;
      };
      if (size_saturated) next(e.size);
      if (compressed_saturated) next(e.compressed_size);
      if (offset_saturated) next(e.local_header_offset);
    } else if (id == kExtendedTimestampExtra && data.size() >= 5 && (data[0] & 1)) {
      e.mtime = static_cast<time_t>(get32(data, 1));
    }
    at += 4 + length;
  }
}

// A relative path that stays inside its root: no absolute names, no "..", no NUL.
std::optional<std::string> safe_relative(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find('\0') != std::string::npos) return std::nullopt;
  std::string out;
  for (std::string_view part : common::split(name, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") return std::nullopt;
    if (!out.empty()) out += '/';
    out.append(part);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// Creates dest/rel's parent directories, refusing to go through anything but real directories.
common::Status<> make_parents(const std::string& dest, const std::string& rel) {
  size_t slash = rel.find('/');
  while (slash != std::string::npos) {
    const std::string dir = dest + "/" + rel.substr(0, slash);
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
      if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return common::fail(io_error("mkdir " + dir));
    } else if (!S_ISDIR(st.st_mode)) {
      return common::fail(
          bad_zip(rel + " would be written through " + rel.substr(0, slash) + ", which is not a directory"));
    }
    slash = rel.find('/', slash + 1);
  }
  return common::ok();
}

// Whether a link at dest/rel pointing at `target` stays inside dest (judged on the names only).
bool link_stays_inside(const std::string& rel, const std::string& target) {
  if (target.empty() || target[0] == '/') return false;
  std::vector<std::string> parts;
  for (std::string_view part : common::split(rel, '/')) parts.emplace_back(part);
  parts.pop_back();  // the link itself
  for (std::string_view part : common::split(target, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
    } else {
      parts.emplace_back(part);
    }
  }
  return true;
}

}  // namespace

common::Result<ZipReader> ZipReader::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return common::fail(io_error("open " + path));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return common::fail(io_error("stat " + path));
  }
  ZipReader reader(fd, static_cast<uint64_t>(st.st_size));
  auto loaded = reader.load_directory();
  if (!loaded.ok()) return common::fail(loaded.error());
  return reader;
}

ZipReader::ZipReader(ZipReader&& other) noexcept
    : fd_(other.fd_), size_(other.size_), entries_(std::move(other.entries_)) {
  other.fd_ = -1;
}

ZipReader::~ZipReader() {
  if (fd_ >= 0) ::close(fd_);
}

common::Result<std::string> ZipReader::pread_exact(uint64_t offset, size_t size) const {
  if (offset > size_ || size > size_ - offset) return common::fail(bad_zip("truncated archive"));
  std::string out(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd_, out.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return common::fail(io_error("read"));
    if (n == 0) return common::fail(bad_zip("truncated archive"));
    done += static_cast<size_t>(n);
  }
  return out;
}

common::Status<> ZipReader::load_directory() {
  const uint64_t tail_size = std::min<uint64_t>(size_, kEndRecordSize + kMaxComment);
  auto tail = pread_exact(size_ - tail_size, tail_size);
  if (!tail.ok()) return common::fail(tail.error());
  const std::string_view t(*tail);
  size_t end = std::string_view::npos;
  for (size_t i = t.size() >= kEndRecordSize ? t.size() - kEndRecordSize + 1 : 0; i-- > 0;) {
    if (get32(t, i) == kEndOfCentralDirectory && i + kEndRecordSize + get16(t, i + 20) <= t.size()) {
      end = i;
      break;
    }
  }
  if (end == std::string_view::npos) return common::fail(bad_zip("no end of central directory record"));
  uint64_t count = get16(t, end + 10);
  uint64_t directory_size = get32(t, end + 12);
  uint64_t directory_offset = get32(t, end + 16);
  const uint64_t end_offset = size_ - tail_size + end;
  if (end_offset >= 20) {
    auto locator = pread_exact(end_offset - 20, 20);
    if (locator.ok() && get32(*locator, 0) == kZip64Locator) {
      auto record = pread_exact(get64(*locator, 8), 56);
      if (!record.ok() || get32(*record, 0) != kZip64EndOfCentralDirectory) {
        return common::fail(bad_zip("bad zip64 end of central directory record"));
      }
      count = get64(*record, 32);
      directory_size = get64(*record, 40);
      directory_offset = get64(*record, 48);
    }
  }
  if (directory_size > kMaxDirectoryBytes) return common::fail(bad_zip("central directory too large"));
  auto directory = pread_exact(directory_offset, static_cast<size_t>(directory_size));
  if (!directory.ok()) return common::fail(directory.error());
  const std::string_view d(*directory);
  size_t at = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (at + 46 > d.size() || get32(d, at) != kCentralHeader) return common::fail(bad_zip("bad central directory"));
    ZipEntry e;
    const uint16_t made_by = get16(d, at + 4);
    e.flags = get16(d, at + 8);
    e.method = get16(d, at + 10);
    e.mtime = from_dos_time(get16(d, at + 12), get16(d, at + 14));
    e.crc32 = get32(d, at + 16);
    e.compressed_size = get32(d, at + 20);
    e.size = get32(d, at + 24);
    const size_t name_length = get16(d, at + 28);
    const size_t extra_length = get16(d, at + 30);
    const size_t comment_length = get16(d, at + 32);
    const uint32_t external = get32(d, at + 38);
    e.local_header_offset = get32(d, at + 42);
    if (at + 46 + name_length + extra_length + comment_length > d.size()) {
      return common::fail(bad_zip("bad central directory"));
    }
    e.name = std::string(d.substr(at + 46, name_length));
    apply_zip64_extra(d.substr(at + 46 + name_length, extra_length), e, e.size == kMax32, e.compressed_size == kMax32,
                      e.local_header_offset == kMax32);
    const bool unix_host = (made_by >> 8) == 3;
    if (!unix_host) std::replace(e.name.begin(), e.name.end(), '\\', '/');
    e.mode = unix_host ? external >> 16 : 0;
    if ((e.mode & 0170000) == 0) {
      const bool dir = (!e.name.empty() && e.name.back() == '/') || (external & 0x10) != 0;
      e.mode = (dir ? 0040000 : 0100000) | ((e.mode & 07777) != 0 ? (e.mode & 07777) : (dir ? 0755 : 0644));
    }
    entries_.push_back(std::move(e));
    at += 46 + name_length + extra_length + comment_length;
  }
  return common::ok();
}

const ZipEntry* ZipReader::find(const std::string& name) const {
  for (const auto& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

template <class Out>
common::Status<> ZipReader::stream(const ZipEntry& entry, uint64_t max_bytes, Out&& out) const {
  if (entry.flags & kFlagEncrypted) return common::fail(bad_zip(entry.name + " is encrypted"));
  if (entry.method != kMethodStored && entry.method != kMethodDeflated) {
    return common::fail(bad_zip(entry.name + " uses compression method " + std::to_string(entry.method)));
  }
  if (max_bytes != 0 && entry.size > max_bytes) return common::fail(bad_zip(entry.name + " is too large"));
  auto header = pread_exact(entry.local_header_offset, 30);
  if (!header.ok()) return common::fail(header.error());
  if (get32(*header, 0) != kLocalHeader) return common::fail(bad_zip("bad local header for " + entry.name));
  uint64_t position = entry.local_header_offset + 30 + get16(*header, 26) + get16(*header, 28);
  uint64_t remaining = entry.compressed_size;
  uint64_t produced = 0;
  uint32_t crc = 0;
  z_stream z{};
  if (entry.method == kMethodDeflated && inflateInit2(&z, -15) != Z_OK) return common::fail(bad_zip("inflateInit"));
  bool stream_end = entry.method == kMethodStored;
  common::Status<> status = common::ok();
  static thread_local unsigned char plain[1 << 16];
  auto emit = [&](const unsigned char* data, size_t n) -> bool {
    produced += n;
    if (produced > entry.size) {
      status = common::fail(bad_zip(entry.name + " is longer than its recorded size"));
      return false;
    }
    crc = static_cast<uint32_t>(::crc32(crc, data, static_cast<uInt>(n)));
    if (!out(reinterpret_cast<const char*>(data), n)) {
      status = common::fail(io_error("write " + entry.name));
      return false;
    }
    return true;
  };
  while (status.ok() && remaining > 0 && !(stream_end && entry.method == kMethodDeflated)) {
    auto chunk = pread_exact(position, static_cast<size_t>(std::min<uint64_t>(remaining, 1 << 16)));
    if (!chunk.ok()) {
      status = common::fail(chunk.error());
      break;
    }
    position += chunk->size();
    remaining -= chunk->size();
    auto* bytes = reinterpret_cast<unsigned char*>(chunk->data());
    if (entry.method == kMethodStored) {
      emit(bytes, chunk->size());
      continue;
    }
    z.next_in = bytes;
    z.avail_in = static_cast<uInt>(chunk->size());
    while (status.ok() && z.avail_in > 0 && !stream_end) {
      z.next_out = plain;
      z.avail_out = sizeof plain;
      const int rc = inflate(&z, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
        status = common::fail(bad_zip(entry.name + ": corrupt deflate data"));
        break;
      }
      if (!emit(plain, sizeof plain - z.avail_out)) break;
      stream_end = rc == Z_STREAM_END;
      if (rc == Z_BUF_ERROR) break;
    }
  }
  // Deflate output still inside zlib after the last input byte; no progress means truncated.
  while (status.ok() && entry.method == kMethodDeflated && !stream_end) {
    z.next_out = plain;
    z.avail_out = sizeof plain;
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_STREAM_END && rc != Z_BUF_ERROR && rc != Z_OK) break;
    const size_t n = sizeof plain - z.avail_out;
    if (!emit(plain, n)) break;
    stream_end = rc == Z_STREAM_END;
    if (n == 0) break;
  }
  if (entry.method == kMethodDeflated) inflateEnd(&z);
  if (!status.ok()) return status;
  if (!stream_end) return common::fail(bad_zip(entry.name + ": truncated deflate data"));
  if (produced != entry.size) return common::fail(bad_zip(entry.name + ": size does not match the directory"));
  if (crc != entry.crc32) return common::fail(bad_zip(entry.name + ": CRC mismatch"));
  return common::ok();
}

common::Result<std::string> ZipReader::read(const ZipEntry& entry, uint64_t max_bytes) const {
  std::string content;
  auto status = stream(entry, max_bytes, [&](const char* data, size_t n) {
    content.append(data, n);
    return true;
  });
  if (!status.ok()) return common::fail(status.error());
  return content;
}

common::Status<> ZipReader::extract_all(const std::string& dest_dir, ExtractOptions options) const {
  std::error_code ec;
  std::filesystem::create_directories(dest_dir, ec);
  if (ec) return common::fail(common::make_error(common::ErrorKind::Internal, "zip: mkdir " + dest_dir));
  // Every name first: nothing is written from an archive that would escape.
  uint64_t total = 0;
  std::vector<std::pair<const ZipEntry*, std::string>> plan;
  for (const ZipEntry& e : entries_) {
    auto rel = safe_relative(e.name);
    if (!rel) return common::fail(bad_zip("entry '" + e.name + "' would be written outside " + dest_dir));
    total += e.size;
    if (options.max_total_bytes != 0 && total > options.max_total_bytes) {
      return common::fail(bad_zip("archive expands past " + std::to_string(options.max_total_bytes) + " bytes"));
    }
    plan.emplace_back(&e, std::move(*rel));
  }
  std::vector<std::pair<const ZipEntry*, std::string>> links;
  for (const auto& [entry, rel] : plan) {
    if (auto made = make_parents(dest_dir, rel); !made.ok()) return made;
    const std::string path = dest_dir + "/" + rel;
    if (entry->is_symlink()) {
      links.emplace_back(entry, rel);
      continue;
    }
    if (entry->is_directory()) {
      struct stat st {};
      if (::lstat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
        return common::fail(bad_zip(rel + " is not a directory"));
      if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return common::fail(io_error("mkdir " + path));
      continue;
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return common::fail(io_error("create " + path));
    auto status = stream(*entry, 0, [&](const char* data, size_t n) {
      while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        data += w;
        n -= static_cast<size_t>(w);
      }
      return true;
    });
    ::fchmod(fd, entry->mode & 0777);
    const struct timespec times[2] = {{entry->mtime, 0}, {entry->mtime, 0}};
    ::futimens(fd, times);
    ::close(fd);
    if (!status.ok()) return status;
  }
  // Links last, so no file of this archive is ever written through one.
  for (const auto& [entry, rel] : links) {
    auto target = read(*entry, 4096);
    if (!target.ok()) return common::fail(target.error());
    if (!link_stays_inside(rel, *target)) {
      return common::fail(bad_zip("symlink " + rel + " -> " + *target + " points outside " + dest_dir));
    }
    const std::string path = dest_dir + "/" + rel;
    if (::symlink(target->c_str(), path.c_str()) != 0) return common::fail(io_error("symlink " + path));
  }
  return common::ok();
}

}  // namespace buildspec
