#include "http/framing.h"

#include <cstdlib>

#include "common/strings.h"

namespace http {

RequestHeadParser::Step RequestHeadParser::reject(int status, std::string_view body) {
  reject_status_ = status;
  reject_body_ = body;
  return Step::Rejected;
}

RequestHeadParser::Step RequestHeadParser::request_line(std::string_view line) {
  if (line.empty()) return Step::More;
  started_ = true;
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return reject(400, "malformed request line\n");
  request_.method = line.substr(0, sp1);
  request_.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return reject(400, "unsupported HTTP version\n");
  keep_alive_ = http11_ = version == "HTTP/1.1";
  size_t qpos = request_.target.find('?');
  if (qpos == std::string::npos) {
    request_.path = request_.target;
  } else {
    request_.path = request_.target.substr(0, qpos);
    request_.query = request_.target.substr(qpos + 1);
  }
  // Absolute-form targets (proxies): keep only the path.
  if (request_.path.rfind("http://", 0) == 0 || request_.path.rfind("https://", 0) == 0) {
    size_t slash = request_.path.find('/', request_.path.find("//") + 2);
    request_.path = slash == std::string::npos ? "/" : request_.path.substr(slash);
  }
  header_bytes_ = line.size();
  return Step::More;
}

RequestHeadParser::Step RequestHeadParser::feed(std::string_view line) {
  if (!started_) return request_line(line);
  if (line.empty()) {
    if (bad_) return reject(400, "malformed request headers\n");
    if (chunked_) request_.content_length = -1;
    return Step::Done;
  }
  header_bytes_ += line.size();
  if (header_bytes_ > max_header_bytes_) return reject(431, "request headers too large\n");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    bad_ = true;
    return Step::More;
  }
  Header h{std::string(line.substr(0, colon)), std::string(common::trim(line.substr(colon + 1)))};
  if (common::iequals(h.name, "content-length")) {
    char* end = nullptr;
    long long n = std::strtoll(h.value.c_str(), &end, 10);
    if (end == h.value.c_str() || *end != '\0' || n < 0) bad_ = true;
    request_.content_length = n;
  } else if (common::iequals(h.name, "transfer-encoding")) {
    chunked_ = common::to_lower(h.value).find("chunked") != std::string::npos;
  } else if (common::iequals(h.name, "expect")) {
    expect_continue_ = common::iequals(h.value, "100-continue");
  } else if (common::iequals(h.name, "connection")) {
    std::string v = common::to_lower(h.value);
    if (v.find("close") != std::string::npos) keep_alive_ = false;
    if (v.find("keep-alive") != std::string::npos) keep_alive_ = true;
  }
  request_.headers.push_back(std::move(h));
  return Step::More;
}

std::string response_head(const Response& response, bool keep_alive, bool http11) {
  std::string head;
  head.reserve(256);
  head += "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  head += reason_phrase(response.status);
  head += "\r\n";
  for (const auto& h : response.headers) {
    head += h.name;
    head += ": ";
    head += h.value;
    head += "\r\n";
  }
  if (response.status != 204 && response.status != 304 && !(response.status >= 100 && response.status < 200)) {
    if (chunked_stream(response, http11)) {
      head += "Transfer-Encoding: chunked\r\n";
    } else if (!ends_with_close(response, http11)) {
      head += "Content-Length: ";
      head += std::to_string(body_length(response));
      head += "\r\n";
    }
  }
  // Said either way: an HTTP/1.0 client that asked for keep-alive waits for the word (ab -k).
  head += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  head += "\r\n";
  return head;
}

uint64_t body_length(const Response& response) {
  uint64_t length = response.body.size();
  for (const auto& segment : response.files) length += segment.length;
  if (response.stream && response.stream->size() > 0) length += static_cast<uint64_t>(response.stream->size());
  return length;
}

std::string simple_response(int status, std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) +
                    "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n";
  out += body;
  return out;
}

}  // namespace http
