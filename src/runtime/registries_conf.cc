#include "runtime/registries_conf.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace runtime {
namespace {

// A TOML basic string.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string render_registries_conf(const RegistriesConf& conf) {
  // Short names are not searched anywhere: no registry here is reachable but hakobu's, and the
  // Docker API already qualifies short names with docker.io.
  std::string text = "# Written by hakobu for the container engine it runs; rewritten at every start.\n";
  text += "unqualified-search-registries = []\n";
  for (const auto& host : conf.insecure) {
    text += "\n[[registry]]\nlocation = " + quoted(host) + "\ninsecure = true\n";
  }
  for (const auto& remap : conf.remaps) {
    text += "\n[[registry]]\nprefix = " + quoted(remap.prefix) + "\nlocation = " + quoted(remap.location) +
            "\ninsecure = " + (remap.insecure ? "true" : "false") + "\n";
  }
  return text;
}

common::Status<> write_file_atomically(const std::string& path, const std::string& text) {
  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  auto failed = [&](const char* what) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return common::fail(
        common::make_error(common::ErrorKind::Internal, std::string(what) + " " + path + ": " + std::strerror(err)));
  };
  if (fd < 0) return failed("cannot create");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return failed("cannot write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return failed("cannot sync");
  ::close(fd);
  fd = -1;
  if (::rename(temp.c_str(), path.c_str()) != 0) return failed("cannot rename");
  return common::ok();
}

}  // namespace runtime
