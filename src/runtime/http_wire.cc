#include "runtime/http_wire.h"

#include <cctype>
#include <cstdlib>

#include "common/strings.h"

namespace runtime {
namespace {

constexpr size_t kMaxLine = 64 * 1024;

common::Error malformed(std::string what) {
  return common::make_error(common::ErrorKind::Unavailable, "engine sent a malformed response: " + std::move(what));
}

bool keep_raw(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' ||
         c == ':' || c == '@';
}

}  // namespace

Target& Target::query(std::string_view key, std::string_view value) {
  text_ += has_query_ ? '&' : '?';
  has_query_ = true;
  text_ += common::uri_encode(key);
  text_ += '=';
  text_ += common::uri_encode(value);
  return *this;
}

std::string escape_path(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (keep_raw(c)) {
      out += c;
      continue;
    }
    auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

std::string request_head(const HttpRequest& request, int64_t content_length) {
  std::string head = request.method + " " + request.target + " HTTP/1.1\r\nHost: docker\r\n";
  for (const auto& h : request.headers) head += h.name + ": " + h.value + "\r\n";
  if (content_length >= 0) head += "Content-Length: " + std::to_string(content_length) + "\r\n";
  head += "Connection: close\r\n\r\n";
  return head;
}

const std::string* ResponseHead::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (common::iequals(h.name, name)) return &h.value;
  }
  return nullptr;
}

std::optional<size_t> find_head_end(std::string_view data) {
  size_t end = data.find("\r\n\r\n");
  if (end != std::string_view::npos) return end + 4;
  return std::nullopt;
}

common::Result<ResponseHead> parse_response_head(std::string_view head) {
  ResponseHead out;
  size_t eol = head.find("\r\n");
  if (eol == std::string_view::npos) return common::fail(malformed("no status line"));
  std::string_view status_line = head.substr(0, eol);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12 || status_line[8] != ' ') {
    return common::fail(malformed("status line '" + std::string(status_line.substr(0, 80)) + "'"));
  }
  std::string_view code = status_line.substr(9, 3);
  for (char c : code) {
    if (c < '0' || c > '9') return common::fail(malformed("status code"));
  }
  out.status = std::atoi(std::string(code).c_str());
  if (status_line.size() > 13) out.reason = status_line.substr(13);
  size_t pos = eol + 2;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    if (next == std::string_view::npos) next = head.size();
    std::string_view line = head.substr(pos, next - pos);
    pos = next + 2;
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return common::fail(malformed("header line"));
    http::Header h{std::string(line.substr(0, colon)), std::string(common::trim(line.substr(colon + 1)))};
    if (common::iequals(h.name, "content-length")) {
      char* end = nullptr;
      long long n = std::strtoll(h.value.c_str(), &end, 10);
      if (end == h.value.c_str() || *end != '\0' || n < 0) return common::fail(malformed("Content-Length"));
      out.content_length = n;
    } else if (common::iequals(h.name, "transfer-encoding")) {
      out.chunked = common::to_lower(h.value).find("chunked") != std::string::npos;
    }
    out.headers.push_back(std::move(h));
  }
  return out;
}

common::Status<> ChunkedDecoder::end_size_line() {
  std::string_view line = line_;
  size_t semicolon = line.find(';');  // chunk extensions are ignored
  line = common::trim(line.substr(0, semicolon));
  if (line.empty() || line.size() > 16) return common::fail(malformed("chunk size"));
  uint64_t size = 0;
  for (char c : line) {
    int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                            : -1;
    if (digit < 0) return common::fail(malformed("chunk size"));
    size = size * 16 + static_cast<uint64_t>(digit);
  }
  line_.clear();
  remaining_ = size;
  state_ = size == 0 ? State::Trailer : State::Data;
  return common::ok();
}

common::Status<> ChunkedDecoder::feed(std::string_view in, std::string& out) {
  size_t i = 0;
  while (i < in.size() && state_ != State::Done) {
    if (state_ == State::Data) {
      size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size() - i));
      out.append(in.data() + i, take);
      i += take;
      remaining_ -= take;
      if (remaining_ == 0) state_ = State::DataEnd;
      continue;
    }
    // The other states read lines ending in CRLF (a bare LF is accepted).
    char c = in[i++];
    if (c != '\n') {
      if (c != '\r') line_ += c;
      if (line_.size() > kMaxLine) return common::fail(malformed("chunk line too long"));
      continue;
    }
    if (state_ == State::Size) {
      auto status = end_size_line();
      if (!status) return status;
    } else if (state_ == State::DataEnd) {
      if (!line_.empty()) return common::fail(malformed("chunk not followed by CRLF"));
      state_ = State::Size;
    } else if (state_ == State::Trailer) {
      if (line_.empty()) state_ = State::Done;
      line_.clear();
    }
  }
  return common::ok();
}

}  // namespace runtime
