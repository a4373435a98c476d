// DockerProxy: the sockets, the threads, and one client connection's request loop. The pure
// rules (names, servers, credential headers, request heads) are in docker_proxy_rules.cc.
#include "runtime/docker_proxy.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <list>
#include <set>
#include <thread>

#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"
#include "runtime/http_wire.h"
#include "runtime/streams.h"
#include "runtime/unix_http.h"

namespace runtime {

// One open() socket: its accept thread, its connection threads and every socket they use, so
// close() can shut them all down (a blocked recv/send/accept returns at once).
struct DockerProxy::Listener {
  std::string path;
  int fd = -1;
  DockerProxyClient client;
  std::thread accept_thread;
  std::atomic<bool> cancel{false};  // ends engine calls made with UnixHttpConnection

  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<Worker> workers;  // touched by the accept thread only, until it is joined

  std::mutex mutex;
  bool closing = false;
  std::set<int> sockets;

  // False when closing: the caller closes `socket` itself.
  bool track(int socket) {
    std::lock_guard lock(mutex);
    if (closing) return false;
    sockets.insert(socket);
    return true;
  }
  void untrack_and_close(int socket) {
    std::lock_guard lock(mutex);
    sockets.erase(socket);
    ::close(socket);
  }
  void stop() {
    {
      std::lock_guard lock(mutex);
      closing = true;
      cancel = true;
      for (int s : sockets) ::shutdown(s, SHUT_RDWR);
    }
    ::shutdown(fd, SHUT_RDWR);
    if (accept_thread.joinable()) accept_thread.join();
    for (auto& w : workers) w.thread.join();
    workers.clear();
    ::close(fd);
    ::unlink(path.c_str());
  }
};

namespace {

using common::ErrorKind;
using common::make_error;

constexpr size_t kMaxRequestHead = 64 * 1024;
constexpr size_t kMaxResponseHead = 256 * 1024;
constexpr uint64_t kMaxLoginBody = 1u << 20;
constexpr Millis kEngineCallTimeout{120'000};

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Appends what arrives to `buffer`: bytes read, 0 at end of stream, -1 on error.
ssize_t recv_into(int fd, std::string& buffer) {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) buffer.append(chunk, static_cast<size_t>(n));
    return n;
  }
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    default: return "Unknown";
  }
}

bool hop_by_hop(std::string_view name) {
  return common::iequals(name, "connection") || common::iequals(name, "keep-alive") ||
         common::iequals(name, "proxy-connection");
}

// A connection to the engine, one request long; registered so close() can shut it down.
class Upstream {
 public:
  static common::Result<std::unique_ptr<Upstream>> connect(const std::string& path, DockerProxy::Listener& listener) {
    sockaddr_un addr{};
    if (path.size() >= sizeof addr.sun_path) {
      return common::fail(make_error(ErrorKind::InvalidArgument, "engine socket path too long"));
    }
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return common::fail(make_error(ErrorKind::Unavailable, std::strerror(errno)));
    if (!listener.track(fd)) {
      ::close(fd);
      return common::fail(make_error(ErrorKind::Unavailable, "proxy closing"));
    }
    auto up = std::unique_ptr<Upstream>(new Upstream(fd, listener));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return common::fail(make_error(ErrorKind::Unavailable,
                                     "container engine not reachable at " + path + ": " + std::strerror(errno)));
    }
    return up;
  }
  ~Upstream() { listener_.untrack_and_close(fd_); }
  int fd() const { return fd_; }
  std::string buffer;  // read from the engine, not yet relayed

  common::Result<ResponseHead> read_head(std::string& head_text) {
    for (;;) {
      if (auto end = find_head_end(buffer)) {
        head_text = buffer.substr(0, *end);
        buffer.erase(0, *end);
        return parse_response_head(head_text);
      }
      if (buffer.size() > kMaxResponseHead) {
        return common::fail(make_error(ErrorKind::Unavailable, "container engine sent an oversized head"));
      }
      if (recv_into(fd_, buffer) <= 0) {
        return common::fail(make_error(ErrorKind::Unavailable, "container engine closed the connection"));
      }
    }
  }

 private:
  Upstream(int fd, DockerProxy::Listener& listener) : fd_(fd), listener_(listener) {}
  int fd_;
  DockerProxy::Listener& listener_;
};

