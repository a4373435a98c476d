// TempDir: a fresh temporary directory, removed with everything in it when the object goes
// (scratch space for one operation, such as a git index; a test fixture's data directory).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace common {

class TempDir {
 public:
  // Under the system temporary directory (TMPDIR, else /tmp): "<prefix>-XXXXXX".
  explicit TempDir(std::string_view prefix = "hakobu") {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / std::string(prefix)).string() + "-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // False when the directory could not be made.
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace common
