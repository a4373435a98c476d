// SigpipeBlock: keeps SIGPIPE from killing the process while this thread writes to a pipe or
// socket whose reader may be gone (the server ignores SIGPIPE, but the unit-test binary and
// other embedders may not). Shared by http/file_sender.cc (sendfile has no MSG_NOSIGNAL) and
// git/process.cc (a child may exit before reading all its input).
#pragma once

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>

namespace common {

// Blocks SIGPIPE in this thread for its lifetime; a SIGPIPE raised meanwhile is consumed
// before unblocking, so it is never delivered. Does nothing when SIGPIPE was blocked already.
// errno survives the destructor, so callers may read it after the scope ends.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    sigset_t old;
    blocked_here_ = ::pthread_sigmask(SIG_BLOCK, &sigpipe_, &old) == 0 && !sigismember(&old, SIGPIPE);
  }
  ~SigpipeBlock() {
    if (!blocked_here_) return;
    int saved_errno = errno;
    sigset_t pending;
    if (::sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
      timespec zero{0, 0};
      while (::sigtimedwait(&sigpipe_, nullptr, &zero) < 0 && errno == EINTR) {
      }
    }
    ::pthread_sigmask(SIG_UNBLOCK, &sigpipe_, nullptr);
    errno = saved_errno;
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t sigpipe_;
  bool blocked_here_ = false;
};

}  // namespace common