// What a forwarded request changes: the target, headers replaced (an empty value drops one),
// a buffered body replacing the client's.
struct Forward {
  std::string target;
  std::vector<http::Header> set;
  std::optional<std::string> body;
};

std::string upstream_head(const ProxyRequest& rq, const Forward& fw) {
  std::string head = rq.method + " " + fw.target + " HTTP/1.1\r\n";
  auto replaced = [&](std::string_view name) {
    for (const auto& h : fw.set) {
      if (common::iequals(h.name, name)) return true;
    }
    return false;
  };
  for (const auto& h : rq.headers) {
    if (hop_by_hop(h.name) || replaced(h.name)) continue;
    if (!rq.upgrade && common::iequals(h.name, "upgrade")) continue;
    if (fw.body && (common::iequals(h.name, "content-length") || common::iequals(h.name, "transfer-encoding"))) {
      continue;
    }
    head += h.name + ": " + h.value + "\r\n";
  }
  for (const auto& h : fw.set) {
    if (!h.value.empty()) head += h.name + ": " + h.value + "\r\n";
  }
  if (fw.body) head += "Content-Length: " + std::to_string(fw.body->size()) + "\r\n";
  // A fresh engine connection per request: "close" makes podman end it after its answer.
  head += rq.upgrade ? "Connection: Upgrade\r\n\r\n" : "Connection: close\r\n\r\n";
  return head;
}

// The engine's head for our client: hop-by-hop headers dropped, framing optionally replaced.
std::string client_head(std::string_view head_text, bool close, bool rechunk) {
  std::string out(head_text.substr(0, head_text.find("\r\n") + 2));
  size_t pos = out.size();
  while (pos < head_text.size()) {
    size_t next = head_text.find("\r\n", pos);
    std::string_view line = head_text.substr(pos, next - pos);
    pos = next + 2;
    if (line.empty()) break;
    std::string_view name = line.substr(0, line.find(':'));
    if (hop_by_hop(name)) continue;
    if (rechunk && (common::iequals(name, "content-length") || common::iequals(name, "transfer-encoding"))) continue;
    out.append(line).append("\r\n");
  }
  if (rechunk && !close) out += "Transfer-Encoding: chunked\r\n";
  if (close) out += "Connection: close\r\n";
  return out + "\r\n";
}

std::string chunk(std::string_view payload) {
  if (payload.empty()) return "";
  return fmt::format("{:x}\r\n", payload.size()) + std::string(payload) + "\r\n";
}

std::string progress_error(std::string_view message) {
  nlohmann::json j = {{"errorDetail", {{"message", message}}}, {"error", message}};
  return j.dump() + "\n";
}

std::string query_param(const ProxyRequest& rq, std::string_view key) {
  for (const auto& [k, v] : common::parse_query(rq.query)) {
    if (k == key) return v;
  }
  return "";
}

// The client's query minus the keys the proxy sets itself, onto `target`.
Target& copy_query(Target& target, const ProxyRequest& rq, std::initializer_list<std::string_view> except) {
  for (const auto& [k, v] : common::parse_query(rq.query)) {
    bool skip = false;
    for (auto e : except) skip = skip || k == e;
    if (!skip) target.query(k, v);
  }
  return target;
}

enum class Next { KeepGoing, Close };

// One client connection: requests one after another until either side closes.
class Session {
 public:
  Session(const DockerProxy& proxy, DockerProxy::Listener& listener, int fd)
      : proxy_(proxy), listener_(listener), client_(fd) {}

  void run() {
    for (;;) {
      std::string head;
      if (!read_request_head(head)) return;
      auto rq = parse_proxy_request(head);
      if (!rq) return answer_json(400, {{"message", rq.error().message}}, true);
      if (handle(*rq) == Next::Close || rq->close_requested || rq->http10) return;
    }
  }

