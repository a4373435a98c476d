// Responses whose body continues with file segments (Response::files), sent with sendfile on
// both connection paths, read back over real sockets and checked byte by byte.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/framing.h"
#include "http/server.h"

namespace {

constexpr uint64_t kMiB = 1 << 20;

// Distinct non-zero bytes for each seed, so a piece sent from a wrong offset cannot match.
std::string pattern(size_t size, uint32_t seed) {
  std::string out(size, '\0');
  uint32_t x = seed * 2654435761u + 12345u;
  for (auto& c : out) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>((x >> 16) | 1);
  }
  return out;
}

// What a test file holds: zeros (a sparse file) with known bytes written at some offsets.
struct FileModel {
  uint64_t size = 0;
  std::vector<std::pair<uint64_t, std::string>> pieces;  // (offset, bytes)

  // Appends the file's bytes in [offset, offset + length) to `out`.
  void read(uint64_t offset, uint64_t length, std::string& out) const {
    size_t base = out.size();
    out.resize(base + length, '\0');
    for (const auto& [at, bytes] : pieces) {
      uint64_t begin = std::max(at, offset);
      uint64_t end = std::min(at + bytes.size(), offset + length);
      if (begin < end) std::memcpy(out.data() + base + (begin - offset), bytes.data() + (begin - at), end - begin);
    }
  }

  void write(const std::string& path) const {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0) << path;
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(size)), 0);
    for (const auto& [at, bytes] : pieces) {
      ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(at)), static_cast<ssize_t>(bytes.size()));
    }
    ::close(fd);
  }
};

size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

// How many of this process's descriptors refer to `path`.
int open_descriptors_of(const std::string& path) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code error;
    if (std::filesystem::read_symlink(entry.path(), error) == path) ++count;
  }
  return count;
}

// A client socket that reads responses piece by piece.
class Client {
 public:
  // `receive_buffer` > 0 sets SO_RCVBUF and a small MSS before connecting: the server's socket
  // then fills up and its send buffer stays small, so sendfile also sends partly and meets EAGAIN.
  explicit Client(uint16_t port, int receive_buffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (receive_buffer > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
      int segment = 1024;
      ::setsockopt(fd_, IPPROTO_TCP, TCP_MAXSEG, &segment, sizeof segment);
    }
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }
  ~Client() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(const std::string& data) {
    ASSERT_EQ(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL), static_cast<ssize_t>(data.size()));
  }

  // The next response head through its blank line; what arrived when the connection closed first.
  std::string read_head() {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return buffer_;
    }
    std::string head = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    return head;
  }

  // Reads up to `length` body bytes, handing each piece to `check` with its offset in the body;
  // returns how many arrived before the connection closed. While fewer than `slow_bytes` have
  // arrived, sleeps a millisecond after each read.
  uint64_t read_body(uint64_t length, const std::function<void(uint64_t, std::string_view)>& check,
                     uint64_t slow_bytes = 0) {
    uint64_t got = 0;
    while (got < length) {
      if (buffer_.empty()) {
        if (got < slow_bytes) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (!fill()) break;
      }
      size_t n = static_cast<size_t>(std::min<uint64_t>(buffer_.size(), length - got));
      check(got, std::string_view(buffer_.data(), n));
      buffer_.erase(0, n);
      got += n;
    }
    return got;
  }

  std::string read_body(uint64_t length) {
    std::string body;
    read_body(length, [&](uint64_t, std::string_view piece) { body.append(piece); });
    return body;
  }

  // True when the server closed the connection (end of stream or reset) without sending more.
  bool closed() { return buffer_.empty() && !fill(); }

 private:
  bool fill() {
    char chunk[65536];
    while (true) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EINTR) continue;
      EXPECT_FALSE(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) << "receive timed out";
      return false;
    }
  }

  int fd_;
  std::string buffer_;
};

uint64_t content_length(const std::string& head) {
  size_t at = head.find("Content-Length: ");
  return at == std::string::npos ? 0 : std::stoull(head.substr(at + 16));
}

class FileBodyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* tmp = std::getenv("TMPDIR");
    std::string dir_template = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/hakobu-http-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template.data()), nullptr);
    dir_ = new std::string(dir_template);
    models_ = new std::map<std::string, FileModel>();

    FileModel small_a;
    small_a.size = 10000;
    small_a.pieces.emplace_back(0, pattern(10000, 1));
    FileModel small_b;
    small_b.size = 7000;
    small_b.pieces.emplace_back(0, pattern(7000, 2));
    // 200 MiB, mostly a hole, with 4 KiB of distinct bytes at the start of every MiB and a few
    // odd places (around the segment's ends).
    FileModel large;
    large.size = 200 * kMiB;
    for (uint64_t mib = 0; mib < 200; ++mib) large.pieces.emplace_back(mib * kMiB, pattern(4096, 100 + mib));
    large.pieces.emplace_back(990, pattern(20, 7));
    large.pieces.emplace_back(77 * kMiB + 12345, pattern(70000, 8));
    large.pieces.emplace_back(large.size - 1010, pattern(1010, 9));
    (*models_)[path("a")] = small_a;
    (*models_)[path("b")] = small_b;
    (*models_)[path("large")] = large;
    for (const auto& [file, model] : *models_) model.write(file);
  }

  static void TearDownTestSuite() {
    for (const auto& [file, model] : *models_) ::unlink(file.c_str());
    ::rmdir(dir_->c_str());
    delete models_;
    delete dir_;
  }

  static std::string path(const std::string& name) { return *dir_ + "/" + name; }

  static http::Response response(std::string body, std::vector<http::FileSegment> files) {
    http::Response out;
    out.set_header("Content-Type", "application/octet-stream");
    out.body = std::move(body);
    out.files = std::move(files);
    return out;
  }

  void SetUp() override {
    routes_["/pieces"] = response("head:", {{path("a"), 1234, 5000}, {path("b"), 777, 3000}, {path("a"), 0, 10}});
    routes_["/large"] = response("<<", {{path("large"), 1000, 200 * kMiB - 2000}});
    routes_["/medium"] = response("", {{path("large"), 99 * kMiB - 7, 8 * kMiB}, {path("b"), 0, 7000}});
    routes_["/missing"] = response("partial-", {{path("a"), 0, 100}, {path("none"), 0, 100}});
    routes_["/short"] = response("", {{path("a"), 9000, 5000}});
    // A file the handler opened and that was removed before the response went out.
    {
      std::string gone = path("gone");
      FILE* f = std::fopen(gone.c_str(), "wb");
      ASSERT_NE(f, nullptr);
      std::string text;
      for (int i = 0; i < 100; ++i) text += static_cast<char>('0' + i % 10);
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
      auto opened = http::OpenFile::open(gone);
      ASSERT_NE(opened, nullptr);
      ::unlink(gone.c_str());
      routes_["/opened"] = response("", {{gone, 5, 50, opened}, {gone, 0, 3, opened}});
      EXPECT_EQ(http::OpenFile::open(gone), nullptr);
    }
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](http::Request& request, http::Response& response) {
      std::string ignored;
      request.read_body(ignored, 1 << 20);
      auto route = routes_.find(request.path);
      if (route == routes_.end()) {
        response.body = "echo " + request.path;
        return;
      }
      response = route->second;
    });
    std::string error;
    ASSERT_TRUE(server_->listen(error)) << error;
    thread_ = std::thread([this] { server_->run(); });
  }

  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  // The bytes of `route`'s body in [offset, offset + length), in `out` (reused, so that
  // checking a large body allocates nothing per piece).
  void expected(const std::string& route, uint64_t offset, uint64_t length, std::string& out) {
    const http::Response& response = routes_.at(route);
    out.clear();
    uint64_t at = 0;  // body offset where the current part starts
    auto take = [&](uint64_t part_length, const std::function<void(uint64_t, uint64_t)>& read) {
      uint64_t begin = std::max(at, offset);
      uint64_t end = std::min(at + part_length, offset + length);
      if (begin < end) read(begin - at, end - begin);
      at += part_length;
    };
    take(response.body.size(), [&](uint64_t from, uint64_t n) { out.append(response.body, from, n); });
    for (const auto& segment : response.files) {
      auto model = models_->find(segment.path);
      take(segment.length, [&](uint64_t from, uint64_t n) {
        if (model != models_->end()) model->second.read(segment.offset + from, n, out);
      });
    }
  }

  std::string expected(const std::string& route, uint64_t offset, uint64_t length) {
    std::string out;
    expected(route, offset, length, out);
    return out;
  }

  // Reads `route`'s body, checking every byte; returns the bytes that arrived.
  uint64_t read_checked(Client& client, const std::string& route, uint64_t length, uint64_t slow_bytes = 0,
                        size_t* peak_resident = nullptr) {
    uint64_t mismatches = 0;
    uint64_t next_sample = 0;
    std::string want;
    uint64_t got = client.read_body(
        length,
        [&](uint64_t offset, std::string_view piece) {
          expected(route, offset, piece.size(), want);
          if (piece != want && ++mismatches <= 3) {
            ADD_FAILURE() << route << ": wrong bytes in [" << offset << ", " << offset + piece.size() << ")";
          }
          if (peak_resident != nullptr && offset >= next_sample) {
            *peak_resident = std::max(*peak_resident, resident_bytes());
            next_sample = offset + 4 * kMiB;
          }
        },
        slow_bytes);
    EXPECT_EQ(mismatches, 0u);
    return got;
  }

  // A large file read by a client that lets the server's socket fill up, then reads slowly for
  // a while: sending must continue on EPOLLOUT (or in the blocking loop), never buffer the file.
  void check_large_file_to_slow_reader(const std::string& request) {
    size_t before = resident_bytes();
    size_t peak = before;
    Client client(server_->port(), 16 * 1024);
    client.send(request);
    std::string head = client.read_head();
    ASSERT_NE(head.find("HTTP/1.1 200 OK"), std::string::npos) << head;
    uint64_t length = 200 * kMiB - 2000 + 2;
    ASSERT_EQ(content_length(head), length) << head;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(read_checked(client, "/large", length, 4 * kMiB, &peak), length);
    // The server lives in this process: it must not have held the file in memory.
    EXPECT_LT(peak - before, 64 * kMiB) << "resident memory grew from " << before << " to " << peak;
    // The connection still serves the next request.
    client.send("GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
    head = client.read_head();
    EXPECT_EQ(client.read_body(content_length(head)), "echo /after");
  }

  static std::string* dir_;
  static std::map<std::string, FileModel>* models_;
  std::map<std::string, http::Response> routes_;  // read-only once the server runs
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

std::string* FileBodyTest::dir_ = nullptr;
std::map<std::string, FileModel>* FileBodyTest::models_ = nullptr;

TEST(ResponseHeadTest, ContentLengthCoversBodyAndFileSegments) {
  http::Response response;
  response.body = "abc";
  response.files = {{"/x", 5, 10}, {"/y", 0, 20}};
  EXPECT_EQ(http::body_length(response), 33u);
  EXPECT_NE(http::response_head(response, true).find("\r\nContent-Length: 33\r\n"), std::string::npos);
  response.head_only = true;
  EXPECT_NE(http::response_head(response, true).find("\r\nContent-Length: 33\r\n"), std::string::npos);
}

TEST_F(FileBodyTest, SendsTheBodyThenEachFileSegmentByteExactly) {
  Client client(server_->port());
  for (int round = 0; round < 2; ++round) {
    client.send("GET /pieces HTTP/1.1\r\nHost: h\r\n\r\n");
    std::string head = client.read_head();
    ASSERT_NE(head.find("HTTP/1.1 200 OK"), std::string::npos) << head;
    ASSERT_EQ(content_length(head), 5u + 5000 + 3000 + 10);
    std::string body = client.read_body(content_length(head));
    EXPECT_EQ(body, expected("/pieces", 0, body.size()));
    EXPECT_EQ(body.substr(0, 5), "head:");
  }
}

TEST_F(FileBodyTest, StreamsALargeFileToASlowReader) {
  check_large_file_to_slow_reader("GET /large HTTP/1.1\r\nHost: h\r\n\r\n");
}

TEST_F(FileBodyTest, StreamsALargeFileToASlowReaderOnTheBlockingPath) {
  // A chunked request body hands the connection to a blocking thread.
  check_large_file_to_slow_reader("GET /large HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}

TEST_F(FileBodyTest, HeadGivesTheFullContentLengthAndNoBody) {
  Client client(server_->port());
  client.send("HEAD /pieces HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string head = client.read_head();
  ASSERT_NE(head.find("HTTP/1.1 200 OK"), std::string::npos) << head;
  EXPECT_EQ(content_length(head), 5u + 5000 + 3000 + 10);
  // What follows is the next response, not body bytes.
  head = client.read_head();
  ASSERT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head.substr(0, 100);
  EXPECT_EQ(client.read_body(content_length(head)), "echo /next");
}

TEST_F(FileBodyTest, AMissingFileClosesTheConnectionAfterWhatWasSent) {
  for (const char* request : {"GET /missing HTTP/1.1\r\nHost: h\r\n\r\n",
                              "GET /missing HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"}) {
    Client client(server_->port());
    client.send(request);
    std::string head = client.read_head();
    ASSERT_NE(head.find("HTTP/1.1 200 OK"), std::string::npos) << head;
    ASSERT_EQ(content_length(head), 8u + 100 + 100);
    // The body and the first segment arrive, then the connection ends: short, never wrong.
    EXPECT_EQ(read_checked(client, "/missing", content_length(head)), 108u) << request;
    EXPECT_TRUE(client.closed());
  }
}

TEST_F(FileBodyTest, AFileOpenedByTheHandlerIsSentEvenAfterItWasRemoved) {
  Client client(server_->port());
  for (int round = 0; round < 2; ++round) {
    client.send("GET /opened HTTP/1.1\r\nHost: h\r\n\r\n");
    std::string head = client.read_head();
    ASSERT_NE(head.find("HTTP/1.1 200 OK"), std::string::npos) << head;
    ASSERT_EQ(content_length(head), 53u);
    EXPECT_EQ(client.read_body(53), "56789012345678901234567890123456789012345678901234012");
  }
}

TEST_F(FileBodyTest, AFileShorterThanItsSegmentClosesTheConnection) {
  Client client(server_->port());
  client.send("GET /short HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string head = client.read_head();
  ASSERT_EQ(content_length(head), 5000u) << head;
  EXPECT_EQ(read_checked(client, "/short", 5000), 1000u);
  EXPECT_TRUE(client.closed());
}

TEST_F(FileBodyTest, ServesAPipelinedRequestOnlyAfterTheFile) {
  for (const char* first : {"GET /medium HTTP/1.1\r\nHost: h\r\n\r\n",
                            "GET /medium HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"}) {
    Client client(server_->port(), 16 * 1024);
    client.send(std::string(first) + "GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the server's socket fill
    std::string head = client.read_head();
    ASSERT_NE(head.find("HTTP/1.1 200 OK"), std::string::npos) << head;
    ASSERT_EQ(content_length(head), 8 * kMiB + 7000);
    EXPECT_EQ(read_checked(client, "/medium", content_length(head), kMiB), 8 * kMiB + 7000);
    head = client.read_head();
    ASSERT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head.substr(0, 100);
    EXPECT_EQ(client.read_body(content_length(head)), "echo /second");
  }
}

TEST_F(FileBodyTest, AClientLeavingMidFileClosesTheFileAndTheServerCarriesOn) {
  // sendfile to a socket the client has reset raises SIGPIPE (this binary does not ignore it).
  for (const char* request : {"GET /large HTTP/1.1\r\nHost: h\r\n\r\n",
                              "GET /large HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"}) {
    {
      Client client(server_->port(), 16 * 1024);
      client.send(request);
      std::string head = client.read_head();
      ASSERT_EQ(content_length(head), 200 * kMiB - 2000 + 2) << head;
      EXPECT_EQ(read_checked(client, "/large", kMiB), kMiB);
      EXPECT_EQ(open_descriptors_of(path("large")), 1);
    }  // closes with unread bytes: a reset
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (open_descriptors_of(path("large")) > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(open_descriptors_of(path("large")), 0) << request;
    Client next(server_->port());
    next.send("GET /pieces HTTP/1.1\r\nHost: h\r\n\r\n");
    std::string head = next.read_head();
    EXPECT_EQ(next.read_body(content_length(head)), expected("/pieces", 0, 5u + 5000 + 3000 + 10));
  }
}

}  // namespace
