// The CGI runner (git/cgi.h) with small shell scripts for programs: header parsing, the body
// streamed in and read out as the program writes it, and the limits that kill a hung program.
#include "git/cgi.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "common/temp_dir.h"

namespace git {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

TEST(CgiHeaders, ParsesStatusAndHeaders) {
  auto head = parse_cgi_headers("Status: 404 Not Found\r\nContent-Type: text/plain\r\nExpires: x\r\n\r\nbody");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 404);
  ASSERT_EQ(head->headers.size(), 2u);
  EXPECT_EQ(head->headers[0].first, "Content-Type");
  EXPECT_EQ(head->headers[0].second, "text/plain");
  EXPECT_EQ(head->length,
            std::string("Status: 404 Not Found\r\nContent-Type: text/plain\r\nExpires: x\r\n\r\n").size());
}

TEST(CgiHeaders, DefaultsTo200AndAcceptsBareNewlines) {
  auto head = parse_cgi_headers("Content-Type: application/x-git-upload-pack-advertisement\n\n001e");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->length, std::string("Content-Type: application/x-git-upload-pack-advertisement\n\n").size());
}

TEST(CgiHeaders, IncompleteAndMalformed) {
  EXPECT_FALSE(parse_cgi_headers("Content-Type: text/plain\r\n"));
  auto bad = parse_cgi_headers("not a header\r\n\r\n");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 502);
  auto bad_status = parse_cgi_headers("Status: abc\r\n\r\n");
  ASSERT_TRUE(bad_status);
  EXPECT_EQ(bad_status->status, 502);
}

class CgiRun : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(temp_.ok());
    dir_ = temp_.path();
  }

  // A CGI program: a shell script with `body` as its text.
  std::string script(const std::string& body) {
    std::string path = dir_ + "/cgi" + std::to_string(++scripts_) + ".sh";
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0755);
    return path;
  }

  CgiRequest request(const std::string& body) {
    CgiRequest r;
    r.program = script(body);
    r.env = {{"PATH", "/usr/bin:/bin"}};
    return r;
  }

  static double seconds_since(SteadyClock::time_point start) {
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
  }

  common::TempDir temp_{"cgi-test"};
  std::string dir_;
  int scripts_ = 0;
};

TEST_F(CgiRun, StreamsTheBodyInAndCollectsTheAnswer) {
  CgiRequest r = request("printf 'Status: 201 Created\\r\\nX-Who: %s\\r\\n\\r\\n' \"$WHO\"\ncat\n");
  r.env["WHO"] = "tester";
  r.body_prefix = "hello ";
  int calls = 0;
  r.body = [&calls](char* buffer, size_t size) -> long {
    if (calls++ > 0) return 0;
    std::string part = "world";
    size_t n = std::min(size, part.size());
    part.copy(buffer, n);
    return static_cast<long>(n);
  };
  auto result = run_cgi(r);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->exit_code, 0);
  ASSERT_TRUE(result->headers_ok);
  EXPECT_EQ(result->head.status, 201);
  ASSERT_EQ(result->head.headers.size(), 1u);
  EXPECT_EQ(result->head.headers[0].second, "tester");
  EXPECT_EQ(result->body, "hello world");
  EXPECT_FALSE(result->timed_out);
}

TEST_F(CgiRun, OutputBeforeTheInputIsInDoesNotDeadlock) {
  // 3 MiB of output while a 3 MiB input is still being written: both pipes must keep moving.
  CgiRequest r = request("printf 'Content-Type: x\\r\\n\\r\\n'\nhead -c 3145728 /dev/zero\ncat\n");
  size_t sent = 0;
  r.body = [&sent](char* buffer, size_t size) -> long {
    size_t n = std::min(size, static_cast<size_t>(3 * 1024 * 1024) - sent);
    std::fill(buffer, buffer + n, 'a');
    sent += n;
    return static_cast<long>(n);
  };
  auto result = run_cgi(r);
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(result->headers_ok);
  ASSERT_EQ(result->body.size(), 6u * 1024 * 1024);
  EXPECT_EQ(result->body.front(), '\0');
  EXPECT_EQ(result->body.back(), 'a');
}

// The body is read as the program writes it: the first part arrives while the program still
// waits (here for the test to answer through a FIFO), so nothing is buffered up to its end.
TEST_F(CgiRun, BodyIsReadWhileTheProgramRuns) {
  std::string fifo = dir_ + "/go";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  CgiRequest r = request("printf 'Content-Type: x\\r\\n\\r\\nfirst'\nread line < " + fifo + "\nprintf second\n");
  auto started = CgiProcess::start(r);
  ASSERT_TRUE(started.ok());
  CgiProcess& process = **started;
  ASSERT_TRUE(process.headers_ok());
  std::string got;
  char buffer[256];
  while (got.size() < 5) {
    long n = process.read(buffer, sizeof buffer);
    ASSERT_GT(n, 0);
    got.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_EQ(got, "first");
  std::ofstream(fifo) << "go\n";
  long n;
  while ((n = process.read(buffer, sizeof buffer)) > 0) got.append(buffer, static_cast<size_t>(n));
  EXPECT_EQ(n, 0);
  EXPECT_EQ(got, "firstsecond");
  EXPECT_EQ(process.finish(), 0);
}

TEST_F(CgiRun, MissingHeaderBlockIsReported) {
  auto result = run_cgi(request("echo oops >&2\nexit 3\n"));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->headers_ok);
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_EQ(result->err, "oops\n");
}

