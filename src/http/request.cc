#include "http/request.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/strings.h"

namespace http {

const std::string* Request::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (common::iequals(h.name, name)) return &h.value;
  }
  return nullptr;
}

bool Request::read_body(std::string& out, size_t max_bytes) {
  out.clear();
  if (body_reader == nullptr || body_consumed) return true;
  body_consumed = true;
  if (content_length > 0) {
    if (static_cast<uint64_t>(content_length) > max_bytes) return false;
    out.resize(static_cast<size_t>(content_length));
    size_t got = 0;
    while (got < out.size()) {
      long n = body_reader->read(out.data() + got, out.size() - got);
      if (n <= 0) return false;
      got += static_cast<size_t>(n);
    }
    return true;
  }
  char buffer[16384];
  while (true) {
    long n = body_reader->read(buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) return false;
    if (out.size() + static_cast<size_t>(n) > max_bytes) return false;
    out.append(buffer, static_cast<size_t>(n));
  }
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

std::shared_ptr<const OpenFile> OpenFile::open(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return nullptr;
  return std::make_shared<const OpenFile>(fd);
}

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace http
