// What connections need from their Server. Shared by the event loops and the blocking
// connection threads; the Server outlives both.
#pragma once

#include <atomic>
#include <cstddef>

#include "http/server.h"

namespace http {

class BlockingThreads;

struct ServerContext {
  const ServerOptions& options;
  const Handler& handler;
  const std::atomic<bool>& stopping;
  std::atomic<size_t>& connections;   // open connections of both kinds
  BlockingThreads& blocking_threads;  // serving handed-off connections

  // Counts a connection as closed. When the last client leaves, memory freed by its requests
  // goes back to the OS, so an idle server stays small after a burst.
  void connection_closed() const;
};

}  // namespace http
