// TarWriter: a POSIX (ustar + pax) tar archive built in memory, for the bodies the engine takes
// as tar: a build context (POST /build) and a root filesystem to import (POST /images/create
// ?fromSrc=-). Paths longer than ustar's 100 bytes get a pax "path"/"linkpath" record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace runtime {

class TarWriter {
 public:
  // `path` is relative ("Dockerfile", "bin/sh"); directories need not be added first.
  void add_file(std::string_view path, std::string_view content, uint32_t mode = 0644);
  void add_directory(std::string_view path, uint32_t mode = 0755);
  void add_symlink(std::string_view path, std::string_view target);
  // Adds the tree under `root` (files, directories, symlinks; not `root` itself), paths relative
  // to it under `prefix`. Errors when something cannot be read.
  common::Status<> add_tree(const std::string& root, std::string_view prefix = "");

  // The archive, with its end-of-archive blocks. The writer can still be added to afterwards.
  std::string finish() const;
  // Writes finish() to `path`.
  common::Status<> write_to(const std::string& path) const;

 private:
  void add_entry(char type, std::string_view path, std::string_view link, uint32_t mode, std::string_view content);
  void add_pax(std::string_view path, std::string_view link);

  std::string data_;
};

}  // namespace runtime
