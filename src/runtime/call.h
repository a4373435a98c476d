// Per-call limits for the container engine client: every call has a deadline, and may be
// cancelled from another thread (StopBuild ending a log follow), so nothing blocks forever on an
// engine that hangs. A dead engine is noticed at once (connect fails, or the socket closes).
#pragma once

#include <atomic>
#include <chrono>

namespace runtime {

using Millis = std::chrono::milliseconds;

// Quick calls (inspect, create, start, remove, tag...). Podman under load takes ~1 s for some.
inline constexpr Millis kDefaultTimeout{30'000};
// Streams that move images (pull, push, build, import).
inline constexpr Millis kTransferTimeout{3'600'000};
// Calls that last as long as a container does (wait, logs with follow): callers pass their own
// bound (a build's timeout); this is the default when they do not.
inline constexpr Millis kContainerLifetimeTimeout{24 * 3'600'000};

struct CallOptions {
  // For the whole call: connect, request, response head and the streamed body.
  Millis timeout = kDefaultTimeout;
  // When it becomes true the call ends within ~100 ms with ErrorKind::Unavailable ("cancelled").
  // Owned by the caller; must outlive the call.
  const std::atomic<bool>* cancel = nullptr;
};

inline CallOptions with_timeout(Millis timeout, const std::atomic<bool>* cancel = nullptr) {
  return CallOptions{timeout, cancel};
}

}  // namespace runtime
