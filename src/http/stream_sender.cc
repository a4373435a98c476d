#include "http/stream_sender.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstdio>
#include <string_view>

#include "http/framing.h"

namespace http {
namespace {

// Bytes asked of the stream per read: a pipe holds 64 KiB by default, so a CGI program's output
// usually arrives in reads of at most that.
constexpr size_t kStreamBuffer = 128 * 1024;

// Writes every byte of `iov` (modified as it goes). False when the socket broke or timed out
// (SO_SNDTIMEO: a client that stopped reading).
bool send_all(int fd, iovec* iov, int count) {
  while (count > 0) {
    msghdr message{};
    message.msg_iov = iov;
    message.msg_iovlen = static_cast<size_t>(count);
    ssize_t n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    size_t done = static_cast<size_t>(n);
    while (count > 0 && done >= iov->iov_len) {
      done -= iov->iov_len;
      ++iov;
      --count;
    }
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + done;
      iov->iov_len -= done;
    }
  }
  return true;
}

// One piece of the body, framed as a chunk when `chunked`.
bool send_piece(int fd, const char* data, size_t size, bool chunked) {
  if (size == 0) return true;
  char line[24];
  int line_size = chunked ? std::snprintf(line, sizeof line, "%zx\r\n", size) : 0;
  static constexpr char kCrlf[] = "\r\n";
  iovec iov[3] = {{line, static_cast<size_t>(line_size)},
                  {const_cast<char*>(data), size},
                  {const_cast<char*>(kCrlf), chunked ? size_t{2} : size_t{0}}};
  return send_all(fd, iov, 3);
}

// Producers handle their own errors; this only keeps a stray exception from ending the
// connection's thread (and with it the process), as the handler call does.
long read_guarded(BodyStream& stream, char* buffer, size_t size) {
  try {
    return stream.read(buffer, size);
  } catch (...) {
    return -1;
  }
}

// The body after the head: `body`, the stream, and the last chunk. False when it could not be
// sent whole (the stream failed, the socket broke, or a sized stream ran short or long).
bool send_body(int fd, StreamedResponse& response) {
  BodyStream& stream = *response.stream;
  int64_t declared = stream.size();
  if (!send_piece(fd, response.body.data(), response.body.size(), response.chunked)) return false;
  std::unique_ptr<char[]> buffer(new char[kStreamBuffer]);
  int64_t sent = 0;
  while (true) {
    long n = read_guarded(stream, buffer.get(), kStreamBuffer);
    if (n < 0) return false;
    if (n == 0) break;
    if (declared >= 0 && sent + n > declared) return false;
    if (!send_piece(fd, buffer.get(), static_cast<size_t>(n), response.chunked)) return false;
    sent += n;
  }
  if (declared >= 0 && sent != declared) return false;
  if (!response.chunked) return true;
  static constexpr char kLastChunk[] = "0\r\n\r\n";
  iovec last{const_cast<char*>(kLastChunk), sizeof kLastChunk - 1};
  return send_all(fd, &last, 1);
}

}  // namespace

StreamedResponse streamed_response(Response& response, bool keep_alive, bool http11, bool head_only,
                                   bool continue_first) {
  StreamedResponse out;
  if (ends_with_close(response, http11)) keep_alive = false;
  out.head = response_head(response, keep_alive, http11);
  if (continue_first) out.head.insert(0, "HTTP/1.1 100 Continue\r\n\r\n");
  out.body = std::move(response.body);
  out.stream = std::move(response.stream);
  out.chunked = out.stream->size() < 0 && http11;
  out.head_only = head_only;
  out.keep_alive = keep_alive;
  return out;
}

bool send_streamed(int fd, StreamedResponse& response) {
  iovec head{response.head.data(), response.head.size()};
  bool complete = send_all(fd, &head, 1) && (response.head_only || send_body(fd, response));
  try {
    response.stream->finish(complete && !response.head_only);
  } catch (...) {
    // As read_guarded: the response is over either way.
  }
  response.stream.reset();  // the producer's resources go now, not with the connection
  return complete && response.keep_alive;
}

}  // namespace http
