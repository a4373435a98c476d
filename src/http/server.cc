#include "http/server.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>
#include <thread>

#include "http/blocking_connection.h"
#include "http/event_loop.h"
#include "http/server_context.h"

namespace http {

void ServerContext::connection_closed() const {
  if (connections.fetch_sub(1) == 1) ::malloc_trim(0);
}

Server::Server(ServerOptions options, Handler handler) : options_(std::move(options)), handler_(std::move(handler)) {}

Server::~Server() {
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool Server::listen(std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* result = nullptr;
  std::string port = std::to_string(options_.port);
  int rc = ::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &result);
  if (rc != 0) {
    error = "cannot resolve " + options_.host + ": " + gai_strerror(rc);
    return false;
  }
  for (addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
      listen_fd_ = fd;
      break;
    }
    error = std::string("cannot listen on ") + options_.host + ":" + port + ": " + std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(result);
  if (listen_fd_ < 0) {
    if (error.empty()) error = "cannot listen on " + options_.host + ":" + port;
    return false;
  }
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  if (addr.ss_family == AF_INET) {
    bound_port_ = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  } else {
    bound_port_ = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  }
  return true;
}

void Server::run() {
  BlockingThreads blocking_threads;
  ServerContext context{options_, handler_, stopping_, connections_, blocking_threads};
  size_t count = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<EventLoop>> loops;
  for (size_t i = 0; i < count; ++i) {
    auto loop = std::make_unique<EventLoop>(context);
    if (!loop->ok()) break;
    loops.push_back(std::move(loop));
  }
  if (loops.empty()) return;
  // Loop 0 runs here; the others get threads (fewer if threads cannot be created).
  std::vector<std::thread> threads;
  for (size_t i = 1; i < loops.size(); ++i) {
    try {
      threads.emplace_back([loop = loops[i].get()] { loop->run(); });
    } catch (const std::system_error&) {
      loops.resize(i);
      break;
    }
  }
  std::vector<EventLoop*> running;
  for (auto& loop : loops) running.push_back(loop.get());
  if (loops[0]->accept_from(listen_fd_, running)) {
    {
      std::lock_guard lock(loops_mutex_);
      loops_ = running;
    }
    if (!stopping_.load()) loops[0]->run();
    std::lock_guard lock(loops_mutex_);
    loops_.clear();
  }
  for (auto& loop : loops) loop->quit();
  for (auto& thread : threads) thread.join();
  // No more hand-offs: cut off the streaming connections and wait for their threads, which
  // use this Server.
  blocking_threads.stop();
  blocking_threads.wait();
}

void Server::stop() {
  stopping_.store(true);
  std::lock_guard lock(loops_mutex_);
  for (EventLoop* loop : loops_) loop->quit();
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
}

}  // namespace http
