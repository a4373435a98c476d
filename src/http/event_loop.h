// One epoll loop on one thread, serving many connections with handlers run inline. Server::run()
// starts one loop per CPU; the first also accepts and deals new connections round-robin.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/connection.h"
#include "http/server_context.h"

namespace http {

class EventLoop {
 public:
  explicit EventLoop(const ServerContext& context);
  // Closes the connections still open.
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // False when the epoll or event fd could not be created.
  bool ok() const { return epoll_fd_ >= 0 && wake_fd_ >= 0; }
  // Makes this loop accept on `listen_fd` (non-blocking), sharing the connections out
  // round-robin over `loops` (which may include this one). Call before run().
  bool accept_from(int listen_fd, std::vector<EventLoop*> loops);
  // Thread-safe: takes an accepted, counted, non-blocking socket to serve.
  void adopt(int fd, std::string peer);
  // Serves until quit() or the server stops.
  void run();
  // Thread-safe: makes run() return soon.
  void quit();

 private:
  void accept_ready();
  void take_adopted();
  void add(int fd, std::string peer);
  void on_event(Connection& connection, uint32_t events);
  void close(Connection& connection);
  void drop(int fd);
  void hand_off(Connection& connection);
  void sweep(std::chrono::steady_clock::time_point now);
  void wake();

  const ServerContext& context_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int listen_fd_ = -1;
  std::vector<EventLoop*> loops_;  // accept targets
  size_t next_loop_ = 0;
  std::atomic<bool> quit_{false};
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;

  std::mutex adopted_mutex_;
  std::vector<std::pair<int, std::string>> adopted_;  // guarded by adopted_mutex_
};

}  // namespace http
