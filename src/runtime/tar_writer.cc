#include "runtime/tar_writer.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace runtime {
namespace {

constexpr size_t kBlock = 512;

// Octal, zero-padded to width-1 digits and a NUL (ustar's numeric fields). Sizes past 8 GiB
// (11 octal digits) do not fit; nothing we archive is that large.
void put_octal(char* field, size_t width, uint64_t value) {
  field[width - 1] = '\0';
  for (size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

void put_text(char* field, size_t width, std::string_view text) {
  std::memcpy(field, text.data(), std::min(width, text.size()));
}

void pad_to_block(std::string& data) {
  size_t rest = data.size() % kBlock;
  if (rest != 0) data.append(kBlock - rest, '\0');
}

// A pax record "<len> <key>=<value>\n", where <len> counts the whole record, its digits too.
std::string pax_record(std::string_view key, std::string_view value) {
  size_t body = 1 + key.size() + 1 + value.size() + 1;
  size_t digits = std::to_string(body).size();
  if (std::to_string(body + digits).size() != digits) ++digits;
  return std::to_string(body + digits) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

}  // namespace

void TarWriter::add_entry(char type, std::string_view path, std::string_view link, uint32_t mode,
                          std::string_view content) {
  if (path.size() > 100 || link.size() > 100) add_pax(path, link);
  char header[kBlock] = {};
  put_text(header, 100, path.substr(0, 100));
  put_octal(header + 100, 8, mode);
  put_octal(header + 108, 8, 0);  // uid
  put_octal(header + 116, 8, 0);  // gid
  put_octal(header + 124, 12, content.size());
  put_octal(header + 136, 12, 0);  // mtime: fixed, so the same context gives the same bytes
  header[156] = type;
  put_text(header + 157, 100, link.substr(0, 100));
  std::memcpy(header + 257,
              "ustar\0"
              "00",
              8);
  put_text(header + 265, 32, "root");
  put_text(header + 297, 32, "root");
  std::memset(header + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  put_octal(header + 148, 7, sum);  // six digits, NUL, then the space already there
  data_.append(header, kBlock);
  data_.append(content);
  pad_to_block(data_);
}

void TarWriter::add_pax(std::string_view path, std::string_view link) {
  std::string records;
  if (path.size() > 100) records += pax_record("path", path);
  if (link.size() > 100) records += pax_record("linkpath", link);
  add_entry('x', "PaxHeader", "", 0644, records);
}

void TarWriter::add_file(std::string_view path, std::string_view content, uint32_t mode) {
  add_entry('0', path, "", mode, content);
}

void TarWriter::add_directory(std::string_view path, uint32_t mode) {
  std::string name(path);
  if (name.empty() || name.back() != '/') name += '/';
  add_entry('5', name, "", mode, "");
}

void TarWriter::add_symlink(std::string_view path, std::string_view target) { add_entry('2', path, target, 0777, ""); }

common::Status<> TarWriter::add_tree(const std::string& root, std::string_view prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    // Lexical: fs::relative() would resolve a symlink to where it points.
    std::string relative = it->path().lexically_relative(root).generic_string();
    std::string name = prefix.empty() ? relative : std::string(prefix) + "/" + relative;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) {
      return common::fail(common::make_error(common::ErrorKind::InvalidArgument, "cannot stat " + it->path().string()));
    }
    uint32_t mode = st.st_mode & 07777;
    if (S_ISLNK(st.st_mode)) {
      add_symlink(name, fs::read_symlink(it->path(), ec).string());
    } else if (S_ISDIR(st.st_mode)) {
      add_directory(name, mode);
    } else if (S_ISREG(st.st_mode)) {
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      if (!in) {
        return common::fail(
            common::make_error(common::ErrorKind::InvalidArgument, "cannot read " + it->path().string()));
      }
      add_file(name, content.str(), mode);
    }
  }
  if (ec) return common::fail(common::make_error(common::ErrorKind::InvalidArgument, root + ": " + ec.message()));
  return common::ok();
}

std::string TarWriter::finish() const {
  std::string out = data_;
  out.append(2 * kBlock, '\0');
  return out;
}

common::Status<> TarWriter::write_to(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::string archive = finish();
  out.write(archive.data(), static_cast<std::streamsize>(archive.size()));
  out.close();
  if (!out) return common::fail(common::make_error(common::ErrorKind::Internal, "cannot write " + path));
  return common::ok();
}

}  // namespace runtime
