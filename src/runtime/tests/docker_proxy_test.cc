// DockerProxy against a fake engine: a unix-socket server in the test that records every
// request (one per connection, as the proxy sends them) and answers from a script. Pure rules
// (names, servers, credential headers, request heads) with canned values.
#include "runtime/docker_proxy.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

#include "common/crypto.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/temp_dir.h"
#include "runtime/http_wire.h"
#include "runtime/registry_auth.h"

namespace runtime {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRegistry = "127.0.0.1:4566";
constexpr const char* kAwsHost = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

int connect_unix(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads with a deadline: bytes, or "" at end of stream / timeout (`eof` tells which).
std::string read_some(int fd, std::chrono::milliseconds timeout, bool* eof = nullptr) {
  pollfd p{fd, POLLIN, 0};
  if (eof) *eof = false;
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return "";
  char buffer[65536];
  ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
  if (n <= 0) {
    if (eof) *eof = true;
    return "";
  }
  return std::string(buffer, static_cast<size_t>(n));
}

struct Recorded {
  std::string method;
  std::string target;
  std::vector<http::Header> headers;
  std::string body;
  std::string head_text;
  const std::string* header(std::string_view name) const {
    for (const auto& h : headers) {
      if (common::iequals(h.name, name)) return &h.value;
    }
    return nullptr;
  }
};

// The engine: each connection's request is read (Content-Length or chunked body), recorded,
// and handed with the socket to `respond`, which writes whatever the test wants.
class FakeEngine {
 public:
  using Respond = std::function<void(const Recorded&, int fd)>;
  explicit FakeEngine(Respond respond) : respond_(std::move(respond)) {
    path_ = dir_.path() + "/engine.sock";
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 16), 0);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~FakeEngine() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    accept_thread_.join();
    {
      std::lock_guard lock(mutex_);
      for (int fd : open_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : threads_) t.join();
    ::close(listen_fd_);
  }
  const std::string& path() const { return path_; }
  std::vector<Recorded> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Waits until `n` requests were recorded.
  bool wait_for(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }
  int connections_closed() const { return closed_.load(); }

  static std::string ok_json(std::string_view body, int status = 200, std::string_view reason = "OK") {
    return fmt::format("HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}", status,
                       reason, body.size(), body);
  }
  static std::string chunked_head() {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  }
  static std::string chunk(std::string_view text) { return fmt::format("{:x}\r\n{}\r\n", text.size(), text); }

 private:
  void accept_loop() {
    for (;;) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      std::lock_guard lock(mutex_);
      open_.push_back(fd);
      threads_.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    Recorded rq;
    if (read_request(fd, rq)) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(rq);
      }
      changed_.notify_all();
      respond_(rq, fd);
    }
    std::lock_guard lock(mutex_);
    open_.remove(fd);
    ::close(fd);
    ++closed_;
  }

  static bool read_request(int fd, Recorded& rq) {
    std::string data;
    char buffer[65536];
    size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      data.append(buffer, static_cast<size_t>(n));
    }
    rq.head_text = data.substr(0, head_end + 4);
    std::string_view head(rq.head_text);
    size_t eol = head.find("\r\n");
    auto parts = common::split(head.substr(0, eol), ' ');
    rq.method = std::string(parts.at(0));
    rq.target = std::string(parts.at(1));
    for (size_t pos = eol + 2; pos < head.size();) {
      size_t next = head.find("\r\n", pos);
      std::string_view line = head.substr(pos, next - pos);
      pos = next + 2;
      if (line.empty()) break;
      size_t colon = line.find(':');
      rq.headers.push_back({std::string(line.substr(0, colon)), std::string(common::trim(line.substr(colon + 1)))});
    }
    std::string rest = data.substr(head_end + 4);
    auto more = [&] {
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n > 0) rest.append(buffer, static_cast<size_t>(n));
      return n > 0;
    };
    if (const std::string* te = rq.header("Transfer-Encoding"); te && *te == "chunked") {
      ChunkedDecoder decoder;
      for (;;) {
        if (!decoder.feed(rest, rq.body)) return false;
        rest.clear();
        if (decoder.done()) return true;
        if (!more()) return false;
      }
    }
    size_t length = 0;
    if (const std::string* cl = rq.header("Content-Length")) length = std::stoul(*cl);
    while (rest.size() < length) {
      if (!more()) return false;
    }
    rq.body = rest.substr(0, length);
    return true;
  }

  common::TempDir dir_{"hakobu-dproxy-engine"};
  std::string path_;
  int listen_fd_ = -1;
  Respond respond_;
  std::thread accept_thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::list<int> open_;
  std::list<std::thread> threads_;
  std::vector<Recorded> requests_;
  std::atomic<int> closed_{0};
};

struct Response {
  int status = 0;
  ResponseHead head;
  std::string body;
  bool ok = false;
};

// A docker-CLI-like client on the proxy socket: one connection, several requests.
class Client {
 public:
  explicit Client(const std::string& path) : fd_(connect_unix(path)) {}
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  bool send(std::string_view data) { return write_all(fd_, data); }

