#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netinet/tcp.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"

namespace {

// Echoes method, path, query and body; reads the body only when asked to.
class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    options.port = 0;
    start(options);
  }
  void TearDown() override { stop(); }

  void stop() {
    server_->stop();
    thread_.join();
  }

  // Serves again with options changed by `change` (from a free port).
  template <typename Change>
  void restart(Change change) {
    stop();
    http::ServerOptions options;
    options.port = 0;
    change(options);
    start(options);
  }

  void start(http::ServerOptions options) {
    server_ = std::make_unique<http::Server>(options, [](http::Request& rq, http::Response& rs) {
      if (rq.path == "/count") {
        // Streams the body, answering with its size.
        char buffer[65536];
        size_t total = 0;
        long n = 0;
        while (rq.body_reader != nullptr && (n = rq.body_reader->read(buffer, sizeof buffer)) > 0) {
          total += static_cast<size_t>(n);
        }
        rs.body = "count=" + std::to_string(total) + (n < 0 ? " broken" : "");
        return;
      }
      if (rq.path == "/big") {
        rs.body.assign(4 << 20, 'x');
        return;
      }
      std::string body;
      if (rq.path != "/ignore-body") {
        if (!rq.read_body(body, 1 << 20)) {
          rs.status = 413;
          return;
        }
      }
      const std::string* h = rq.header("x-test");
      rs.body = rq.method + " " + rq.path + " " + rq.query + " [" + body + "] " + (h ? *h : "-");
    });
    std::string error;
    ASSERT_TRUE(server_->listen(error)) << error;
    thread_ = std::thread([this] { server_->run(); });
  }

  int connect_client() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }

  static void send_all(int fd, const std::string& data) {
    ASSERT_EQ(::send(fd, data.data(), data.size(), 0), (ssize_t)data.size());
  }

  // Reads one response with a Content-Length body.
  static std::string read_response(int fd) {
    std::string data;
    char buf[4096];
    while (true) {
      size_t end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = data.find("Content-Length: ");
        size_t len = cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16));
        if (data.size() >= end + 4 + len) return data.substr(0, end + 4 + len);
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return data;
      data.append(buf, static_cast<size_t>(n));
    }
  }

  // Reads `count` responses with Content-Length bodies, in order (pipelining-safe).
  static std::vector<std::string> read_responses(int fd, size_t count) {
    std::vector<std::string> responses;
    std::string data;
    char buf[65536];
    while (responses.size() < count) {
      size_t end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = data.find("Content-Length: ");
        size_t len = cl == std::string::npos || cl > end ? 0 : std::stoul(data.substr(cl + 16));
        if (data.size() >= end + 4 + len) {
          responses.push_back(data.substr(0, end + 4 + len));
          data.erase(0, end + 4 + len);
          continue;
        }
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    return responses;
  }

  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_F(ServerFixture, ServesKeepAliveRequestsOnOneConnection) {
  int fd = connect_client();
  send_all(fd, "GET /a?x=1 HTTP/1.1\r\nHost: h\r\nX-Test: one\r\n\r\n");
  std::string first = read_response(fd);
  EXPECT_NE(first.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(first.find("GET /a x=1 [] one"), std::string::npos);
  send_all(fd, "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
  std::string second = read_response(fd);
  EXPECT_NE(second.find("POST /b  [hello] -"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, DecodesChunkedBodiesWithTrailers) {
  int fd = connect_client();
  send_all(fd,
           "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nx-amz-checksum-crc32: abc\r\n\r\n");
  EXPECT_NE(read_response(fd).find("[hello world]"), std::string::npos);
  // The connection is still usable.
  send_all(fd, "GET /d HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_NE(read_response(fd).find("GET /d"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, AnswersExpectContinueWhenTheBodyIsRead) {
  int fd = connect_client();
  send_all(fd, "PUT /e HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  char buf[64] = {0};
  ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "HTTP/1.1 100 Continue\r\n\r\n");
  send_all(fd, "abc");
  EXPECT_NE(read_response(fd).find("[abc]"), std::string::npos);
  ::close(fd);
}

// botocore keeps a final status line read while waiting for 100 and misparses the next
// response on the connection, so a bodyless Expect request gets 100 first, on both paths.
TEST_F(ServerFixture, AnswersExpectContinueBeforeTheResponseOfABodylessRequest) {
  // Reads "100 Continue", then a whole final response (these handlers answer with a body).
  auto read_continue_then_response = [](int fd) {
    std::string data;
    char buf[4096];
    while (true) {
      size_t final_start = data.find("HTTP/1.1 200 OK");
      size_t end = final_start == std::string::npos ? std::string::npos : data.find("\r\n\r\n", final_start);
      if (end != std::string::npos) {
        size_t cl = data.find("Content-Length: ", final_start);
        size_t len = cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16));
        if (data.size() >= end + 4 + len) return data;
      }
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return data;
      data.append(buf, static_cast<size_t>(n));
    }
  };
  int fd = connect_client();
  send_all(fd, "PUT /z HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n");
  std::string first = read_continue_then_response(fd);
  EXPECT_EQ(first.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK", 0), 0u) << first;
  // Now on the streaming path (a chunked upload hands the connection over), the same.
  send_all(fd, "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_NE(read_response(fd).find("[abc]"), std::string::npos);
  send_all(fd, "PUT /z HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n");
  std::string second = read_continue_then_response(fd);
  EXPECT_EQ(second.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK", 0), 0u) << second;
  ::close(fd);
}

TEST_F(ServerFixture, DrainsAnUnreadBodyAndKeepsTheConnection) {
  int fd = connect_client();
  send_all(fd, "POST /ignore-body HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody");
  EXPECT_NE(read_response(fd).find("POST /ignore-body"), std::string::npos);
  send_all(fd, "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_NE(read_response(fd).find("GET /next"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, RejectsMalformedRequests) {
  int fd = connect_client();
  send_all(fd, "NONSENSE\r\n\r\n");
  EXPECT_NE(read_response(fd).find("HTTP/1.1 400"), std::string::npos);
  ::close(fd);
  fd = connect_client();
  send_all(fd, "GET / HTTP/1.1\r\nbad header line\r\n\r\n");
  EXPECT_NE(read_response(fd).find("HTTP/1.1 400"), std::string::npos);
  ::close(fd);
  fd = connect_client();
  send_all(fd, "GET / HTTP/2.0\r\n\r\n");
  EXPECT_NE(read_response(fd).find("HTTP/1.1 400"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, RefusesOversizedHeaders) {
  int fd = connect_client();
  std::string big(70 * 1024, 'a');
  send_all(fd, "GET / HTTP/1.1\r\nX-Big: " + big + "\r\n\r\n");
  std::string response = read_response(fd);
  EXPECT_TRUE(response.find("HTTP/1.1 431") != std::string::npos || response.empty());
  ::close(fd);
}

TEST_F(ServerFixture, HttpOneZeroClosesAfterTheResponse) {
  int fd = connect_client();
  send_all(fd, "GET /old HTTP/1.0\r\n\r\n");
  std::string response = read_response(fd);
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  char buf[16];
  EXPECT_EQ(::recv(fd, buf, sizeof buf, 0), 0);
  ::close(fd);
}

TEST_F(ServerFixture, HttpOneZeroKeepAliveIsAnsweredAndKept) {
  int fd = connect_client();
  send_all(fd, "GET /old HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  std::string first = read_response(fd);
  EXPECT_NE(first.find("Connection: keep-alive"), std::string::npos);
  send_all(fd, "GET /again HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  std::string second = read_response(fd);
  EXPECT_NE(second.find("HTTP/1.1 200"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, AnswersPipelinedRequestsInOrder) {
  int fd = connect_client();
  send_all(fd,
           "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
           "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
           "\r\nGET /three?q HTTP/1.1\r\nHost: h\r\nX-Test: 3\r\n\r\n");
  auto responses = read_responses(fd, 3);
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_NE(responses[0].find("GET /one  [] -"), std::string::npos);
  EXPECT_NE(responses[1].find("POST /two  [abc] -"), std::string::npos);
  EXPECT_NE(responses[2].find("GET /three q [] 3"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, ParsesARequestSentOneByteAtATime) {
  int fd = connect_client();
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  std::string request = "PUT /slow?a=b HTTP/1.1\r\nHost: h\r\nX-Test: bytes\r\nContent-Length: 5\r\n\r\nhello";
  for (int round = 0; round < 2; ++round) {
    for (char c : request) send_all(fd, std::string(1, c));
    auto responses = read_responses(fd, 1);
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_NE(responses[0].find("PUT /slow a=b [hello] bytes"), std::string::npos);
  }
  ::close(fd);
}

TEST_F(ServerFixture, StreamsBodiesOverOneMebibyteAndKeepsTheConnection) {
  int fd = connect_client();
  const size_t size = 3 << 20;
  std::thread sender([&] {
    send_all(fd, "PUT /count HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n");
    send_all(fd, std::string(size, 'b'));
  });
  auto responses = read_responses(fd, 1);
  sender.join();
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_NE(responses[0].find("count=3145728"), std::string::npos) << responses[0].substr(0, 200);
  send_all(fd, "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_NE(read_response(fd).find("GET /after"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, BuffersABodyOfExactlyOneMebibyte) {
  int fd = connect_client();
  const size_t size = 1 << 20;
  std::thread sender([&] {
    send_all(fd, "PUT /count HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" +
                     std::string(size, 'b') + "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
  });
  auto responses = read_responses(fd, 2);
  sender.join();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_NE(responses[0].find("count=1048576"), std::string::npos);
  EXPECT_NE(responses[1].find("GET /after"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, HandsAChunkedUploadToTheStreamingPathWithAPipelinedRequestBehindIt) {
  int fd = connect_client();
  std::string chunks;
  size_t total = 0;
  for (int i = 0; i < 200; ++i) {
    std::string data(1000 + i, 'c');
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size());
    chunks += size_line + data + "\r\n";
    total += data.size();
  }
  std::thread sender([&] {
    send_all(fd, "PUT /count HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks +
                     "0\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
  });
  auto responses = read_responses(fd, 2);
  sender.join();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_NE(responses[0].find("count=" + std::to_string(total)), std::string::npos) << responses[0];
  EXPECT_NE(responses[1].find("GET /next"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, WritesLargeResponsesToASlowReader) {
  int fd = connect_client();
  send_all(fd, "GET /big HTTP/1.1\r\nHost: h\r\n\r\nGET /big HTTP/1.1\r\nHost: h\r\n\r\nGET /end HTTP/1.1\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the socket buffers fill
  auto responses = read_responses(fd, 3);
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].size() - responses[0].find("\r\n\r\n") - 4, size_t{4} << 20);
  EXPECT_EQ(responses[1].size() - responses[1].find("\r\n\r\n") - 4, size_t{4} << 20);
  EXPECT_NE(responses[2].find("GET /end"), std::string::npos);
  ::close(fd);
}

TEST_F(ServerFixture, ServesManyConcurrentKeepAliveClients) {
  constexpr int kClients = 200;
  constexpr int kRequests = 20;
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      int fd = connect_client();
      for (int r = 0; r < kRequests; ++r) {
        std::string id = std::to_string(c) + "-" + std::to_string(r);
        std::string body = "body-" + id;
        std::string request = "POST /c" + id + " HTTP/1.1\r\nHost: h\r\nX-Test: " + id +
                              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        if (::send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) break;
        std::string response = read_response(fd);
        if (response.find("POST /c" + id + "  [" + body + "] " + id) != std::string::npos) ++good;
      }
      ::close(fd);
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), kClients * kRequests);
}

TEST_F(ServerFixture, ClosesIdleConnections) {
  restart([](http::ServerOptions& options) { options.idle_timeout_seconds = 1; });
  int fd = connect_client();
  send_all(fd, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_NE(read_response(fd).find("GET /a"), std::string::npos);
  auto started = std::chrono::steady_clock::now();
  char buf[16];
  EXPECT_EQ(::recv(fd, buf, sizeof buf, 0), 0);  // closed by the server, within the 5 s receive timeout
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
  ::close(fd);
}

TEST_F(ServerFixture, RefusesConnectionsBeyondTheLimit) {
  restart([](http::ServerOptions& options) { options.max_connections = 1; });
  int first = connect_client();
  send_all(first, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_NE(read_response(first).find("GET /a"), std::string::npos);
  int second = connect_client();
  EXPECT_NE(read_response(second).find("HTTP/1.1 503"), std::string::npos);
  ::close(second);
  ::close(first);
}

// A child forked by another thread holds copies of the server's sockets until it execs (git,
// podman and the docker CLI are started that way). A connection the server closes meanwhile must
// leave epoll all the same: reported again, it was a freed connection counted closed once per
// wake-up, until the server believed 2^64 connections open and refused everyone with 503.
TEST_F(ServerFixture, AConnectionClosedWhileAChildHoldsItsSocketIsCountedOnce) {
  restart([](http::ServerOptions& options) { options.max_connections = 2; });
  int first = connect_client();
  send_all(first, "GET /a HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_NE(read_response(first).find("GET /a"), std::string::npos);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(first);  // only the server's socket stays shared, as with a child of the server's
    timespec pause{1, 500000000};
    ::nanosleep(&pause, nullptr);
    ::_exit(0);
  }
  ::close(first);  // the server reads the end and closes its socket; the child's copy stays open
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int second = connect_client();
  int third = connect_client();
  send_all(second, "GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  send_all(third, "GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_NE(read_response(second).find("GET /b"), std::string::npos);
  EXPECT_NE(read_response(third).find("GET /c"), std::string::npos);
  int fourth = connect_client();  // the limit still holds: two are open
  EXPECT_NE(read_response(fourth).find("HTTP/1.1 503"), std::string::npos);
  ::close(fourth);
  ::close(third);
  ::close(second);
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
}

}  // namespace