TEST_F(CgiRun, ProgramThatCannotStartFails) {
  CgiRequest r;
  r.program = dir_ + "/missing";
  EXPECT_FALSE(run_cgi(r).ok());
}

TEST_F(CgiRun, ASilentProgramIsKilledBeforeItsHeaders) {
  CgiRequest r = request("exec sleep 30\n");
  r.inactivity_timeout = 200ms;
  auto start = SteadyClock::now();
  auto result = run_cgi(r);
  ASSERT_TRUE(result.ok());
  EXPECT_LT(seconds_since(start), 10.0);
  EXPECT_FALSE(result->headers_ok);
  EXPECT_TRUE(result->timed_out);
  EXPECT_EQ(result->exit_code, -1);  // SIGKILL
}

TEST_F(CgiRun, AProgramSilentAfterItsHeadersIsKilledAndTheReadFails) {
  CgiRequest r = request("printf 'Content-Type: x\\r\\n\\r\\npartial'\nexec sleep 30\n");
  r.inactivity_timeout = 200ms;
  auto started = CgiProcess::start(r);
  ASSERT_TRUE(started.ok());
  CgiProcess& process = **started;
  ASSERT_TRUE(process.headers_ok());
  char buffer[64];
  long n = process.read(buffer, sizeof buffer);
  ASSERT_EQ(n, 7);
  EXPECT_EQ(std::string(buffer, 7), "partial");
  auto start = SteadyClock::now();
  EXPECT_EQ(process.read(buffer, sizeof buffer), -1);
  double waited = seconds_since(start);
  EXPECT_GE(waited, 0.19);
  EXPECT_LT(waited, 10.0);
  EXPECT_TRUE(process.timed_out());
  EXPECT_EQ(process.finish(), -1);
}

// The inactivity clock runs only while the program is waited for: a caller that took long to
// send the last bytes on does not make the program look silent.
TEST_F(CgiRun, TimeSpentByTheCallerIsNotSilence) {
  CgiRequest r = request("printf 'Content-Type: x\\r\\n\\r\\none'\nsleep 0.1\nprintf two\n");
  r.inactivity_timeout = 1000ms;
  auto started = CgiProcess::start(r);
  ASSERT_TRUE(started.ok());
  CgiProcess& process = **started;
  char buffer[64];
  ASSERT_EQ(process.read(buffer, sizeof buffer), 3);
  std::this_thread::sleep_for(1500ms);  // the client is slow
  std::string rest;
  long n;
  while ((n = process.read(buffer, sizeof buffer)) > 0) rest.append(buffer, static_cast<size_t>(n));
  EXPECT_EQ(n, 0);
  EXPECT_EQ(rest, "two");
  EXPECT_FALSE(process.timed_out());
  EXPECT_EQ(process.finish(), 0);
}

TEST_F(CgiRun, ATotalLimitStopsAProgramThatNeverEnds) {
  CgiRequest r = request("printf 'Content-Type: x\\r\\n\\r\\n'\nexec yes\n");
  r.timeout = 300ms;
  auto start = SteadyClock::now();
  auto result = run_cgi(r);
  ASSERT_TRUE(result.ok());
  EXPECT_GE(seconds_since(start), 0.29);
  EXPECT_LT(seconds_since(start), 10.0);
  EXPECT_TRUE(result->headers_ok);
  EXPECT_TRUE(result->timed_out);
  EXPECT_GT(result->body.size(), 0u);
}

TEST_F(CgiRun, AnAbandonedAnswerKillsTheProgram) {
  CgiRequest r = request("printf 'Content-Type: x\\r\\n\\r\\n'\nexec sleep 30\n");
  auto started = CgiProcess::start(r);
  ASSERT_TRUE(started.ok());
  auto start = SteadyClock::now();
  EXPECT_EQ((*started)->finish(true), -1);
  EXPECT_LT(seconds_since(start), 10.0);
  EXPECT_FALSE((*started)->timed_out());
}

TEST_F(CgiRun, ABrokenRequestBodyIsReported) {
  CgiRequest r = request("cat >/dev/null\nprintf 'Content-Type: x\\r\\n\\r\\ndone'\n");
  r.body = [](char*, size_t) -> long { return -1; };
  auto result = run_cgi(r);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->input_broken);
  EXPECT_EQ(result->body, "done");
}

}  // namespace
}  // namespace git
