// The engine's streamed bodies, decoded incrementally as bytes arrive (pure, unit-tested):
// - container logs of a non-TTY container: frames of an 8-byte header [stream, 0, 0, 0,
//   length as big-endian u32] and the payload, stream 1 = stdout, 2 = stderr (0 = stdin);
// - progress of pull, push, build and import: a sequence of JSON objects ("{...}\n{...}"),
//   where an error arrives inside the HTTP 200 body as {"errorDetail":...,"error":...}.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/result.h"

namespace runtime {

enum class LogStream { Stdin = 0, Stdout = 1, Stderr = 2 };

// Receives output as it arrives; one call per frame piece (a frame may come in several calls).
using OutputFn = std::function<void(LogStream stream, std::string_view bytes)>;

class FrameDemuxer {
 public:
  // `raw`: the container has a TTY, so the body is unframed stdout.
  FrameDemuxer(OutputFn sink, bool raw = false) : sink_(std::move(sink)), raw_(raw) {}
  // Consumes `bytes`, passing payload to the sink at once (a partial frame's bytes too, so a
  // long line is not held back). Errors on a header with an unknown stream number.
  common::Status<> feed(std::string_view bytes);
  // True between frames (the stream may end here).
  bool at_boundary() const { return header_used_ == 0 && remaining_ == 0; }

 private:
  OutputFn sink_;
  bool raw_;
  unsigned char header_[8] = {};
  size_t header_used_ = 0;
  uint32_t remaining_ = 0;
  LogStream stream_ = LogStream::Stdout;
};

// Splits a byte stream into top-level JSON objects, whatever separates them (newlines, CRLF,
// nothing) and however the stream is cut into pieces.
class JsonObjectSplitter {
 public:
  using ObjectFn = std::function<void(std::string_view object_text)>;
  explicit JsonObjectSplitter(ObjectFn sink) : sink_(std::move(sink)) {}
  // Errors when something other than whitespace sits between objects, or an object grows past
  // 16 MiB.
  common::Status<> feed(std::string_view bytes);
  // No object is open (the stream may end here).
  bool idle() const { return depth_ == 0; }

 private:
  ObjectFn sink_;
  std::string current_;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
};

// One message of a progress stream, with the members the Docker API defines.
struct ProgressMessage {
  std::string status;    // "Pushing", "v1: digest: sha256:... size: 343"
  std::string id;        // layer id the status is about
  std::string progress;  // "[==>   ] 1.2MB/3MB"
  std::string stream;    // build output text
  std::string error;     // set when the operation failed (errorDetail.message, else error)
  std::string aux_id;    // build: {"aux":{"ID":"sha256:..."}}
  nlohmann::json raw;    // the whole object
};

// Parses one object; a non-object or malformed text gives a message whose `error` says so.
ProgressMessage parse_progress(std::string_view object_text);

}  // namespace runtime
