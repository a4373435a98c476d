#include "http/event_loop.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <thread>

#include "http/blocking_connection.h"
#include "http/framing.h"

namespace http {
namespace {

constexpr int kMaxEvents = 128;
constexpr int kMaxAcceptsPerWakeup = 64;
constexpr auto kSweepInterval = std::chrono::seconds(1);

std::string peer_address(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr, host, sizeof host);
  } else if (addr.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr, host, sizeof host);
  }
  return host;
}

}  // namespace

EventLoop::EventLoop(const ServerContext& context)
    : context_(context), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (!ok()) return;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &wake_fd_;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event) != 0) {
    ::close(wake_fd_);
    wake_fd_ = -1;
  }
}

EventLoop::~EventLoop() {
  while (!connections_.empty()) drop(connections_.begin()->first);
  std::lock_guard lock(adopted_mutex_);
  for (auto& [fd, peer] : adopted_) {
    ::close(fd);
    context_.connection_closed();
  }
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool EventLoop::accept_from(int listen_fd, std::vector<EventLoop*> loops) {
  int flags = ::fcntl(listen_fd, F_GETFL);
  if (flags < 0 || ::fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) != 0) return false;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &listen_fd_;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd, &event) != 0) return false;
  listen_fd_ = listen_fd;
  loops_ = std::move(loops);
  return true;
}

void EventLoop::adopt(int fd, std::string peer) {
  {
    std::lock_guard lock(adopted_mutex_);
    adopted_.emplace_back(fd, std::move(peer));
  }
  wake();
}

void EventLoop::quit() {
  quit_.store(true);
  wake();
}

void EventLoop::wake() {
  uint64_t one = 1;
  // A full counter still leaves the fd readable, so a failed write loses no wake-up.
  [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void EventLoop::run() {
  epoll_event events[kMaxEvents];
  auto last_sweep = std::chrono::steady_clock::now();
  while (!quit_.load() && !context_.stopping.load()) {
    int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, 1000);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &wake_fd_) {
        take_adopted();
      } else if (tag == &listen_fd_) {
        accept_ready();
      } else {
        on_event(*static_cast<Connection*>(tag), events[i].events);
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (now - last_sweep >= kSweepInterval) {
      sweep(now);
      last_sweep = now;
    }
  }
}

void EventLoop::accept_ready() {
  for (int i = 0; i < kMaxAcceptsPerWakeup; ++i) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: back off instead of spinning on a listener that stays readable.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      return;  // EAGAIN: nothing more to accept
    }
    if (size_t open = context_.connections.load(); open >= context_.options.max_connections) {
      // Said at most once a second: how many the server thinks are open tells a real flood
      // from a miscount.
      static std::atomic<int64_t> last_said{0};
      int64_t now =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
      if (last_said.exchange(now) != now) {
        std::fprintf(stderr, "hakobu: http: refusing connections: %zu open (limit %zu)\n", open,
                     context_.options.max_connections);
      }
      std::string reply = simple_response(503, "too many connections\n");
      [[maybe_unused]] ssize_t n = ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    context_.connections.fetch_add(1);
    EventLoop* target = loops_[next_loop_++ % loops_.size()];
    if (target == this) {
      add(fd, peer_address(addr));
    } else {
      target->adopt(fd, peer_address(addr));
    }
  }
}

void EventLoop::take_adopted() {
  uint64_t count;
  [[maybe_unused]] ssize_t n = ::read(wake_fd_, &count, sizeof count);
  std::vector<std::pair<int, std::string>> adopted;
  {
    std::lock_guard lock(adopted_mutex_);
    adopted.swap(adopted_);
  }
  for (auto& [fd, peer] : adopted) add(fd, std::move(peer));
}

void EventLoop::add(int fd, std::string peer) {
  auto connection = std::make_unique<Connection>(context_, fd, std::move(peer));
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = connection.get();
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    connection.reset();
    context_.connection_closed();
    return;
  }
  connections_.emplace(fd, std::move(connection));
}

void EventLoop::on_event(Connection& connection, uint32_t events) {
  Connection::Next next;
  if (connection.wants_write()) {
    next = (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) ? connection.on_writable() : Connection::Next::Wait;
  } else {
    next = connection.on_readable();
  }
  switch (next) {
    case Connection::Next::Close: close(connection); return;
    case Connection::Next::HandOff: hand_off(connection); return;
    case Connection::Next::Wait: break;
  }
  // While a response is pending, wait only for the socket to drain (no reading ahead).
  if (connection.wants_write() != connection.registered_for_write) {
    epoll_event event{};
    event.events = connection.wants_write() ? EPOLLOUT : EPOLLIN;
    event.data.ptr = &connection;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd(), &event) != 0) {
      close(connection);
      return;
    }
    connection.registered_for_write = connection.wants_write();
  }
}

void EventLoop::close(Connection& connection) { drop(connection.fd()); }

// Takes the socket out of epoll before closing it. Closing alone is not enough: a child forked
// by another thread holds a copy of the descriptor until it execs, and while any copy is open
// epoll keeps reporting the socket, with a pointer to the freed connection.
void EventLoop::drop(int fd) {
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  if (connections_.erase(fd) != 0) context_.connection_closed();
}

// Gives the connection to a thread running the blocking path, which streams the request body
// or the response's (after sending the response the handler left, if any).
void EventLoop::hand_off(Connection& connection) {
  int fd = connection.fd();
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  std::string seed(connection.unparsed_bytes());
  std::string peer = connection.peer();
  std::optional<StreamedResponse> first = connection.take_streamed();
  connection.release();
  connections_.erase(fd);

  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  timeval timeout{context_.options.idle_timeout_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  // A client that stops reading a streamed body is dropped after the same time.
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  context_.blocking_threads.start(context_, fd, std::move(peer), std::move(seed), std::move(first));
}

// Closes connections with no socket progress for idle_timeout_seconds (0: never).
void EventLoop::sweep(std::chrono::steady_clock::time_point now) {
  if (context_.options.idle_timeout_seconds <= 0) return;
  auto limit = std::chrono::seconds(context_.options.idle_timeout_seconds);
  std::vector<int> idle;
  for (const auto& [fd, connection] : connections_) {
    if (now - connection->last_active() > limit) idle.push_back(fd);
  }
  for (int fd : idle) drop(fd);
}

}  // namespace http
