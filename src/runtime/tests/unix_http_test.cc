// The client's socket handling against a scripted unix-socket server: streaming as bytes
// arrive, the framings, deadlines, cancellation, a dead engine; and DockerClient's request
// building and error mapping on canned podman answers.
#include "runtime/unix_http.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "common/temp_dir.h"
#include "runtime/docker_client.h"

namespace runtime {
namespace {

using namespace std::chrono_literals;

// Serves one connection: reads the request (head + Content-Length body), then runs `respond`.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(int fd)> respond) : respond_(std::move(respond)) {
    path_ = dir_.path() + "/engine.sock";
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 4), 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }
  const std::string& path() const { return path_; }
  std::string request() {
    std::lock_guard lock(mutex_);
    return request_;
  }

  static void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

 private:
  void serve() {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    std::string data;
    char buffer[65536];
    size_t head_end = std::string::npos;
    size_t length = 0;
    while (true) {
      if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
        head_end += 4;
        size_t at = data.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) length = std::stoul(data.substr(at + 16));
      }
      if (head_end != std::string::npos && data.size() >= head_end + length) break;
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
    }
    {
      std::lock_guard lock(mutex_);
      request_ = data;
    }
    respond_(fd);
    ::close(fd);
  }

  common::TempDir dir_{"hakobu-unix-http"};
  std::string path_;
  int listen_fd_ = -1;
  std::function<void(int)> respond_;
  std::thread thread_;
  std::mutex mutex_;
  std::string request_;
};

common::Result<std::string> round_trip(const std::string& socket, const CallOptions& call,
                                       const HttpRequest& request = {"GET", "/_ping", {}},
                                       const RequestBody& body = {}) {
  auto connection = UnixHttpConnection::open(socket, call);
  if (!connection) return common::fail(connection.error());
  auto sent = (*connection)->send(request, body);
  if (!sent) return common::fail(sent.error());
  auto head = (*connection)->read_head();
  if (!head) return common::fail(head.error());
  return (*connection)->read_body_text(*head);
}

TEST(UnixHttp, StreamsChunkedBodyAsItArrives) {
  std::mutex mutex;
  std::condition_variable seen;
  std::string received;
  ScriptedServer server([&](int fd) {
    ScriptedServer::write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nfirst\n\r\n");
    // The rest only once the client has passed the first piece on.
    std::unique_lock lock(mutex);
    seen.wait_for(lock, 5s, [&] { return received == "first\n"; });
    ScriptedServer::write_all(fd, "7\r\nsecond\n\r\n0\r\n\r\n");
  });
  auto connection = UnixHttpConnection::open(server.path(), with_timeout(10s));
  ASSERT_TRUE(connection);
  ASSERT_TRUE((*connection)->send({"GET", "/logs", {}}, {}));
  auto head = (*connection)->read_head();
  ASSERT_TRUE(head);
  auto status = (*connection)->read_body(*head, [&](std::string_view bytes) {
    std::lock_guard lock(mutex);
    received.append(bytes);
    seen.notify_all();
  });
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(received, "first\nsecond\n");
}

TEST(UnixHttp, ContentLengthAndCloseDelimitedBodies) {
  ScriptedServer with_length([](int fd) {
    ScriptedServer::write_all(fd, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOKextra");
  });
  auto text = round_trip(with_length.path(), with_timeout(5s));
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text, "OK");
  EXPECT_NE(with_length.request().find("GET /_ping HTTP/1.1\r\n"), std::string::npos);

  ScriptedServer until_close([](int fd) { ScriptedServer::write_all(fd, "HTTP/1.1 200 OK\r\n\r\nall of it"); });
  auto rest = round_trip(until_close.path(), with_timeout(5s));
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, "all of it");
}

TEST(UnixHttp, SendsAFileBodyWithItsLength) {
  common::TempDir dir("hakobu-body");
  std::string file = dir.path() + "/context.tar";
  std::ofstream(file) << std::string(300000, 'c');
  ScriptedServer server([](int fd) { ScriptedServer::write_all(fd, "HTTP/1.1 204 No Content\r\n\r\n"); });
  auto result = round_trip(server.path(), with_timeout(5s), {"POST", "/build", {}}, RequestBody::tar_file(file));
  ASSERT_TRUE(result) << result.error().message;
  std::string request = server.request();
  EXPECT_NE(request.find("Content-Type: application/x-tar\r\n"), std::string::npos);
  EXPECT_NE(request.find("Content-Length: 300000\r\n"), std::string::npos);
  EXPECT_EQ(request.size() - request.find("\r\n\r\n") - 4, 300000u);
}

TEST(UnixHttp, AnEngineThatNeverAnswersTimesOut) {
  ScriptedServer server([](int) { std::this_thread::sleep_for(1000ms); });
  auto start = std::chrono::steady_clock::now();
  auto result = round_trip(server.path(), with_timeout(300ms));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, common::ErrorKind::Unavailable);
  EXPECT_NE(result.error().message.find("did not finish within 300 ms"), std::string::npos) << result.error().message;
  EXPECT_LT(took, 900ms);  // before the server gives up at 1 s
}

TEST(UnixHttp, CancelEndsAWaitingCall) {
  ScriptedServer server([](int fd) {
    ScriptedServer::write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::this_thread::sleep_for(1000ms);
  });
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  auto result = round_trip(server.path(), with_timeout(60s, &cancel));
  auto took = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "cancelled");
  EXPECT_LT(took, 900ms);  // before the server gives up at 1 s
}

