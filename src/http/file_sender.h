// Sends the file segments of a response body (Response::files) on a socket with sendfile(2):
// file bytes go from the page cache to the socket without passing through our memory. Both
// kinds of connection use it: the event loop calls send() each time the socket is writable,
// the blocking path calls it once with no budget. Each file not already opened by the handler
// (FileSegment::file) is opened (O_RDONLY | O_CLOEXEC) when its segment's turn comes and closed once the segment is
// sent, on failure, or when the sender goes away (a zero-length segment is skipped without opening its file). Not
// thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "http/request.h"

namespace http {

class FileSender {
 public:
  enum class Progress {
    Done,     // every segment is sent (also when there were none)
    Pending,  // the socket is full (non-blocking) or the budget is spent: call again when writable
    Failed    // a file could not be opened or read, ended before its segment did, or the socket
              // broke; nothing is left pending, and the connection must close (the client sees a
              // short body, never wrong bytes)
  };

  FileSender() = default;
  ~FileSender();
  FileSender(const FileSender&) = delete;
  FileSender& operator=(const FileSender&) = delete;

  // Replaces what is to be sent (closing a file still open).
  void start(std::vector<FileSegment> segments);
  // Whether bytes remain to be sent.
  bool pending() const { return next_ < segments_.size(); }
  // Sends at most `budget` bytes of the remaining segments on `socket`. sendfile has no
  // MSG_NOSIGNAL, so SIGPIPE is blocked in the calling thread meanwhile (and one raised is
  // discarded): a client that goes away is a Failed, not the end of the process.
  Progress send(int socket, uint64_t budget);

 private:
  Progress fail();
  void close_file();

  std::vector<FileSegment> segments_;
  size_t next_ = 0;        // the segment being sent
  uint64_t sent_ = 0;      // bytes of segments_[next_] already sent
  int file_ = -1;          // segments_[next_]'s file once opened
  bool borrowed_ = false;  // file_ belongs to the segment's OpenFile: not ours to close
};

}  // namespace http
