// Sends a streamed response (Response::stream) on a blocking socket: the head, `body`, then what
// the stream produces, each read sent as one chunk (a single sendmsg of size line, bytes and
// CRLF) as soon as it is read, so the client receives the body while it is being made. Only one
// buffer of the body is in memory at a time, and a socket that does not take more stops the
// reading (back-pressure). Used by the blocking path, for its own requests and for a connection
// an event loop handed over because its response streams (blocking_connection.h).
#pragma once

#include <memory>
#include <string>

#include "http/request.h"

namespace http {

// Everything needed to send a streamed response after its Request is gone.
struct StreamedResponse {
  std::string head;  // status line and headers (response_head), "100 Continue" first when due
  std::string body;  // Response::body, sent before the stream
  std::shared_ptr<BodyStream> stream;
  bool chunked = true;      // chunked framing (else Content-Length, or the end of the connection)
  bool head_only = false;   // HEAD: the head alone
  bool keep_alive = false;  // the connection may carry another request afterwards
};

// Builds the StreamedResponse for `response` (which must have a stream) to a request with the
// given properties. Forces keep_alive off when only closing can end the body.
StreamedResponse streamed_response(Response& response, bool keep_alive, bool http11, bool head_only,
                                   bool continue_first);

// Sends it on `fd` (blocking; SIGPIPE cannot end the process) and calls the stream's finish()
// with the outcome. Returns true when the whole response went out and the connection may carry
// another request.
bool send_streamed(int fd, StreamedResponse& response);

}  // namespace http