TEST(UnixHttp, ADeadEngineFailsAtOnce) {
  common::TempDir dir("hakobu-dead");
  auto start = std::chrono::steady_clock::now();
  auto result = round_trip(dir.path() + "/nothing.sock", with_timeout(30s));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, common::ErrorKind::Unavailable);
  EXPECT_NE(result.error().message.find("not reachable"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);

  ScriptedServer closes_early(
      [](int fd) { ScriptedServer::write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"); });
  auto broken = round_trip(closes_early.path(), with_timeout(5s));
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("closed the connection mid-response"), std::string::npos);
}

TEST(UnixHttp, SocketPathFromDockerHost) {
  EXPECT_EQ(socket_path_from_host("unix:///run/podman/podman.sock"), "/run/podman/podman.sock");
  EXPECT_EQ(socket_path_from_host("/var/run/docker.sock"), "/var/run/docker.sock");
  EXPECT_EQ(socket_path_from_host("tcp://127.0.0.1:2375"), "");
  EXPECT_FALSE(DockerClient::from_host("tcp://127.0.0.1:2375"));
  EXPECT_TRUE(DockerClient::from_host("unix:///x.sock"));
}

// --- DockerClient on canned answers --------------------------------------------------------------

TEST(DockerClientCanned, NotFoundCarriesTheEngineMessage) {
  ScriptedServer server([](int fd) {
    std::string body =
        R"({"cause":"no such container","message":"no container with name or ID \"nope\" found: no such container","response":404})";
    ScriptedServer::write_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  DockerClient client(server.path());
  auto info = client.inspect_container("nope", {});
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().kind, common::ErrorKind::NotFound);
  EXPECT_EQ(info.error().message,
            "inspect container nope: no container with name or ID \"nope\" found: no such container");
  EXPECT_NE(server.request().find("GET /v1.41/containers/nope/json HTTP/1.1\r\n"), std::string::npos);
}

TEST(DockerClientCanned, PushSendsAuthAndFailsOnAnErrorInsideThe200Stream) {
  ScriptedServer server([](int fd) {
    ScriptedServer::write_all(fd,
                              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "41\r\n{\"status\":\"The push refers to repository [127.0.0.1:5099/x:v1]\"}\n\r\n"
                              "5b\r\n{\"errorDetail\":{\"message\":\"unauthorized: authentication required\"},"
                              "\"error\":\"unauthorized\"}\n\r\n0\r\n\r\n");
  });
  DockerClient client(server.path());
  PushOptions options;
  options.auth = RegistryAuth{"AWS", "secret", "127.0.0.1:5099"};
  options.tls_verify = false;
  std::vector<std::string> statuses;
  auto pushed = client.push_image("127.0.0.1:5099/x", "v1", options,
                                  [&](const ProgressMessage& m) { statuses.push_back(m.status + m.error); });
  ASSERT_FALSE(pushed);
  EXPECT_EQ(pushed.error().kind, common::ErrorKind::PermissionDenied);
  EXPECT_EQ(pushed.error().message, "push 127.0.0.1:5099/x:v1: unauthorized: authentication required");
  ASSERT_EQ(statuses.size(), 2u);  // the progress callback saw both messages
  std::string request = server.request();
  EXPECT_NE(request.find("POST /v1.41/images/127.0.0.1:5099/x/push?tag=v1&tlsVerify=false HTTP/1.1\r\n"),
            std::string::npos)
      << request;
  EXPECT_NE(request.find("X-Registry-Auth: " + encode_registry_auth(*options.auth) + "\r\n"), std::string::npos);
}

TEST(DockerClientCanned, PushReportsTheDigest) {
  ScriptedServer server([](int fd) {
    std::string body = R"({"status":"v1: digest: sha256:941acf size: 343"})"
                       "\n";
    ScriptedServer::write_all(fd,
                              "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  DockerClient client(server.path());
  auto pushed = client.push_image("127.0.0.1:5099/x", "v1", {}, {});
  ASSERT_TRUE(pushed) << pushed.error().message;
  EXPECT_EQ(pushed->digest, "sha256:941acf");
  EXPECT_EQ(pushed->size, 343);
}

TEST(DockerClientCanned, LogsAreDemultiplexed) {
  ScriptedServer server([](int fd) {
    std::string frames = std::string("\x01\0\0\0\0\0\0\x04out\n", 12) + std::string(
                                                                            "\x02\0\0\0\0\0\0\x04"
                                                                            "err\n",
                                                                            12);
    ScriptedServer::write_all(fd,
                              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n18\r\n" + frames + "\r\n0\r\n\r\n");
  });
  DockerClient client(server.path());
  std::string out, err;
  LogsOptions options;
  options.follow = true;
  auto status = client.container_logs("c1", options, [&](LogStream stream, std::string_view bytes) {
    (stream == LogStream::Stderr ? err : out).append(bytes);
  });
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(out, "out\n");
  EXPECT_EQ(err, "err\n");
  EXPECT_NE(server.request().find("GET /v1.41/containers/c1/logs?stdout=1&stderr=1&follow=1 HTTP/1.1"),
            std::string::npos);
}

}  // namespace
}  // namespace runtime

namespace runtime {
namespace {

TEST(DockerClientCanned, LogsSinceAndTail) {
  ScriptedServer server([](int fd) { ScriptedServer::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); });
  DockerClient client(server.path());
  LogsOptions options;
  options.include_stderr = false;
  options.since = common::TimePoint(std::chrono::milliseconds(1795883591500));
  options.tail = 10;
  ASSERT_TRUE(client.container_logs("c1", options, [](LogStream, std::string_view) {}));
  EXPECT_NE(
      server.request().find("GET /v1.41/containers/c1/logs?stdout=1&stderr=0&since=1795883591.500000000&tail=10 "),
      std::string::npos)
      << server.request();
}

}  // namespace
}  // namespace runtime