  // Reads one response: Content-Length, chunked, or until close.
  Response read_response(std::chrono::milliseconds timeout = 5s, bool head_only = false) {
    Response out;
    size_t end;
    while (!find_head_end(buffer_)) {
      bool eof = false;
      std::string piece = read_some(fd_, timeout, &eof);
      if (piece.empty()) return out;
      buffer_ += piece;
    }
    end = *find_head_end(buffer_);
    auto head = parse_response_head(std::string_view(buffer_).substr(0, end));
    if (!head) return out;
    out.head = *head;
    out.status = head->status;
    buffer_.erase(0, end);
    if (head->bodiless() || head_only) {
      out.ok = true;
      return out;
    }
    ChunkedDecoder decoder;
    for (;;) {
      if (head->chunked) {
        if (!decoder.feed(buffer_, out.body)) return out;
        buffer_.clear();
        if (decoder.done()) break;
      } else if (head->content_length >= 0 && buffer_.size() >= static_cast<size_t>(head->content_length)) {
        out.body = buffer_.substr(0, static_cast<size_t>(head->content_length));
        buffer_.erase(0, static_cast<size_t>(head->content_length));
        break;
      }
      bool eof = false;
      std::string piece = read_some(fd_, timeout, &eof);
      if (piece.empty()) {
        if (eof && !head->chunked && head->content_length < 0) {
          out.body = buffer_;
          buffer_.clear();
          break;
        }
        return out;
      }
      buffer_ += piece;
    }
    out.ok = true;
    return out;
  }

  // True when the proxy closed the connection (within `timeout`).
  bool closed_by_peer(std::chrono::milliseconds timeout = 5s) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      bool eof = false;
      std::string piece = read_some(fd_, 100ms, &eof);
      if (eof) return true;
      buffer_ += piece;
    }
    return false;
  }

 private:
  int fd_;
  std::string buffer_;
};

std::string post(std::string_view target, std::string_view body, std::string_view extra_headers = "") {
  return fmt::format(
      "POST {} HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Type: application/json\r\n{}"
      "Content-Length: {}\r\n\r\n{}",
      target, extra_headers, body.size(), body);
}

std::string get(std::string_view target) {
  return fmt::format("GET {} HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: Docker-Client/28.2.2\r\n\r\n", target);
}

nlohmann::json decode_header_json(const std::string& value) {
  std::string text = value;
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  std::string decoded;
  EXPECT_TRUE(common::base64_decode(text, decoded)) << value;
  return nlohmann::json::parse(decoded, nullptr, false);
}

std::string auth_header(std::string_view server) {
  return encode_registry_auth(RegistryAuth{"AWS", "tok+en/==", std::string(server)});
}

// The proxy on a socket in a temporary directory, in front of `engine`.
struct ProxyFixture {
  explicit ProxyFixture(FakeEngine& engine) : proxy(DockerProxyOptions{engine.path(), kRegistry}) {
    path = dir.path() + "/docker.sock";
    DockerProxyClient client{
        "123456789012", "us-east-1", [this](const std::string& user, const std::string& password) -> common::Status<> {
          std::lock_guard lock(mutex);
          logins.emplace_back(user, password);
          if (password == "good") return common::ok();
          return common::fail(common::make_error(common::ErrorKind::PermissionDenied, "bad token"));
        }};
    auto opened = proxy.open(path, client);
    EXPECT_TRUE(opened) << opened.error().message;
  }
  common::TempDir dir{"hakobu-dproxy"};
  std::string path;
  DockerProxy proxy;
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> logins;
};

// ---- pure rules ----