 private:
  using BodyFn = std::function<void(std::string_view raw, std::string_view payload)>;
  // Runs before an image call's answer ends (so the client sees its effects once the call
  // returns): `succeeded` for a 2xx stream, whose end then carries the error it returns, if any.
  using AfterFn = std::function<std::string(bool succeeded)>;

  Next handle(ProxyRequest& rq) {
    if (rq.method == "POST" && rq.route == "/auth") return login(rq);
    if (rq.method == "POST" && rq.route == "/images/create") return pull(rq);
    if (rq.method == "POST" && rq.route == "/build") return build(rq);
    if (rq.method == "POST" && query_param(rq, "condition") == "removed" && rq.route.rfind("/containers/", 0) == 0 &&
        rq.route.size() > 17 && rq.route.compare(rq.route.size() - 5, 5, "/wait") == 0) {
      return wait_removed(rq, rq.route.substr(12, rq.route.size() - 17));
    }
    constexpr std::string_view kImages = "/images/", kPush = "/push";
    std::string_view route = rq.route;
    if (rq.method == "POST" && route.size() > kImages.size() + kPush.size() &&
        route.substr(0, kImages.size()) == kImages && route.substr(route.size() - kPush.size()) == kPush) {
      return push(rq, common::uri_decode(route.substr(kImages.size(), route.size() - kImages.size() - kPush.size())));
    }
    return forward(rq, Forward{rq.target, {}, std::nullopt}, nullptr);
  }

  // ---- client side ----

  // False at end of stream (answered with 400 when the head is malformed or too large).
  bool read_request_head(std::string& head) {
    for (;;) {
      while (in_.size() >= 2 && in_.compare(0, 2, "\r\n") == 0) in_.erase(0, 2);  // RFC 7230 §3.5
      if (auto end = find_head_end(in_)) {
        head = in_.substr(0, *end);
        in_.erase(0, *end);
        return true;
      }
      if (in_.size() > kMaxRequestHead) {
        answer_json(400, {{"message", "request head too large"}}, true);
        return false;
      }
      if (recv_into(client_, in_) <= 0) return false;
    }
  }

