#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "http/server.h"

namespace {

// Echoes method, path, query and body; reads the body only when asked to.
class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [](http::Request& rq, http::Response& rs) {
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
  void TearDown() override {
    server_->stop();
    thread_.join();
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

  static void send_all(int fd, const std::string& data) { ASSERT_EQ(::send(fd, data.data(), data.size(), 0), (ssize_t)data.size()); }

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

}  // namespace