TEST(DockerProxyRules, MapRepository) {
  DockerProxy proxy(DockerProxyOptions{"/nowhere", kRegistry});
  EXPECT_EQ(proxy.map_repository("123456789012.dkr.ecr.us-east-1.amazonaws.com/app"),
            "127.0.0.1:4566/123456789012/us-east-1/app");
  EXPECT_EQ(proxy.map_repository("123456789012.dkr.ecr.eu-west-3.amazonaws.com/team/app"),
            "127.0.0.1:4566/123456789012/eu-west-3/team/app");
  EXPECT_EQ(proxy.map_repository("123456789012.DKR.ECR.us-east-1.amazonaws.com.cn/app"),
            "127.0.0.1:4566/123456789012/us-east-1/app");
  EXPECT_EQ(proxy.map_repository("127.0.0.1:4566/123456789012/app"), "127.0.0.1:4566/123456789012/app");
  EXPECT_EQ(proxy.map_repository("localhost:4566/123456789012/eu-west-1/app"),
            "127.0.0.1:4566/123456789012/eu-west-1/app");
  EXPECT_EQ(proxy.map_repository("[::1]:4566/123456789012/app"), "127.0.0.1:4566/123456789012/app");
  EXPECT_EQ(proxy.map_repository("localhost:4567/123456789012/app"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("docker.io/library/busybox"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("app"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("library/app"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("localhost/busybox"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("123456789012.dkr.ecr.us-east-1.amazonaws.com"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("12345678901.dkr.ecr.us-east-1.amazonaws.com/app"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("123456789012.dkr.ecr.notaregion.amazonaws.com/app"), std::nullopt);
  EXPECT_EQ(proxy.map_repository("123456789012.dkr.ecr.us-east-1/app"), std::nullopt);
}

TEST(DockerProxyRules, RegistryServersAndLoginWording) {
  DockerProxy proxy(DockerProxyOptions{"/nowhere", kRegistry});
  for (const char* server : {"127.0.0.1:4566", "http://127.0.0.1:4566", "https://localhost:4566/v2/", kAwsHost,
                             "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"}) {
    EXPECT_TRUE(proxy.is_registry_server(server)) << server;
  }
  for (const char* server : {"", "https://index.docker.io/v1/", "127.0.0.1:5000", "quay.io"}) {
    EXPECT_FALSE(proxy.is_registry_server(server)) << server;
  }
  EXPECT_EQ(proxy.refused_login_message(kAwsHost),
            "login attempt to https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/ failed with status: 401 "
            "Unauthorized");
  EXPECT_EQ(proxy.refused_login_message("http://127.0.0.1:4566/"),
            "login attempt to http://127.0.0.1:4566/v2/ failed with status: 401 Unauthorized");
}

TEST(DockerProxyRules, CredentialHeadersAreReaddressed) {
  DockerProxy proxy(DockerProxyOptions{"/nowhere", kRegistry});
  // The docker CLI's own spelling (URL-safe, padded) and an unpadded standard one both decode.
  std::string readdressed = proxy.readdress_registry_auth(auth_header(kAwsHost));
  auto json = decode_header_json(readdressed);
  EXPECT_EQ(json["serveraddress"], kRegistry);
  EXPECT_EQ(json["password"], "tok+en/==");
  EXPECT_EQ(readdressed.find_first_of("+/"), std::string::npos);
  EXPECT_EQ(readdressed.size() % 4, 0u);
  std::string unpadded = common::base64_encode(R"({"username":"u","password":"p","serveraddress":"x"})");
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  EXPECT_EQ(decode_header_json(proxy.readdress_registry_auth(unpadded))["username"], "u");
  EXPECT_EQ(proxy.readdress_registry_auth(""), "");
  EXPECT_EQ(proxy.readdress_registry_auth("%%%"), "");

  std::string config = encode_registry_config(
      {{kAwsHost, RegistryAuth{"AWS", "pw", kAwsHost}}, {"quay.io", RegistryAuth{"q", "qq", "quay.io"}}});
  auto rewritten = decode_header_json(proxy.add_mapped_registry_config(config));
  EXPECT_EQ(rewritten[kRegistry]["password"], "pw");
  EXPECT_EQ(rewritten[kRegistry]["serveraddress"], kRegistry);
  EXPECT_EQ(rewritten[kAwsHost]["password"], "pw");
  EXPECT_EQ(rewritten["quay.io"]["password"], "qq");
  std::string unrelated = encode_registry_config({{"quay.io", RegistryAuth{"q", "qq", "quay.io"}}});
  EXPECT_EQ(proxy.add_mapped_registry_config(unrelated), unrelated);
  std::string own = encode_registry_config(
      {{kAwsHost, RegistryAuth{"AWS", "aws", kAwsHost}}, {kRegistry, RegistryAuth{"AWS", "own", kRegistry}}});
  EXPECT_EQ(decode_header_json(proxy.add_mapped_registry_config(own))[kRegistry]["password"], "own");
  EXPECT_EQ(proxy.add_mapped_registry_config("not base64!"), "not base64!");
}

TEST(DockerProxyRules, ParsesRequestHeads) {
  auto rq = parse_proxy_request(
      "POST /v1.41/images/a/b/push?tag=v1 HTTP/1.1\r\nHost: x\r\nX-Registry-Auth: abc\r\n"
      "Transfer-Encoding: chunked\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
  ASSERT_TRUE(rq) << rq.error().message;
  EXPECT_EQ(rq->version_prefix, "/v1.41");
  EXPECT_EQ(rq->route, "/images/a/b/push");
  EXPECT_EQ(rq->query, "tag=v1");
  EXPECT_TRUE(rq->chunked);
  EXPECT_TRUE(rq->upgrade);
  EXPECT_EQ(*rq->header("x-registry-auth"), "abc");
  auto plain = parse_proxy_request("GET /_ping HTTP/1.0\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->version_prefix, "");
  EXPECT_EQ(plain->route, "/_ping");
  EXPECT_TRUE(plain->http10);
  EXPECT_TRUE(plain->close_requested);
  EXPECT_FALSE(plain->upgrade);
  EXPECT_EQ(parse_proxy_request("GET /version HTTP/1.1\r\n\r\n")->route, "/version");
  EXPECT_EQ(parse_proxy_request("GET /vx/version HTTP/1.1\r\n\r\n")->route, "/vx/version");
  for (const char* bad : {"GET\r\n\r\n", "GET /x HTTP/2\r\n\r\n", "GET x HTTP/1.1\r\n\r\n",
                          "GET /x HTTP/1.1\r\nNoColon\r\n\r\n", "GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                          "GET /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                          "POST /x HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                          "POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "G T /x HTTP/1.1\r\n\r\n",
                          "GET /a b HTTP/1.1\r\n\r\n"}) {
    EXPECT_FALSE(parse_proxy_request(bad)) << bad;
  }
}

// ---- the proxy on a socket ----

TEST(DockerProxy, PassesThroughSeveralRequestsOnOneConnection) {
  FakeEngine engine([](const Recorded& rq, int fd) {
    if (rq.target == "/_ping") {
      write_all(fd, "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK");
    } else if (rq.method == "HEAD") {
      write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
    } else {
      write_all(
          fd, FakeEngine::chunked_head() + FakeEngine::chunk("[{\"Id\":") + FakeEngine::chunk("\"x\"}]") + "0\r\n\r\n");
    }
  });
  ProxyFixture fx(engine);
  struct stat st {};
  ASSERT_EQ(::stat(fx.path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0666u);
  Client client(fx.path);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/_ping")));
  auto ping = client.read_response();
  ASSERT_TRUE(ping.ok);
  EXPECT_EQ(ping.body, "OK");
  EXPECT_EQ(*ping.head.header("Api-Version"), "1.41");
  EXPECT_EQ(ping.head.header("Connection"), nullptr);  // the client's connection stays open
  ASSERT_TRUE(client.send("HEAD /_ping HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto head = client.read_response(5s, true);
  ASSERT_TRUE(head.ok);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(*head.head.header("Content-Length"), "2");
  ASSERT_TRUE(client.send(get("/v1.41/containers/json?all=1&filters=%7B%7D")));
  auto list = client.read_response();
  ASSERT_TRUE(list.ok);
  EXPECT_EQ(list.body, "[{\"Id\":\"x\"}]");
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].target, "/v1.41/containers/json?all=1&filters=%7B%7D");
  EXPECT_EQ(*requests[2].header("User-Agent"), "Docker-Client/28.2.2");
  EXPECT_EQ(*requests[2].header("Connection"), "close");  // one engine connection per request
}

TEST(DockerProxy, ChunkedRequestBodyIsForwardedAndTheNextRequestStillParses) {
  FakeEngine engine([](const Recorded& rq, int fd) {
    write_all(fd, FakeEngine::ok_json("{\"Got\":" + std::to_string(rq.body.size()) + "}"));
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  std::string body = std::string(70000, 'a') + "end";
  std::string request =
      "POST /v1.41/containers/x/archive?path=/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
      FakeEngine::chunk(body.substr(0, 40000)) + FakeEngine::chunk(body.substr(40000)) + "0\r\n\r\n" + get("/version");
  ASSERT_TRUE(client.send(request));  // both requests in one write
  auto first = client.read_response();
  ASSERT_TRUE(first.ok);
  EXPECT_EQ(first.body, "{\"Got\":70003}");
  auto second = client.read_response();
  ASSERT_TRUE(second.ok);
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(requests[1].target, "/version");
}

TEST(DockerProxy, LoginToHakobusRegistryIsAnsweredHere) {
  FakeEngine engine([](const Recorded&, int fd) { write_all(fd, FakeEngine::ok_json("{}")); });
  ProxyFixture fx(engine);
  Client client(fx.path);
  nlohmann::json login = {{"username", "AWS"}, {"password", "good"}, {"serveraddress", kAwsHost}};
  ASSERT_TRUE(client.send(post("/v1.48/auth", login.dump())));
  auto ok = client.read_response();
  ASSERT_TRUE(ok.ok);
  EXPECT_EQ(ok.status, 200);
  auto answer = nlohmann::json::parse(ok.body);
  EXPECT_EQ(answer["Status"], "Login Succeeded");
  EXPECT_EQ(answer["IdentityToken"], "");

  login = {{"username", "AWS"}, {"password", "wrong"}, {"serveraddress", "http://localhost:4566"}};
  ASSERT_TRUE(client.send(post("/v1.48/auth", login.dump())));
  auto refused = client.read_response();
  ASSERT_TRUE(refused.ok);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(nlohmann::json::parse(refused.body)["message"],
            "login attempt to http://localhost:4566/v2/ failed with status: 401 Unauthorized");
  std::lock_guard lock(fx.mutex);
  ASSERT_EQ(fx.logins.size(), 2u);
  EXPECT_EQ(fx.logins[0], std::make_pair(std::string("AWS"), std::string("good")));
  EXPECT_EQ(fx.logins[1].second, "wrong");
  EXPECT_TRUE(engine.requests().empty());
}

TEST(DockerProxy, LoginToAnotherRegistryGoesToTheEngine) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, FakeEngine::ok_json(R"({"message":"ping https failed"})", 500, "Internal Server Error"));
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  nlohmann::json login = {{"username", "u"}, {"password", "p"}, {"serveraddress", "quay.io"}};
  ASSERT_TRUE(client.send(post("/v1.41/auth", login.dump())));
  auto answer = client.read_response();
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.status, 500);
  ASSERT_EQ(engine.requests().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(engine.requests()[0].body), login);
  EXPECT_TRUE(fx.logins.empty());
}

TEST(DockerProxy, PushOfAnAwsNameIsTaggedPushedInsecurelyAndUntagged) {
  std::atomic<bool> release{false};
  FakeEngine engine([&](const Recorded& rq, int fd) {
    if (rq.target.find("/tag?") != std::string::npos) {
      write_all(fd, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    } else if (rq.target.find("/push") != std::string::npos) {
      write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("{\"status\":\"Pushing\"}\n"));
      while (!release) std::this_thread::sleep_for(5ms);
      write_all(fd, FakeEngine::chunk("{\"status\":\"v1: digest: sha256:ab size: 5\"}\n") + "0\r\n\r\n");
    } else {
      write_all(fd, FakeEngine::ok_json(R"([{"Untagged":"x"}])"));
    }
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  std::string name = std::string(kAwsHost) + "/team/app";
  ASSERT_TRUE(client.send(
      post("/v1.41/images/" + name + "/push?tag=v1", "", "X-Registry-Auth: " + auth_header(kAwsHost) + "\r\n")));
  // The first progress line arrives while the engine is still pushing.
  std::string early;
  for (int i = 0; i < 50 && early.find("Pushing") == std::string::npos; ++i) early += read_some(client.fd(), 100ms);
  EXPECT_NE(early.find("Pushing"), std::string::npos);
  release = true;
  for (int i = 0; i < 50 && early.find("0\r\n\r\n") == std::string::npos; ++i) early += read_some(client.fd(), 100ms);
  EXPECT_NE(early.find("digest: sha256:ab"), std::string::npos);
  // The stream ends only once the temporary name is gone.
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1.41/images/" + name +
                                    ":v1/tag?repo=127.0.0.1%3A4566%2F123456789012%2Fus-east-1"
                                    "%2Fteam%2Fapp&tag=v1");
  EXPECT_EQ(requests[1].target,
            "/v1.41/images/127.0.0.1:4566/123456789012/us-east-1/team/app/push?tag=v1&tlsVerify=false");
  auto auth = decode_header_json(*requests[1].header("X-Registry-Auth"));
  EXPECT_EQ(auth["serveraddress"], kRegistry);
  EXPECT_EQ(auth["password"], "tok+en/==");
  EXPECT_EQ(requests[2].method, "DELETE");
  EXPECT_EQ(requests[2].target, "/v1.41/images/127.0.0.1:4566/123456789012/us-east-1/team/app:v1");
}

TEST(DockerProxy, PushStreamIsComplete) {
  FakeEngine engine([&](const Recorded& rq, int fd) {
    if (rq.target.find("/push") != std::string::npos) {
      write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("{\"status\":\"Pushing\"}\n") +
                        FakeEngine::chunk("{\"errorDetail\":{\"message\":\"denied\"},\"error\":\"denied\"}\n") +
                        "0\r\n\r\n");
    } else {
      write_all(fd, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    }
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  ASSERT_TRUE(client.send(post("/v1.41/images/127.0.0.1:4566/123456789012/app/push?tag=v2", "")));
  auto answer = client.read_response();
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "{\"status\":\"Pushing\"}\n{\"errorDetail\":{\"message\":\"denied\"},\"error\":\"denied\"}\n");
  // Already hakobu's name: no tag, no untag; the missing X-Registry-Auth stays missing.
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v1.41/images/127.0.0.1:4566/123456789012/app/push?tag=v2&tlsVerify=false");
  EXPECT_EQ(requests[0].header("X-Registry-Auth"), nullptr);
  // The connection goes on.
  ASSERT_TRUE(client.send(get("/_ping")));
  EXPECT_TRUE(client.read_response().ok);
}

TEST(DockerProxy, PushOfAMissingImageAnswersTheTagError) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, FakeEngine::ok_json(R"({"cause":"image not known","message":"no such image","response":404})", 404,
                                      "Not Found"));
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  ASSERT_TRUE(client.send(post("/images/" + std::string(kAwsHost) + "/app/push?tag=v1", "")));
  auto answer = client.read_response();
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.status, 404);
  EXPECT_NE(nlohmann::json::parse(answer.body)["message"].get<std::string>().find("no such image"), std::string::npos);
  EXPECT_EQ(engine.requests().size(), 1u);  // no push, nothing to untag
}

TEST(DockerProxy, RefusedPushIsUntaggedBeforeTheAnswerEnds) {
  FakeEngine engine([](const Recorded& rq, int fd) {
    if (rq.target.find("/push") != std::string::npos) {
      write_all(fd, FakeEngine::ok_json(R"({"message":"unauthorized"})", 500, "Internal Server Error"));
    } else if (rq.method == "DELETE") {
      write_all(fd, FakeEngine::ok_json("[]"));
    } else {
      write_all(fd, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    }
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  ASSERT_TRUE(client.send(post("/images/" + std::string(kAwsHost) + "/app/push?tag=v1", "")));
  auto answer = client.read_response();
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.status, 500);
  auto requests = engine.requests();  // no waiting: the untag came first
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].method, "DELETE");
}

TEST(DockerProxy, PushOfOtherNamesPassesThrough) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("{\"status\":\"x\"}") + "0\r\n\r\n");
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  std::string header = "X-Registry-Auth: " + auth_header("quay.io") + "\r\n";
  ASSERT_TRUE(client.send(post("/v1.41/images/quay.io/me/app/push?tag=v1", "", header)));
  ASSERT_TRUE(client.read_response().ok);
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v1.41/images/quay.io/me/app/push?tag=v1");
  EXPECT_EQ(*requests[0].header("X-Registry-Auth"), auth_header("quay.io"));
}

TEST(DockerProxy, PullOfAnAwsNamePullsTheMappedNameAndTagsItBack) {
  FakeEngine engine([](const Recorded& rq, int fd) {
    if (rq.target.find("/images/create") != std::string::npos) {
      write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("{\"status\":\"Pulling\"}\n") + "0\r\n\r\n");
    } else if (rq.method == "DELETE") {
      write_all(fd, FakeEngine::ok_json("[]"));
    } else {
      write_all(fd, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
    }
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  std::string header = "X-Registry-Auth: " + auth_header(kAwsHost) + "\r\n";
  ASSERT_TRUE(client.send(post(
      "/v1.41/images/create?fromImage=" + common::uri_encode(std::string(kAwsHost) + "/app") + "&tag=v3", "", header)));
  auto answer = client.read_response();
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.body, "{\"status\":\"Pulling\"}\n");
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target,
            "/v1.41/images/create?fromImage=127.0.0.1%3A4566%2F123456789012%2Fus-east-1%2Fapp&tag=v3&tlsVerify=false");
  EXPECT_EQ(decode_header_json(*requests[0].header("X-Registry-Auth"))["serveraddress"], kRegistry);
  EXPECT_EQ(requests[1].target, "/v1.41/images/127.0.0.1:4566/123456789012/us-east-1/app:v3/tag?repo=" +
                                    common::uri_encode(std::string(kAwsHost) + "/app") + "&tag=v3");
  EXPECT_EQ(requests[2].method, "DELETE");
  EXPECT_EQ(requests[2].target, "/v1.41/images/127.0.0.1:4566/123456789012/us-east-1/app:v3");
}

TEST(DockerProxy, FailedPullIsNotTaggedAndTagFailureIsReportedInTheStream) {
  std::atomic<int> pulls{0};
  FakeEngine engine([&](const Recorded& rq, int fd) {
    if (rq.target.find("/images/create") != std::string::npos) {
      bool fail = pulls++ == 0;
      write_all(fd, FakeEngine::chunked_head() +
                        FakeEngine::chunk(fail ? R"({"errorDetail":{"message":"manifest unknown"},"error":"x"})"
                                               : R"({"status":"ok"})") +
                        "0\r\n\r\n");
    } else if (rq.method == "DELETE") {
      write_all(fd, FakeEngine::ok_json("[]"));
    } else {
      write_all(fd, FakeEngine::ok_json(R"({"message":"tag refused"})", 500, "Internal Server Error"));
    }
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  std::string target = "/images/create?fromImage=" + common::uri_encode(std::string(kAwsHost) + "/app:v4");
  ASSERT_TRUE(client.send(post(target, "")));
  auto failed = client.read_response();
  ASSERT_TRUE(failed.ok);
  EXPECT_NE(failed.body.find("manifest unknown"), std::string::npos);
  EXPECT_EQ(engine.requests().size(), 1u);
  ASSERT_TRUE(client.send(post(target, "")));
  auto untaggable = client.read_response();
  ASSERT_TRUE(untaggable.ok);
  EXPECT_NE(untaggable.body.find(R"("errorDetail":{"message":"tagging )"), std::string::npos) << untaggable.body;
  EXPECT_NE(untaggable.body.find("tag refused"), std::string::npos);
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_NE(requests[1].target.find("tag=v4"), std::string::npos);  // the tag came from fromImage
}

TEST(DockerProxy, PullOfOtherNamesAndImportsPassThrough) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("{}") + "0\r\n\r\n");
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  ASSERT_TRUE(client.send(post("/images/create?fromImage=busybox&tag=latest", "")));
  ASSERT_TRUE(client.read_response().ok);
  ASSERT_TRUE(
      client.send(post("/images/create?fromSrc=-&repo=" + common::uri_encode(std::string(kAwsHost) + "/x"), "tar")));
  ASSERT_TRUE(client.read_response().ok);
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/images/create?fromImage=busybox&tag=latest");
  EXPECT_EQ(requests[1].body, "tar");
}

TEST(DockerProxy, BuildGetsCredentialsKeyedByTheMappedHost) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("{\"stream\":\"Step 1/1\"}") + "0\r\n\r\n");
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  std::string config = encode_registry_config({{kAwsHost, RegistryAuth{"AWS", "pw", kAwsHost}}});
  std::string context(5000, 'c');
  ASSERT_TRUE(client.send("POST /v1.41/build?t=x HTTP/1.1\r\nHost: x\r\nX-Registry-Config: " + config +
                          "\r\nContent-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n" +
                          FakeEngine::chunk(context) + "0\r\n\r\n"));
  auto answer = client.read_response();
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.body, "{\"stream\":\"Step 1/1\"}");
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body, context);
  EXPECT_EQ(requests[0].target, "/v1.41/build?t=x");
  auto sent = decode_header_json(*requests[0].header("X-Registry-Config"));
  EXPECT_EQ(sent[kRegistry]["password"], "pw");
  EXPECT_EQ(sent[kAwsHost]["password"], "pw");
}

TEST(DockerProxy, UpgradedConnectionIsSplicedBothWays) {
  FakeEngine engine([](const Recorded& rq, int fd) {
    if (rq.header("Upgrade") == nullptr) return;
    write_all(fd,
              "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\n"
              "Upgrade: tcp\r\n\r\nready\n");
    // Echo until the client half-closes, then say goodbye and close.
    for (;;) {
      bool eof = false;
      std::string piece = read_some(fd, 5000ms, &eof);
      if (piece.empty()) break;
      write_all(fd, "echo:" + piece);
    }
    write_all(fd, "bye\n");
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  ASSERT_TRUE(
      client.send("POST /v1.41/containers/c1/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: x\r\n"
                  "Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
  std::string seen;
  for (int i = 0; i < 50 && seen.find("ready\n") == std::string::npos; ++i) seen += read_some(client.fd(), 100ms);
  EXPECT_NE(seen.find("HTTP/1.1 101 UPGRADED\r\n"), std::string::npos);
  EXPECT_NE(seen.find("Upgrade: tcp"), std::string::npos);
  ASSERT_NE(seen.find("ready\n"), std::string::npos);
  ASSERT_TRUE(client.send("hello"));
  std::string echoed;
  for (int i = 0; i < 50 && echoed.find("echo:hello") == std::string::npos; ++i)
    echoed += read_some(client.fd(), 100ms);
  EXPECT_EQ(echoed, "echo:hello");
  ::shutdown(client.fd(), SHUT_WR);  // stdin done; output keeps coming
  std::string tail;
  bool eof = false;
  for (int i = 0; i < 50 && !eof; ++i) tail += read_some(client.fd(), 100ms, &eof);
  EXPECT_EQ(tail, "bye\n");
  EXPECT_TRUE(eof);
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(*requests[0].header("Connection"), "Upgrade");
}

TEST(DockerProxy, CloseDelimitedAnswerIsSplicedToo) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n");
    std::string input = read_some(fd, 5000ms);
    write_all(fd, "got:" + input);
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  ASSERT_TRUE(client.send("POST /exec/e1/start HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"));
  std::string seen;
  for (int i = 0; i < 50 && seen.find("\r\n\r\n") == std::string::npos; ++i) seen += read_some(client.fd(), 100ms);
  EXPECT_NE(seen.find("Connection: close\r\n"), std::string::npos);
  ASSERT_TRUE(client.send("in"));
  bool eof = false;
  for (int i = 0; i < 50 && !eof; ++i) seen += read_some(client.fd(), 100ms, &eof);
  EXPECT_TRUE(eof);
  EXPECT_NE(seen.find("got:in"), std::string::npos);
}

TEST(DockerProxy, WaitForRemovalAnswersTheExitCodeAndSendsItsHeadAtOnce) {
  std::atomic<bool> exit_now{false};
  FakeEngine engine([&](const Recorded& rq, int fd) {
    if (rq.method == "GET") {
      write_all(fd, FakeEngine::ok_json(R"({"Id":"c1","State":{"Status":"created","ExitCode":0}})"));
    } else if (rq.target.find("next-exit") != std::string::npos) {
      while (!exit_now) std::this_thread::sleep_for(5ms);
      write_all(fd, FakeEngine::ok_json(R"({"StatusCode":3,"Error":null})"));
    } else {
      write_all(fd, FakeEngine::ok_json(R"({"StatusCode":0,"Error":null})"));  // podman 4.3's answer
    }
  });
  ProxyFixture fx(engine);
  Client client(fx.path);
  ASSERT_TRUE(client.send(post("/v1.41/containers/c1/wait?condition=removed", "")));
  // The docker CLI starts the container only once the wait call's head arrived.
  std::string seen;
  for (int i = 0; i < 50 && seen.find("\r\n\r\n") == std::string::npos; ++i) seen += read_some(client.fd(), 100ms);
  EXPECT_EQ(seen.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << seen;
  exit_now = true;
  for (int i = 0; i < 50 && seen.find("0\r\n\r\n") == std::string::npos; ++i) seen += read_some(client.fd(), 100ms);
  EXPECT_NE(seen.find(R"({"Error":null,"StatusCode":3})"), std::string::npos) << seen;
  auto requests = engine.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/v1.41/containers/c1/json");
  EXPECT_EQ(requests[1].target, "/v1.41/containers/c1/wait?condition=next-exit");
  EXPECT_EQ(requests[2].target, "/v1.41/containers/c1/wait?condition=removed");
  // Other conditions pass through.
  ASSERT_TRUE(client.send(post("/v1.41/containers/c1/wait?condition=next-exit", "")));
  EXPECT_TRUE(client.read_response().ok);
  ASSERT_EQ(engine.requests().size(), 4u);
}

TEST(DockerProxy, MalformedRequestsGet400AndTheConnectionCloses) {
  FakeEngine engine([](const Recorded&, int fd) { write_all(fd, FakeEngine::ok_json("{}")); });
  ProxyFixture fx(engine);
  for (std::string bad :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET /x HTTP/1.1\r\nContent-Length: zz\r\n\r\n"),
        std::string("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        std::string("GET /x HTTP/1.1\r\nX: ") + std::string(70000, 'a'),
        std::string("POST /auth HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n") + std::string(1100000, '{')}) {
    Client client(fx.path);
    (void)client.send(bad);  // the proxy may answer and close before reading all of an oversized one
    auto answer = client.read_response();
    ASSERT_TRUE(answer.ok) << bad.substr(0, 60);
    EXPECT_EQ(answer.status, 400) << bad.substr(0, 60);
    EXPECT_TRUE(nlohmann::json::parse(answer.body, nullptr, false).contains("message")) << answer.body;
    EXPECT_TRUE(client.closed_by_peer()) << bad.substr(0, 60);
  }
  // Non-JSON login bodies are the engine's problem (it answers 400 itself).
  Client client(fx.path);
  ASSERT_TRUE(client.send(post("/auth", "not json")));
  EXPECT_TRUE(client.read_response().ok);
  // A client vanishing mid-request is no crash either.
  {
    Client gone(fx.path);
    ASSERT_TRUE(gone.send("POST /build HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"));
  }
  Client after(fx.path);
  ASSERT_TRUE(after.send(get("/_ping")));
  EXPECT_TRUE(after.read_response().ok);
}

TEST(DockerProxy, DeadEngineAnswers502) {
  common::TempDir dir("hakobu-dproxy-dead");
  DockerProxy proxy(DockerProxyOptions{dir.path() + "/no-engine.sock", kRegistry});
  std::string path = dir.path() + "/docker.sock";
  ASSERT_TRUE(proxy.open(path, DockerProxyClient{}));
  Client client(path);
  ASSERT_TRUE(client.send(get("/_ping")));
  auto answer = client.read_response();
  ASSERT_TRUE(answer.ok);
  EXPECT_EQ(answer.status, 502);
  EXPECT_NE(answer.body.find("not reachable"), std::string::npos);
  // Without a verify_login every login to hakobu's registry is refused.
  nlohmann::json login = {{"username", "AWS"}, {"password", "good"}, {"serveraddress", kRegistry}};
  ASSERT_TRUE(client.send(post("/auth", login.dump())));
  EXPECT_EQ(client.read_response().status, 401);
}

TEST(DockerProxy, CloseEndsLiveConnectionsAndRemovesTheSocket) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("{\"status\":\"start\"}\n"));
    read_some(fd, 20000ms);  // an /events stream that stays open
  });
  ProxyFixture fx(engine);
  Client events(fx.path);
  Client idle(fx.path);
  ASSERT_TRUE(events.send(get("/v1.41/events")));
  std::string seen;
  for (int i = 0; i < 50 && seen.find("start") == std::string::npos; ++i) seen += read_some(events.fd(), 100ms);
  ASSERT_NE(seen.find("start"), std::string::npos);
  auto begin = std::chrono::steady_clock::now();
  fx.proxy.close(fx.path);
  auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_LT(took, 2s);
  EXPECT_TRUE(events.closed_by_peer(2s));
  EXPECT_TRUE(idle.closed_by_peer(2s));
  EXPECT_NE(::access(fx.path.c_str(), F_OK), 0);
  EXPECT_EQ(connect_unix(fx.path), -1);
  ASSERT_TRUE(fx.proxy.open(fx.path, DockerProxyClient{}));  // the path can be served again
}

TEST(DockerProxy, ClientHangingUpEndsItsFollowStream) {
  FakeEngine engine([](const Recorded&, int fd) {
    write_all(fd, FakeEngine::chunked_head() + FakeEngine::chunk("line\n"));
    bool eof = false;
    read_some(fd, 10000ms, &eof);  // returns when the proxy drops the engine connection
  });
  ProxyFixture fx(engine);
  {
    Client logs(fx.path);
    ASSERT_TRUE(logs.send(get("/containers/c/logs?follow=1&stdout=1")));
    std::string seen;
    for (int i = 0; i < 50 && seen.find("line") == std::string::npos; ++i) seen += read_some(logs.fd(), 100ms);
    ASSERT_NE(seen.find("line"), std::string::npos);
  }
  for (int i = 0; i < 50 && engine.connections_closed() == 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(engine.connections_closed(), 1);
}

TEST(DockerProxy, OpenRefusesABusyPathAndAMissingParent) {
  FakeEngine engine([](const Recorded&, int) {});
  ProxyFixture fx(engine);
  EXPECT_FALSE(fx.proxy.open(fx.path, DockerProxyClient{}));
  EXPECT_FALSE(fx.proxy.open(fx.dir.path() + "/missing/docker.sock", DockerProxyClient{}));
}

}  // namespace
}  // namespace runtime