  void answer_json(int status, const nlohmann::json& body, bool close) {
    std::string text = body.dump() + "\n";
    std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{}\r\n",
                                  status, reason_phrase(status), text.size(), close ? "Connection: close\r\n" : "");
    send_all(client_, out + text);
  }

  // Reads the client's request body (Content-Length or chunked) as it arrives.
  common::Status<> read_client_body(const ProxyRequest& rq, const BodyFn& sink) {
    if (rq.chunked) return read_client_chunked(sink);
    uint64_t left = rq.content_length > 0 ? static_cast<uint64_t>(rq.content_length) : 0;
    while (left > 0) {
      if (in_.empty() && recv_into(client_, in_) <= 0) {
        return common::fail(make_error(ErrorKind::Unavailable, "client closed mid-body"));
      }
      size_t take = static_cast<size_t>(std::min<uint64_t>(left, in_.size()));
      std::string_view piece(in_.data(), take);
      sink(piece, piece);
      in_.erase(0, take);
      left -= take;
    }
    return common::ok();
  }

  // Stops exactly at the end of the last chunk: what follows is the client's next request.
  common::Status<> read_client_chunked(const BodyFn& sink) {
    ChunkedDecoder decoder;
    std::string payload;
    while (!decoder.done()) {
      if (in_.empty() && recv_into(client_, in_) <= 0) {
        return common::fail(make_error(ErrorKind::Unavailable, "client closed mid-body"));
      }
      ChunkedDecoder before = decoder;
      payload.clear();
      auto fed = decoder.feed(in_, payload);
      if (!fed) return common::fail(make_error(ErrorKind::InvalidArgument, "malformed chunked request body"));
      size_t used = in_.size();
      if (decoder.done()) {  // find where the body ended, byte by byte (once per request)
        decoder = before;
        payload.clear();
        for (used = 0; !decoder.done() && used < in_.size(); ++used)
          (void)decoder.feed(std::string_view(in_).substr(used, 1), payload);
      }
      sink(std::string_view(in_).substr(0, used), payload);
      in_.erase(0, used);
    }
    return common::ok();
  }

  // ---- engine side ----

  // Sends the request (head and the client's or the buffered body) and relays the answer.
  // `after`, when given, turns a 2xx stream into a re-chunked one that it may extend.
  Next forward(const ProxyRequest& rq, const Forward& fw, const AfterFn& after) {
    auto up = Upstream::connect(proxy_.options().upstream_socket, listener_);
    if (!up) {
      if (!drain(rq)) return Next::Close;
      answer_json(502, {{"message", up.error().message}}, false);
      return Next::KeepGoing;
    }
    bool upstream_ok = send_all((*up)->fd(), upstream_head(rq, fw));
    if (fw.body) {
      upstream_ok = upstream_ok && send_all((*up)->fd(), *fw.body);
    } else {
      auto body = read_client_body(
          rq, [&](std::string_view raw, std::string_view) { upstream_ok = upstream_ok && send_all((*up)->fd(), raw); });
      if (!body) {
        if (body.error().kind == ErrorKind::InvalidArgument)
          answer_json(400, {{"message", body.error().message}}, true);
        return Next::Close;
      }
    }
    // Even when sending broke, the engine may have answered (an early error): read it.
    return relay(rq, **up, after, upstream_ok);
  }

  bool drain(const ProxyRequest& rq) {
    return static_cast<bool>(read_client_body(rq, [](std::string_view, std::string_view) {}));
  }

  Next relay(const ProxyRequest& rq, Upstream& up, const AfterFn& after, bool sent_whole_request) {
    std::string head_text;
    for (;;) {
      auto head = up.read_head(head_text);
      if (!head) {
        answer_json(502, {{"message", head.error().message}}, true);
        return Next::Close;
      }
      if (head->status == 101) {
        if (!send_all(client_, head_text)) return Next::Close;
        splice(up);
        return Next::Close;
      }
      if (head->status >= 100 && head->status < 200) {  // 100 Continue and friends
        if (!send_all(client_, head_text)) return Next::Close;
        continue;
      }
      bool close = rq.close_requested || rq.http10 || !sent_whole_request;
      if (head->bodiless() || rq.method == "HEAD") {
        return send_all(client_, client_head(head_text, close, false)) && !close ? Next::KeepGoing : Next::Close;
      }
      if (!head->chunked && head->content_length < 0) {  // ends when the engine closes: hijack
        if (send_all(client_, client_head(head_text, true, false))) splice(up);
        return Next::Close;
      }
      bool rechunk = after && head->status / 100 == 2;
      if (after && !rechunk) (void)after(false);
      return relay_body(up, *head, head_text, close || (rechunk && rq.http10), rechunk ? after : nullptr);
    }
  }

  Next relay_body(Upstream& up, const ResponseHead& head, const std::string& head_text, bool close,
                  const AfterFn& after) {
    bool rechunk = static_cast<bool>(after);
    bool chunked_out = rechunk && !close;
    if (!send_all(client_, client_head(head_text, close, rechunk))) return Next::Close;
    bool client_ok = true;
    auto status = pump_body(up, head, [&](std::string_view raw, std::string_view payload) {
      if (!rechunk) {
        client_ok = client_ok && send_all(client_, raw);
      } else {
        if (watch_ != nullptr) (void)watch_->splitter.feed(payload);
        client_ok = client_ok && send_all(client_, chunked_out ? chunk(payload) : std::string(payload));
      }
      return client_ok;
    });
    if (!status || !client_ok) return Next::Close;
    if (rechunk) {
      std::string extra = after(true);
      std::string tail = chunked_out ? chunk(extra) + "0\r\n\r\n" : extra;
      if (!send_all(client_, tail)) return Next::Close;
    }
    return close ? Next::Close : Next::KeepGoing;
  }

  // Streams the engine's body to `sink` until its framing ends; stops early when the client
  // hangs up (a follow stream would otherwise outlive it).
  common::Status<> pump_body(Upstream& up, const ResponseHead& head,
                             const std::function<bool(std::string_view, std::string_view)>& sink) {
    ChunkedDecoder decoder;
    uint64_t left = head.chunked ? 0 : static_cast<uint64_t>(head.content_length);
    bool watch_client = true;
    for (;;) {
      if (!up.buffer.empty()) {
        std::string payload;
        size_t used = up.buffer.size();
        if (head.chunked) {
          if (!decoder.feed(up.buffer, payload)) return common::fail(make_error(ErrorKind::Unavailable, "bad chunk"));
        } else {
          used = static_cast<size_t>(std::min<uint64_t>(left, up.buffer.size()));
          left -= used;
          payload.assign(up.buffer, 0, used);
        }
        if (!sink(std::string_view(up.buffer).substr(0, used), payload)) {
          return common::fail(make_error(ErrorKind::Unavailable, "client gone"));
        }
        up.buffer.clear();
      }
      if (head.chunked ? decoder.done() : left == 0) return common::ok();
      pollfd fds[2] = {{up.fd(), POLLIN, 0}, {client_, POLLIN, 0}};
      if (::poll(fds, watch_client ? 2 : 1, -1) < 0 && errno != EINTR) {
        return common::fail(make_error(ErrorKind::Unavailable, "poll failed"));
      }
      if (watch_client && fds[1].revents != 0) {
        char byte;
        ssize_t n = ::recv(client_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
          return common::fail(make_error(ErrorKind::Unavailable, "client gone"));
        }
        if (n > 0) watch_client = false;  // a pipelined request: it waits its turn
      }
      if (fds[0].revents != 0 && recv_into(up.fd(), up.buffer) <= 0) {
        return common::fail(make_error(ErrorKind::Unavailable, "container engine closed mid-response"));
      }
    }
  }

  // Both directions raw until the engine closes or a side fails; the client's end of input
  // only half-closes the engine side (docker attach: stdin done, output still coming).
  void splice(Upstream& up) {
    if (!in_.empty() && !send_all(up.fd(), in_)) return;
    in_.clear();
    if (!up.buffer.empty() && !send_all(client_, up.buffer)) return;
    up.buffer.clear();
    bool client_open = true;
    std::string piece;
    for (;;) {
      pollfd fds[2] = {{up.fd(), POLLIN, 0}, {client_, POLLIN, 0}};
      if (::poll(fds, client_open ? 2 : 1, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[0].revents != 0) {
        piece.clear();
        if (recv_into(up.fd(), piece) <= 0 || !send_all(client_, piece)) return;
      }
      if (client_open && fds[1].revents != 0) {
        piece.clear();
        ssize_t n = recv_into(client_, piece);
        if (n < 0) return;
        if (n == 0) {
          ::shutdown(up.fd(), SHUT_WR);
          client_open = false;
        } else if (!send_all(up.fd(), piece)) {
          return;
        }
      }
    }
  }

  // A small call of the proxy's own (tag, untag): status and body.
  std::pair<int, std::string> engine_call(const std::string& method, const std::string& target,
                                          Millis timeout = kEngineCallTimeout) {
    auto options = with_timeout(timeout, &listener_.cancel);
    auto conn = UnixHttpConnection::open(proxy_.options().upstream_socket, options);
    if (!conn) return {502, conn.error().message};
    auto sent = (*conn)->send(HttpRequest{method, target, {}}, RequestBody{});
    if (!sent) return {502, sent.error().message};
    auto head = (*conn)->read_head();
    if (!head) return {502, head.error().message};
    auto body = (*conn)->read_body_text(*head, 1u << 20);
    return {head->status, body ? *body : std::string()};
  }

  static std::string engine_message(const std::string& body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("message") && j["message"].is_string()) return j["message"].get<std::string>();
    return body;
  }

  std::string tag_image(const std::string& source, const std::string& repo, const std::string& tag) {
    Target target(listener_prefix_ + "/images/" + escape_path(source) + "/tag");
    auto [status, body] = engine_call("POST", target.query("repo", repo).query("tag", tag).str());
    if (status / 100 == 2) return "";
    return "tagging " + source + " as " + repo + ":" + tag + ": " + engine_message(body);
  }

  void untag_image(const std::string& name) {
    auto [status, body] = engine_call("DELETE", listener_prefix_ + "/images/" + escape_path(name));
    if (status / 100 != 2) common::log::warn("docker proxy: removing temporary tag {}: {}", name, engine_message(body));
  }

  std::vector<http::Header> auth_header(const ProxyRequest& rq) const {
    const std::string* auth = rq.header("X-Registry-Auth");
    return {{"X-Registry-Auth", auth ? proxy_.readdress_registry_auth(*auth) : ""}};
  }

  // Stream errors inside the engine's 200 body, noticed so nothing is tagged after a failure.
  struct ErrorWatch {
    bool failed = false;
    JsonObjectSplitter splitter{[this](std::string_view object) {
      if (!parse_progress(object).error.empty()) failed = true;
    }};
  };

  // ---- the rewritten calls ----

  Next login(const ProxyRequest& rq) {
    if (rq.content_length > static_cast<int64_t>(kMaxLoginBody)) {
      answer_json(400, {{"message", "login request too large"}}, true);
      return Next::Close;
    }
    std::string body;
    bool too_big = false;
    auto read = read_client_body(rq, [&](std::string_view, std::string_view payload) {
      if (body.size() + payload.size() > kMaxLoginBody) too_big = true;
      if (!too_big) body.append(payload);
    });
    if (!read || too_big) {
      answer_json(400, {{"message", too_big ? "login request too large" : read.error().message}}, true);
      return Next::Close;
    }
    auto json = nlohmann::json::parse(body, nullptr, false);
    auto text = [&](const char* key) {
      return json.is_object() && json.contains(key) && json[key].is_string() ? json[key].get<std::string>() : "";
    };
    std::string server = text("serveraddress");
    if (!proxy_.is_registry_server(server)) return forward(rq, Forward{rq.target, {}, body}, nullptr);
    auto verdict = listener_.client.verify_login
                       ? listener_.client.verify_login(text("username"), text("password"))
                       : common::Status<>(common::fail(make_error(ErrorKind::PermissionDenied, "no logins")));
    if (verdict) {
      answer_json(200, {{"Status", "Login Succeeded"}, {"IdentityToken", ""}}, false);
      return Next::KeepGoing;
    }
    common::log::info("docker proxy: login to {} refused: {}", server, verdict.error().message);
    answer_json(401, {{"message", proxy_.refused_login_message(server)}}, false);
    return Next::KeepGoing;
  }

  Next push(const ProxyRequest& rq, const std::string& name) {
    auto mapped = proxy_.map_repository(name);
    if (!mapped) return forward(rq, Forward{rq.target, {}, std::nullopt}, nullptr);
    if (!drain(rq)) return Next::Close;
    listener_prefix_ = rq.version_prefix;
    std::string tag = query_param(rq, "tag");
    if (tag.empty()) tag = "latest";  // `docker push --all-tags` of a mapped name pushes :latest only
    bool temporary = *mapped != name;
    if (temporary) {
      if (std::string error = tag_image(name + ":" + tag, *mapped, tag); !error.empty()) {
        answer_json(404, {{"message", error}}, false);
        return Next::KeepGoing;
      }
    }
    Target target(rq.version_prefix + "/images/" + escape_path(*mapped) + "/push");
    target.query("tag", tag).query("tlsVerify", "false");
    copy_query(target, rq, {"tag", "tlsVerify"});
    std::string temp_name = *mapped + ":" + tag;
    // The temporary name goes before the stream ends, so `docker push` returning means it is gone.
    bool untagged = !temporary;
    auto untag = [&](bool) {
      if (!untagged) untag_image(temp_name);
      untagged = true;
      return std::string();
    };
    // The client's body was drained: the engine gets an empty one.
    Next next = forward(rq, Forward{target.str(), auth_header(rq), std::string()}, untag);
    untag(false);
    return next;
  }

  Next pull(const ProxyRequest& rq) {
    std::string name = query_param(rq, "fromImage");
    std::string tag = query_param(rq, "tag");
    if (name.empty() || !query_param(rq, "fromSrc").empty()) return forward(rq, Forward{rq.target, {}, {}}, nullptr);
    if (size_t at = name.find('@'); at != std::string::npos) {
      tag = name.substr(at + 1);
      name.resize(at);
    } else if (size_t colon = name.rfind(':');
               colon != std::string::npos && name.find('/', colon) == name.npos && tag.empty()) {
      tag = name.substr(colon + 1);
      name.resize(colon);
    }
    auto mapped = proxy_.map_repository(name);
    if (!mapped) return forward(rq, Forward{rq.target, {}, {}}, nullptr);
    if (!drain(rq)) return Next::Close;
    listener_prefix_ = rq.version_prefix;
    if (tag.empty()) tag = "latest";
    bool digest = tag.find(':') != std::string::npos;
    Target target(rq.version_prefix + "/images/create");
    target.query("fromImage", *mapped).query("tag", tag).query("tlsVerify", "false");
    copy_query(target, rq, {"fromImage", "tag", "tlsVerify"});
    auto watch = std::make_shared<ErrorWatch>();
    std::string pulled = *mapped + ":" + tag;
    bool temporary = *mapped != name && !digest;
    Forward fw{target.str(), auth_header(rq), std::string()};
    Next next = forward_watching(rq, fw, *watch, [&](bool succeeded) -> std::string {
      if (!succeeded || watch->failed || !temporary) return "";
      std::string error = tag_image(pulled, name, tag);
      untag_image(pulled);
      return error.empty() ? "" : progress_error(error);
    });
    return next;
  }

  // forward() whose re-chunked stream also feeds `watch`.
  Next forward_watching(const ProxyRequest& rq, const Forward& fw, ErrorWatch& watch, const AfterFn& after) {
    watch_ = &watch;
    Next next = forward(rq, fw, after);
    watch_ = nullptr;
    return next;
  }

  // podman 4.3 answers wait?condition=removed with StatusCode 0 whatever the container's exit
  // code (so `docker run --rm` would always succeed): wait for the exit, then for the removal.
  // The head goes at once, as dockerd and podman send it: the CLI starts the container only
  // once its wait call has an answer head.
  Next wait_removed(const ProxyRequest& rq, const std::string& id) {
    if (!drain(rq)) return Next::Close;
    std::string base = rq.version_prefix + "/containers/" + id;
    auto [inspect_status, inspect_body] = engine_call("GET", base + "/json");
    auto state = nlohmann::json::parse(inspect_body, nullptr, false);
    if (inspect_status != 200 || !state.is_object() || !state.contains("State") || !state["State"].is_object()) {
      return forward(rq, Forward{rq.target, {}, std::string()}, nullptr);
    }
    bool close = rq.http10;
    std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
    head += close ? "Connection: close\r\n\r\n" : "Transfer-Encoding: chunked\r\n\r\n";
    if (!send_all(client_, head)) return Next::Close;
    nlohmann::json answer = wait_exit_then_removal(base, state["State"]);
    std::string text = answer.dump() + "\n";
    if (!send_all(client_, close ? text : chunk(text) + "0\r\n\r\n")) return Next::Close;
    return close ? Next::Close : Next::KeepGoing;
  }

  nlohmann::json wait_exit_then_removal(const std::string& base, const nlohmann::json& state) {
    std::string status = state.value("Status", "");
    int64_t code = state.value("ExitCode", int64_t{0});
    auto failed = [](const std::string& body) {
      return nlohmann::json{{"StatusCode", -1}, {"Error", {{"Message", engine_message(body)}}}};
    };
    if (status == "created" || status == "running" || status == "paused" || status == "restarting") {
      auto [wait_status, wait_body] =
          engine_call("POST", base + "/wait?condition=next-exit", kContainerLifetimeTimeout);
      auto exited = nlohmann::json::parse(wait_body, nullptr, false);
      if (wait_status != 200 || !exited.is_object() || !exited.contains("StatusCode")) return failed(wait_body);
      code = exited["StatusCode"].is_number_integer() ? exited["StatusCode"].get<int64_t>() : code;
    }
    auto [removed_status, removed_body] =
        engine_call("POST", base + "/wait?condition=removed", kContainerLifetimeTimeout);
    if (removed_status != 200 && removed_status != 404) return failed(removed_body);
    return nlohmann::json{{"StatusCode", code}, {"Error", nullptr}};
  }

  Next build(ProxyRequest& rq) {
    Forward fw{rq.target, {}, std::nullopt};
    if (const std::string* config = rq.header("X-Registry-Config")) {
      fw.set.push_back({"X-Registry-Config", proxy_.add_mapped_registry_config(*config)});
    }
    return forward(rq, fw, nullptr);
  }

  const DockerProxy& proxy_;
  DockerProxy::Listener& listener_;
  int client_;
  std::string in_;               // client bytes read, not yet consumed
  std::string listener_prefix_;  // the API version prefix of the request being rewritten
  ErrorWatch* watch_ = nullptr;
};

}  // namespace

