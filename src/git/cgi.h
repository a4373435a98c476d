// Running a CGI program (git http-backend) with a streamed request body and a response body
// that may be far larger than memory (a clone's pack): the body spills to an unlinked temp
// file past a small threshold. git::run buffers everything, so CGI has its own runner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace git {

// Reads up to `size` request-body bytes: >0 bytes read, 0 at the end, -1 on a broken body.
using BodySource = std::function<long(char* buffer, size_t size)>;

struct CgiRequest {
  std::string program;                     // absolute path of the CGI executable
  std::map<std::string, std::string> env;  // the whole environment (CGI variables, PATH, ...)
  std::string body_prefix;                 // bytes already read from the body, sent first
  BodySource body;                         // the rest of the body; empty = none
  std::string spill_dir;                   // where a large response body goes (unlinked at once)
  size_t memory_limit = 256 * 1024;        // response bodies up to this stay in memory
};

struct CgiHeaders {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // without Status:
  size_t length = 0;                                         // bytes of the header block incl. the blank line
};

struct CgiResult {
  int exit_code = -1;  // -1 when killed by a signal
  CgiHeaders head;
  bool headers_ok = false;  // the program printed a complete, well-formed header block
  std::string body;         // the body when it stayed in memory
  int body_fd = -1;         // otherwise an unlinked file holding it (caller closes)
  uint64_t body_size = 0;
  std::string err;            // stderr (first 64 KiB)
  bool input_broken = false;  // the request body could not be read to its end
};

// Parses a CGI response header block at the start of `data` ("Name: value" lines ended by a
// blank line; CRLF or LF). nullopt while incomplete; a malformed block yields status 502.
std::optional<CgiHeaders> parse_cgi_headers(std::string_view data);

// Runs the program (posix_spawn, no shell), feeding it the body and collecting its output.
// Fails only when it cannot be started or the spill file cannot be written.
common::Result<CgiResult> run_cgi(const CgiRequest& request);

}  // namespace git
