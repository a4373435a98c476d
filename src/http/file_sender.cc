#include "http/file_sender.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <utility>

#include "common/signals.h"

namespace http {
namespace {

// Linux transfers at most this much per sendfile call anyway.
constexpr uint64_t kMaxSendfileBytes = 0x7ffff000;

}  // namespace

FileSender::~FileSender() { close_file(); }

void FileSender::start(std::vector<FileSegment> segments) {
  close_file();
  segments_ = std::move(segments);
  next_ = 0;
  sent_ = 0;
}

FileSender::Progress FileSender::send(int socket, uint64_t budget) {
  common::SigpipeBlock no_sigpipe;
  while (next_ < segments_.size()) {
    const FileSegment& segment = segments_[next_];
    if (sent_ == segment.length) {
      close_file();
      ++next_;
      sent_ = 0;
      continue;
    }
    if (budget == 0) return Progress::Pending;
    if (file_ < 0) {
      constexpr uint64_t kMaxOffset = static_cast<uint64_t>(std::numeric_limits<off_t>::max());
      if (segment.offset > kMaxOffset || segment.length > kMaxOffset - segment.offset) return fail();
      if (segment.file) {
        file_ = segment.file->fd();  // opened by the handler; the segment owns it
        borrowed_ = true;
      } else {
        do {
          file_ = ::open(segment.path.c_str(), O_RDONLY | O_CLOEXEC);
        } while (file_ < 0 && errno == EINTR);
        borrowed_ = false;
      }
      if (file_ < 0) return fail();
    }
    off_t offset = static_cast<off_t>(segment.offset + sent_);
    size_t count = static_cast<size_t>(std::min({segment.length - sent_, budget, kMaxSendfileBytes}));
    ssize_t n = ::sendfile(socket, file_, &offset, count);
    if (n > 0) {
      sent_ += static_cast<uint64_t>(n);
      budget -= static_cast<uint64_t>(n);
    } else if (n == 0) {
      return fail();  // the file ends before the segment does
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return Progress::Pending;
    } else if (errno != EINTR) {
      return fail();
    }
  }
  std::vector<FileSegment>().swap(segments_);
  next_ = 0;
  return Progress::Done;
}

FileSender::Progress FileSender::fail() {
  close_file();
  std::vector<FileSegment>().swap(segments_);
  next_ = 0;
  sent_ = 0;
  return Progress::Failed;
}

void FileSender::close_file() {
  if (file_ >= 0 && !borrowed_) ::close(file_);
  file_ = -1;
  borrowed_ = false;
}

}  // namespace http
