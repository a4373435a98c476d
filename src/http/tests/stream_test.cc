// Streamed response bodies (Response::stream): chunked framing while the body is produced,
// Content-Length for a sized stream, HTTP/1.0, back-pressure, a client that leaves, HEAD, and
// event loops that keep serving while a stream waits for its producer.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "http/server.h"

namespace {

using namespace std::chrono_literals;

// What the tests observe of a stream, shared with the handler's streams.
struct Probe {
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false;   // lets a "gated" stream produce its second part
  int finished = 0;       // finish() calls
  bool complete = false;  // the last finish()'s argument
  std::atomic<uint64_t> produced{0};

  void open_gate() {
    std::lock_guard lock(mutex);
    release = true;
    changed.notify_all();
  }
  // Waits until finish() was called `count` times; false after 5 s.
  bool wait_finished(int count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 5s, [&] { return finished >= count; });
  }
};

// "hello", then (after the gate opens) "world"; or `total` bytes of 'x' in 64 KiB reads.
class TestStream final : public http::BodyStream {
 public:
  TestStream(Probe& probe, bool gated, uint64_t total, int64_t declared)
      : probe_(probe), gated_(gated), total_(total), declared_(declared) {}

  long read(char* buffer, size_t size) override {
    if (gated_) {
      if (step_ == 0) {
        ++step_;
        std::memcpy(buffer, "hello", 5);
        return 5;
      }
      if (step_ == 1) {
        std::unique_lock lock(probe_.mutex);
        if (!probe_.changed.wait_for(lock, 10s, [&] { return probe_.release; })) return -1;
        ++step_;
        std::memcpy(buffer, "world", 5);
        return 5;
      }
      return 0;
    }
    uint64_t left = total_ - probe_.produced.load();
    size_t n = static_cast<size_t>(std::min<uint64_t>({size, left, 65536}));
    std::memset(buffer, 'x', n);
    probe_.produced += n;
    return static_cast<long>(n);
  }
  int64_t size() const override { return declared_; }
  void finish(bool complete) override {
    std::lock_guard lock(probe_.mutex);
    ++probe_.finished;
    probe_.complete = complete;
    probe_.changed.notify_all();
  }

 private:
  Probe& probe_;
  bool gated_;
  uint64_t total_;
  int64_t declared_;
  int step_ = 0;
};

class StreamFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](http::Request& rq, http::Response& rs) {
      if (rq.path == "/plain") {
        rs.body = "plain";
        return;
      }
      std::string body;
      rq.read_body(body, 1 << 20);
      rs.set_header("Content-Type", "text/plain");
      rs.body = body;  // sent before the stream
      if (rq.path == "/gated") {
        rs.stream = std::make_shared<TestStream>(probe_, true, 0, -1);
      } else if (rq.path == "/sized") {
        rs.stream = std::make_shared<TestStream>(probe_, false, 100000, 100000);
      } else if (rq.path == "/short") {
        rs.stream = std::make_shared<TestStream>(probe_, false, 1000, 2000);  // ends before its size
      } else if (rq.path == "/huge") {
        rs.stream = std::make_shared<TestStream>(probe_, false, uint64_t{1} << 40, -1);
      } else {
        rs.stream = std::make_shared<TestStream>(probe_, false, 300000, -1);
      }
    });
    std::string error;
    ASSERT_TRUE(server_->listen(error)) << error;
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    probe_.open_gate();
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

  static void send_all(int fd, const std::string& data) {
    ASSERT_EQ(::send(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  }

  // Reads until `data` holds `needle` (or the connection ends / times out).
  static bool read_until(int fd, std::string& data, std::string_view needle) {
    char buf[65536];
    while (data.find(needle) == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      data.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  // Reads everything until the peer closes.
  static std::string read_to_close(int fd) {
    std::string data;
    char buf[65536];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) data.append(buf, static_cast<size_t>(n));
    return data;
  }

  // Decodes a chunked body that starts at `data[pos]`; sets `pos` past it. False when malformed
  // or incomplete.
  static bool dechunk(const std::string& data, size_t& pos, std::string& out) {
    while (true) {
      size_t eol = data.find("\r\n", pos);
      if (eol == std::string::npos) return false;
      size_t size = std::stoul(data.substr(pos, eol - pos), nullptr, 16);
      pos = eol + 2;
      if (size == 0) {
        if (data.compare(pos, 2, "\r\n") != 0) return false;
        pos += 2;
        return true;
      }
      if (data.size() < pos + size + 2 || data.compare(pos + size, 2, "\r\n") != 0) return false;
      out.append(data, pos, size);
      pos += size + 2;
    }
  }

  Probe probe_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_F(StreamFixture, ChunksGoOutAsTheyAreProducedAndTheConnectionStaysUsable) {
  int fd = connect_client();
  send_all(fd, "GET /gated HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string data;
  // "hello" arrives while the producer still waits for the gate: nothing was held back.
  ASSERT_TRUE(read_until(fd, data, "5\r\nhello\r\n")) << data;
  EXPECT_NE(data.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << data;
  EXPECT_EQ(data.find("Content-Length"), std::string::npos) << data;
  EXPECT_EQ(data.find("world"), std::string::npos);
  probe_.open_gate();
  ASSERT_TRUE(read_until(fd, data, "0\r\n\r\n")) << data;
  size_t pos = data.find("\r\n\r\n") + 4;
  std::string body;
  ASSERT_TRUE(dechunk(data, pos, body)) << data;
  EXPECT_EQ(body, "helloworld");
  ASSERT_TRUE(probe_.wait_finished(1));
  EXPECT_TRUE(probe_.complete);
  // The same connection (now on its own thread) serves the next request.
  send_all(fd, "GET /plain HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string next;
  ASSERT_TRUE(read_until(fd, next, "plain"));
  EXPECT_EQ(next.rfind("HTTP/1.1 200 OK", 0), 0u) << next;
  ::close(fd);
}

TEST_F(StreamFixture, BodyGoesFirstAndAStreamedRequestBodyWorksToo) {
  int fd = connect_client();
  // A chunked request body: served on the blocking path from the start.
  send_all(fd, "POST /stream HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nhead\r\n0\r\n\r\n");
  std::string data;
  ASSERT_TRUE(read_until(fd, data, "\r\n0\r\n\r\n"));
  size_t pos = data.find("\r\n\r\n") + 4;
  std::string body;
  ASSERT_TRUE(dechunk(data, pos, body));
  EXPECT_EQ(body, "head" + std::string(300000, 'x'));
  ASSERT_TRUE(probe_.wait_finished(1));
  EXPECT_TRUE(probe_.complete);
  ::close(fd);
}

TEST_F(StreamFixture, ASizedStreamHasContentLength) {
  int fd = connect_client();
  send_all(fd, "GET /sized HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string data;
  ASSERT_TRUE(read_until(fd, data, "\r\n\r\n"));
  size_t end = data.find("\r\n\r\n") + 4;
  EXPECT_NE(data.find("Content-Length: 100000\r\n"), std::string::npos) << data;
  EXPECT_EQ(data.find("chunked"), std::string::npos);
  char buf[65536];
  while (data.size() < end + 100000) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    ASSERT_GT(n, 0);
    data.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(data.substr(end), std::string(100000, 'x'));
  ASSERT_TRUE(probe_.wait_finished(1));
  EXPECT_TRUE(probe_.complete);
  ::close(fd);
}

TEST_F(StreamFixture, AStreamShorterThanItsSizeClosesTheConnection) {
  int fd = connect_client();
  send_all(fd, "GET /short HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string data = read_to_close(fd);
  EXPECT_NE(data.find("Content-Length: 2000\r\n"), std::string::npos) << data;
  EXPECT_EQ(data.size() - (data.find("\r\n\r\n") + 4), 1000u);
  ASSERT_TRUE(probe_.wait_finished(1));
  EXPECT_FALSE(probe_.complete);
  ::close(fd);
}

TEST_F(StreamFixture, Http10GetsTheBodyUnframedAndThenTheClose) {
  int fd = connect_client();
  send_all(fd, "GET /stream HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
  std::string data = read_to_close(fd);
  size_t end = data.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  std::string head = data.substr(0, end);
  EXPECT_EQ(head.find("chunked"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_NE(head.find("Connection: close"), std::string::npos) << head;
  EXPECT_EQ(data.substr(end + 4), std::string(300000, 'x'));
  ASSERT_TRUE(probe_.wait_finished(1));
  EXPECT_TRUE(probe_.complete);
  ::close(fd);
}

TEST_F(StreamFixture, HeadSendsTheHeadAloneAndFinishesTheStreamIncomplete) {
  int fd = connect_client();
  send_all(fd, "HEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string data;
  ASSERT_TRUE(read_until(fd, data, "\r\n\r\n"));
  EXPECT_NE(data.find("Transfer-Encoding: chunked"), std::string::npos);
  ASSERT_TRUE(probe_.wait_finished(1));
  EXPECT_FALSE(probe_.complete);
  EXPECT_EQ(probe_.produced.load(), 0u);
  send_all(fd, "GET /plain HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string next;
  EXPECT_TRUE(read_until(fd, next, "plain")) << next;
  ::close(fd);
}

// A client that stops reading holds the producer back: the server reads no more than the socket
// buffers take, and a client that leaves ends the stream as incomplete.
TEST_F(StreamFixture, BackPressureAndAClientThatLeaves) {
  int fd = connect_client();
  int small = 64 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  send_all(fd, "GET /huge HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string data;
  ASSERT_TRUE(read_until(fd, data, "\r\n\r\n"));
  // Let the pipeline fill up, then check that it stopped.
  uint64_t before;
  for (int i = 0; i < 50; ++i) {
    before = probe_.produced.load();
    std::this_thread::sleep_for(50ms);
    if (probe_.produced.load() == before) break;
  }
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(probe_.produced.load(), before);
  EXPECT_LT(before, uint64_t{64} << 20) << "the producer ran ahead of the client";
  ::close(fd);
  ASSERT_TRUE(probe_.wait_finished(1));
  EXPECT_FALSE(probe_.complete);
  // The server is fine.
  int other = connect_client();
  send_all(other, "GET /plain HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string next;
  EXPECT_TRUE(read_until(other, next, "plain"));
  ::close(other);
}

// A stream waiting for its producer occupies a thread of its own, not an event loop: every loop
// still answers (connections are dealt round-robin, so a handful reach each loop).
TEST_F(StreamFixture, EventLoopsKeepServingWhileAStreamWaits) {
  int fd = connect_client();
  send_all(fd, "GET /gated HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string data;
  ASSERT_TRUE(read_until(fd, data, "hello"));
  for (int i = 0; i < 16; ++i) {
    int other = connect_client();
    send_all(other, "GET /plain HTTP/1.1\r\nHost: h\r\n\r\n");
    std::string next;
    EXPECT_TRUE(read_until(other, next, "plain")) << i;
    ::close(other);
  }
  probe_.open_gate();
  ASSERT_TRUE(read_until(fd, data, "0\r\n\r\n"));
  ::close(fd);
}

TEST_F(StreamFixture, StoppingTheServerFinishesAWaitingStream) {
  int fd = connect_client();
  send_all(fd, "GET /huge HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string data;
  ASSERT_TRUE(read_until(fd, data, "\r\n\r\n"));
  server_->stop();
  thread_.join();
  EXPECT_EQ(probe_.finished, 1);
  EXPECT_FALSE(probe_.complete);
  ::close(fd);
  thread_ = std::thread([] {});  // for TearDown
}

}  // namespace