DockerProxy::DockerProxy(DockerProxyOptions options) : options_(std::move(options)) {}

DockerProxy::~DockerProxy() {
  std::map<std::string, std::unique_ptr<Listener>> all;
  {
    std::lock_guard lock(mutex_);
    all.swap(listeners_);
  }
  for (auto& [path, listener] : all) listener->stop();
}

namespace {

void accept_loop(const DockerProxy& proxy, DockerProxy::Listener& listener) {
  for (;;) {
    int fd = ::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      return;  // shut down by close()
    }
    if (!listener.track(fd)) {
      ::close(fd);
      return;
    }
    listener.workers.remove_if([](DockerProxy::Listener::Worker& w) {
      if (!w.done->load()) return false;
      w.thread.join();
      return true;
    });
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::thread thread([&proxy, &listener, fd, done] {
      Session(proxy, listener, fd).run();
      listener.untrack_and_close(fd);
      done->store(true);
    });
    listener.workers.push_back({std::move(thread), done});
  }
}

}  // namespace

common::Status<> DockerProxy::open(const std::string& path, DockerProxyClient client) {
  sockaddr_un addr{};
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    return common::fail(make_error(ErrorKind::InvalidArgument, "socket path '" + path + "' is empty or too long"));
  }
  std::lock_guard lock(mutex_);
  if (listeners_.count(path) != 0) {
    return common::fail(make_error(ErrorKind::Conflict, "a docker proxy already serves " + path));
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());  // left by a crash
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return common::fail(make_error(ErrorKind::Internal, std::string("socket: ") + std::strerror(errno)));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::chmod(path.c_str(), 0666) != 0 ||
      ::listen(fd, 64) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd);
    return common::fail(make_error(ErrorKind::Internal, "cannot serve " + path + ": " + error));
  }
  auto listener = std::make_unique<Listener>();
  listener->path = path;
  listener->fd = fd;
  listener->client = std::move(client);
  Listener& ref = *listener;
  listener->accept_thread = std::thread([this, &ref] { accept_loop(*this, ref); });
  listeners_[path] = std::move(listener);
  return common::ok();
}

void DockerProxy::close(const std::string& path) {
  std::unique_ptr<Listener> listener;
  {
    std::lock_guard lock(mutex_);
    auto it = listeners_.find(path);
    if (it == listeners_.end()) return;
    listener = std::move(it->second);
    listeners_.erase(it);
  }
  listener->stop();
}

}  // namespace runtime
