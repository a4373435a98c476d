// git http-backend's answer as a streamed response body (http::BodyStream): its stdout goes to
// the client as the program writes it (a clone's pack is never held whole, nor copied to a
// file). The program is ended (killed when its answer was not read to the end) when its output
// ends or the response stops early; then the front's completion records what a push changed.
// When the response is done, sent whole or not, the access-log line is written with the outcome.
#pragma once

#include <functional>
#include <memory>

#include "git/cgi.h"
#include "http/request.h"

namespace codecommit::gitfront {

class BackendStream final : public http::BodyStream {
 public:
  // Runs once the program has ended (see the class comment for when).
  using Ended = std::function<void(git::CgiProcess& process)>;
  // Runs in finish(): whether the client got the whole body.
  using Sent = std::function<void(bool complete, const git::CgiProcess& process)>;

  BackendStream(std::unique_ptr<git::CgiProcess> process, Ended ended, Sent sent)
      : process_(std::move(process)), ended_(std::move(ended)), sent_(std::move(sent)) {}
  // A stream the server never finished (it could not send it) ends as incomplete.
  ~BackendStream() override { finish(false); }
  BackendStream(const BackendStream&) = delete;
  BackendStream& operator=(const BackendStream&) = delete;

  // At the end of the program's output, the program is ended and `ended` runs before the server
  // sends the last chunk: a push's ref changes are recorded before git sees its request complete.
  long read(char* buffer, size_t size) override {
    long n = process_->read(buffer, size);
    if (n == 0) end(false);
    return n;
  }

  void finish(bool complete) override {
    if (finished_) return;
    finished_ = true;
    end(!complete);
    if (sent_) sent_(complete, *process_);
  }

 private:
  void end(bool abandon) {
    if (has_ended_) return;
    has_ended_ = true;
    process_->finish(abandon);
    if (ended_) ended_(*process_);
  }

  std::unique_ptr<git::CgiProcess> process_;
  Ended ended_;
  Sent sent_;
  bool has_ended_ = false;
  bool finished_ = false;
};

}  // namespace codecommit::gitfront
