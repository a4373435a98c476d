#include "services/codebuild/buildspec/zip_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "services/codebuild/buildspec/zip_format.h"

namespace buildspec {

using namespace zip;  // NOLINT: the format's constants and byte helpers, in this file only

namespace {

common::Status<> io_error(const std::string& what) {
  return common::fail(common::make_error(common::ErrorKind::Internal, what + ": " + std::strerror(errno)));
}

common::Status<> invalid(const std::string& what) {
  return common::fail(common::make_error(common::ErrorKind::InvalidArgument, what));
}

// An archive path: '/'-separated and relative, as every unzip expects.
bool valid_name(std::string_view name) {
  return !name.empty() && name.size() < kMax16 && name[0] != '/' && name.find('\0') == std::string_view::npos;
}

void timestamp_extra(std::string& out, time_t mtime) {
  put16(out, kExtendedTimestampExtra);
  put16(out, 5);
  out += static_cast<char>(1);  // modification time present
  put32(out, static_cast<uint32_t>(mtime));
}

}  // namespace

bool FdZipSink::write(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// One entry's raw deflate stream; output goes to the writer's sink as zlib produces it.
class ZipWriter::Deflater {
 public:
  Deflater(ZipWriter& writer, Entry& entry) : writer_(writer), entry_(entry) {
    if (writer.zstream_ == nullptr) {
      auto* stream = new z_stream{};
      if (deflateInit2(stream, writer.options_.level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        delete stream;
        return;
      }
      writer.zstream_ = stream;
    } else if (deflateReset(static_cast<z_stream*>(writer.zstream_)) != Z_OK) {
      return;
    }
    stream_ = static_cast<z_stream*>(writer.zstream_);
    ok_ = true;
  }

  bool add(const void* data, size_t size) {
    if (size == 0) return true;
    entry_.crc = static_cast<uint32_t>(crc32(entry_.crc, static_cast<const Bytef*>(data), static_cast<uInt>(size)));
    entry_.size += size;
    stream_->next_in = static_cast<Bytef*>(const_cast<void*>(data));
    stream_->avail_in = static_cast<uInt>(size);
    return pump(Z_NO_FLUSH);
  }
  bool finish() { return pump(Z_FINISH); }
  bool ok() const { return ok_; }

 private:
  bool pump(int flush) {
    unsigned char out[65536];
    while (ok_) {
      stream_->next_out = out;
      stream_->avail_out = sizeof out;
      const int rc = deflate(stream_, flush);
      if (rc == Z_STREAM_ERROR) return ok_ = false;
      const size_t produced = sizeof out - stream_->avail_out;
      entry_.compressed += produced;
      if (produced > 0 && !writer_.put(out, produced)) return ok_ = false;
      if (flush == Z_FINISH ? rc == Z_STREAM_END : stream_->avail_out != 0) break;
    }
    return ok_;
  }

  ZipWriter& writer_;
  Entry& entry_;
  z_stream* stream_ = nullptr;  // the writer's
  bool ok_ = false;
};

ZipWriter::ZipWriter(ZipSink& sink, ZipWriterOptions options) : sink_(sink), options_(options) {}

ZipWriter::~ZipWriter() {
  if (zstream_ != nullptr) {
    deflateEnd(static_cast<z_stream*>(zstream_));
    delete static_cast<z_stream*>(zstream_);
  }
}

bool ZipWriter::put(const void* data, size_t size) {
  if (failed_) return false;
  if (!sink_.write(data, size)) {
    failed_ = true;
    return false;
  }
  offset_ += size;
  return true;
}

common::Status<> ZipWriter::begin(Entry& entry, uint64_t size_hint) {
  if (finished_) return invalid("zip: entry added after finish");
  if (!valid_name(entry.name)) return invalid("zip: invalid entry name '" + entry.name + "'");
  entry.offset = offset_;
  entry.zip64 = size_hint >= options_.zip64_entry_threshold;
  uint16_t time_field = 0;
  uint16_t date_field = 0;
  dos_time(entry.mtime, time_field, date_field);
  std::string extra;
  if (entry.zip64) {
    // Sizes follow in the data descriptor; this field tells readers they are 8 bytes there.
    put16(extra, kZip64Extra);
    put16(extra, 16);
    put64(extra, 0);
    put64(extra, 0);
  }
  timestamp_extra(extra, entry.mtime);
  std::string header;
  put32(header, kLocalHeader);
  put16(header, entry.zip64 ? kVersionZip64 : kVersionDeflate);
  put16(header, kFlagDataDescriptor | kFlagUtf8);
  put16(header, kMethodDeflated);
  put16(header, time_field);
  put16(header, date_field);
  put32(header, 0);                         // crc: in the data descriptor
  put32(header, entry.zip64 ? kMax32 : 0);  // compressed size
  put32(header, entry.zip64 ? kMax32 : 0);  // uncompressed size
  put16(header, static_cast<uint16_t>(entry.name.size()));
  put16(header, static_cast<uint16_t>(extra.size()));
  header += entry.name;
  header += extra;
  if (!put(header)) return io_error("zip: write");
  return common::ok();
}

common::Status<> ZipWriter::end(Entry& entry) {
  if (!entry.zip64 && (entry.size >= kMax32 || entry.compressed >= kMax32)) {
    return invalid("zip: " + entry.name + " grew past 4 GiB while it was written");
  }
  std::string descriptor;
  put32(descriptor, kDataDescriptor);
  put32(descriptor, entry.crc);
  if (entry.zip64) {
    put64(descriptor, entry.compressed);
    put64(descriptor, entry.size);
  } else {
    put32(descriptor, static_cast<uint32_t>(entry.compressed));
    put32(descriptor, static_cast<uint32_t>(entry.size));
  }
  if (!put(descriptor)) return io_error("zip: write");
  entries_.push_back(entry);
  return common::ok();
}

common::Status<> ZipWriter::add_file(std::string_view archive_path, const std::string& source_path) {
  const int fd = ::open(source_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("zip: open " + source_path);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid("zip: " + source_path + " is not a regular file");
  }
  Entry entry;
  entry.name = std::string(archive_path);
  entry.mode = S_IFREG | (st.st_mode & 07777);
  entry.mtime = st.st_mtime;
  auto status = begin(entry, static_cast<uint64_t>(st.st_size));
  if (status.ok()) {
    Deflater deflater(*this, entry);
    static thread_local char buffer[1 << 16];
    bool ok = deflater.ok();
    while (ok) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        status = io_error("zip: read " + source_path);
        break;
      }
      if (n == 0) break;
      ok = deflater.add(buffer, static_cast<size_t>(n));
    }
    if (status.ok() && !(ok && deflater.finish())) status = io_error("zip: deflate " + source_path);
  }
  ::close(fd);
  if (!status.ok()) return status;
  return end(entry);
}

common::Status<> ZipWriter::add_symlink(std::string_view archive_path, std::string_view target, time_t mtime) {
  return add_bytes(archive_path, target, S_IFLNK | 0777, mtime);
}

common::Status<> ZipWriter::add_bytes(std::string_view archive_path, std::string_view data, uint32_t mode,
                                      time_t mtime) {
  Entry entry;
  entry.name = std::string(archive_path);
  entry.mode = mode;
  entry.mtime = mtime;
  auto status = begin(entry, data.size());
  if (!status.ok()) return status;
  Deflater deflater(*this, entry);
  if (!deflater.ok() || !deflater.add(data.data(), data.size()) || !deflater.finish()) {
    return io_error("zip: deflate " + entry.name);
  }
  return end(entry);
}

common::Status<> ZipWriter::finish() {
  if (finished_) return invalid("zip: finished twice");
  finished_ = true;
  const uint64_t directory_offset = offset_;
  for (const Entry& e : entries_) {
    const bool big_sizes = e.zip64;
    const bool big_offset = e.offset >= options_.zip64_offset_threshold || e.offset >= kMax32;
    std::string extra;
    if (big_sizes || big_offset) {
      put16(extra, kZip64Extra);
      put16(extra, static_cast<uint16_t>((big_sizes ? 16 : 0) + (big_offset ? 8 : 0)));
      if (big_sizes) {
        put64(extra, e.size);
        put64(extra, e.compressed);
      }
      if (big_offset) put64(extra, e.offset);
    }
    timestamp_extra(extra, e.mtime);
    uint16_t time_field = 0;
    uint16_t date_field = 0;
    dos_time(e.mtime, time_field, date_field);
    const uint16_t version = (big_sizes || big_offset) ? kVersionZip64 : kVersionDeflate;
    std::string header;
    put32(header, kCentralHeader);
    put16(header, kMadeByUnix | 63);  // made by Unix, APPNOTE 6.3
    put16(header, version);
    put16(header, kFlagDataDescriptor | kFlagUtf8);
    put16(header, kMethodDeflated);
    put16(header, time_field);
    put16(header, date_field);
    put32(header, e.crc);
    put32(header, big_sizes ? kMax32 : static_cast<uint32_t>(e.compressed));
    put32(header, big_sizes ? kMax32 : static_cast<uint32_t>(e.size));
    put16(header, static_cast<uint16_t>(e.name.size()));
    put16(header, static_cast<uint16_t>(extra.size()));
    put16(header, 0);  // comment
    put16(header, 0);  // disk
    put16(header, 0);  // internal attributes
    put32(header, e.mode << 16);
    put32(header, big_offset ? kMax32 : static_cast<uint32_t>(e.offset));
    header += e.name;
    header += extra;
    if (!put(header)) return io_error("zip: write");
  }
  const uint64_t directory_size = offset_ - directory_offset;
  const uint64_t count = entries_.size();
  const bool zip64_end = count >= kMax16 || directory_size >= kMax32 || directory_offset >= kMax32 ||
                         directory_offset >= options_.zip64_offset_threshold;
  std::string tail;
  if (zip64_end) {
    const uint64_t record_offset = offset_;
    put32(tail, kZip64EndOfCentralDirectory);
    put64(tail, 44);  // size of the rest of this record
    put16(tail, kMadeByUnix | 63);
    put16(tail, kVersionZip64);
    put32(tail, 0);
    put32(tail, 0);
    put64(tail, count);
    put64(tail, count);
    put64(tail, directory_size);
    put64(tail, directory_offset);
    put32(tail, kZip64Locator);
    put32(tail, 0);
    put64(tail, record_offset);
    put32(tail, 1);
  }
  put32(tail, kEndOfCentralDirectory);
  put16(tail, 0);
  put16(tail, 0);
  put16(tail, zip64_end ? kMax16 : static_cast<uint16_t>(count));
  put16(tail, zip64_end ? kMax16 : static_cast<uint16_t>(count));
  put32(tail, zip64_end ? kMax32 : static_cast<uint32_t>(directory_size));
  put32(tail, zip64_end ? kMax32 : static_cast<uint32_t>(directory_offset));
  put16(tail, 0);  // comment
  if (!put(tail)) return io_error("zip: write");
  return common::ok();
}

common::Status<> write_zip(const std::string& zip_path, const std::vector<ArtifactFile>& files,
                           ZipWriterOptions options) {
  const int fd = ::open(zip_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("zip: create " + zip_path);
  FdZipSink sink(fd);
  ZipWriter writer(sink, options);
  common::Status<> status = common::ok();
  for (const ArtifactFile& file : files) {
    if (file.symlink) {
      struct stat st {};
      const time_t mtime = ::lstat(file.source_path.c_str(), &st) == 0 ? st.st_mtime : 0;
      status = writer.add_symlink(file.archive_path, file.link_target, mtime);
    } else {
      status = writer.add_file(file.archive_path, file.source_path);
    }
    if (!status.ok()) break;
  }
  if (status.ok()) status = writer.finish();
  if (::close(fd) != 0 && status.ok()) status = io_error("zip: close " + zip_path);
  return status;
}

}  // namespace buildspec
