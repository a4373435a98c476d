// Running a CGI program (git http-backend) with a streamed request body and a response body that
// is read as the program writes it (a clone's pack can be far larger than memory), with limits on
// how long the program may run and stay silent. git::run buffers everything, so CGI has its own
// runner.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace git {

// Reads up to `size` request-body bytes: >0 bytes read, 0 at the end, -1 on a broken body.
using BodySource = std::function<long(char* buffer, size_t size)>;

struct CgiRequest {
  std::string program;                     // absolute path of the CGI executable
  std::map<std::string, std::string> env;  // the whole environment (CGI variables, PATH, ...)
  std::string body_prefix;                 // bytes already read from the body, sent first
  BodySource body;                         // the rest of the body; empty = none
  // The program is killed (SIGKILL to its pid; its own children then meet EOF or SIGPIPE on our
  // closed pipes) when it runs longer than `timeout`, or moves no byte through its stdin, stdout
  // or stderr for `inactivity_timeout`. Zero: no limit. Time spent waiting for the request body
  // or for the client to take the response is not the program's silence.
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds inactivity_timeout{0};
  // Body bytes held in memory while the request body is still going in (a program that answers
  // before it has read its input). Past this, its stdout is not read until the input is in.
  size_t max_early_output = 16 * 1024 * 1024;
  // Capacity asked for the stdin and stdout pipes (0: the system's 64 KiB): how far the program
  // may write ahead of a client that reads in bursts, or read behind one that sends in bursts.
  size_t pipe_size = 0;
};

struct CgiHeaders {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // without Status:
  size_t length = 0;                                         // bytes of the header block incl. the blank line
};

// Parses a CGI response header block at the start of `data` ("Name: value" lines ended by a
// blank line; CRLF or LF). nullopt while incomplete; a malformed block yields status 502.
std::optional<CgiHeaders> parse_cgi_headers(std::string_view data);

// A running CGI program whose response body is read as it arrives. Not thread-safe: one thread
// at a time (start() on a handler's thread, read() later on the thread sending the body is fine).
class CgiProcess {
 public:
  // Starts the program (posix_spawn, no shell) and runs it until its header block is complete
  // and the whole request body is in its stdin, or it closes its stdout, or a limit kills it.
  // Fails only when it cannot be started.
  static common::Result<std::unique_ptr<CgiProcess>> start(const CgiRequest& request);
  // Kills the program unless it ended, and reaps it.
  ~CgiProcess();
  CgiProcess(const CgiProcess&) = delete;
  CgiProcess& operator=(const CgiProcess&) = delete;

  // The program printed a complete, well-formed header block.
  bool headers_ok() const { return headers_ok_; }
  const CgiHeaders& head() const { return head_; }
  // The request body could not be read to its end (the client's connection broke).
  bool input_broken() const { return input_broken_; }
  // A limit killed the program.
  bool timed_out() const { return timed_out_; }

  // Reads the next response-body bytes (those that arrived with the headers first), waiting for
  // the program: >0 bytes, 0 at the end of its stdout, -1 when a limit killed it or the pipe
  // failed.
  long read(char* buffer, size_t size);
  // Reads the body up to `limit` bytes into `out`. True when that was all of it (the end came).
  // False when more is left (readable with read()) or it failed (see timed_out()).
  bool read_small(std::string& out, size_t limit);

  // Ends the program: when its body was not read to the end (`abandon`, or read() never returned
  // 0) it is killed; otherwise its stderr is read to the end (within the limits) and it is
  // waited for. Returns its exit code (-1 when a signal ended it). Later calls return the same.
  int finish(bool abandon = false);
  // Its stderr (the first 64 KiB), complete after finish().
  const std::string& err() const { return err_text_; }

 private:
  CgiProcess(const CgiRequest& request, pid_t pid, int in, int out, int err);
  enum class Wait { Ready, TimedOut, Failed };
  // Runs the program until the headers and the input are done (start()).
  void run_until_headers();
  // Polls once: stdin when it has bytes to take, stdout when `want_output`, stderr; moves what
  // it can of stdin and stderr; stdout's readiness (out_ready_) is left to the caller.
  Wait poll_once(bool want_output);
  // Reads available stdout into the header block or early_ (start()).
  void take_output();
  void take_err();
  void write_input();
  void refill_input();
  int poll_timeout_ms() const;
  bool over_limit() const;
  void kill_now();
  void close_fd(int& fd);

  BodySource source_;
  size_t max_early_output_;
  pid_t pid_;
  int in_, out_, err_;
  std::chrono::steady_clock::time_point deadline_;  // time_point::max() without a limit
  std::chrono::milliseconds inactivity_;
  std::chrono::steady_clock::time_point last_activity_;

  std::string input_;  // request-body bytes not yet in stdin
  size_t input_pos_ = 0;
  bool input_eof_ = false;
  bool input_broken_ = false;

  std::string header_block_;
  bool headers_done_ = false;
  bool headers_ok_ = false;
  CgiHeaders head_;
  std::string early_;  // body bytes read before the caller asked
  size_t early_pos_ = 0;
  bool output_ended_ = false;  // stdout reached its end
  bool read_failed_ = false;   // stdout could not be read
  bool out_ready_ = false;     // the last poll_once() found stdout readable

  std::string err_text_;
  bool timed_out_ = false;
  bool killed_ = false;
  bool finished_ = false;
  int exit_code_ = -1;
};

struct CgiResult {
  int exit_code = -1;  // -1 when killed by a signal
  CgiHeaders head;
  bool headers_ok = false;  // the program printed a complete, well-formed header block
  std::string body;
  std::string err;            // stderr (first 64 KiB)
  bool input_broken = false;  // the request body could not be read to its end
  bool timed_out = false;     // a limit killed the program
};

// Runs the program to its end with the whole body collected in memory (small answers, tests).
// Fails only when it cannot be started.
common::Result<CgiResult> run_cgi(const CgiRequest& request);

}  // namespace git
