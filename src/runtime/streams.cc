#include "runtime/streams.h"

namespace runtime {
namespace {

constexpr size_t kMaxObject = 16u << 20;

common::Error malformed(std::string what) {
  return common::make_error(common::ErrorKind::Unavailable, "container engine stream: " + std::move(what));
}

std::string string_member(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

common::Status<> FrameDemuxer::feed(std::string_view bytes) {
  if (raw_) {
    if (!bytes.empty()) sink_(LogStream::Stdout, bytes);
    return common::ok();
  }
  while (!bytes.empty()) {
    if (remaining_ > 0) {
      size_t take = std::min<size_t>(remaining_, bytes.size());
      sink_(stream_, bytes.substr(0, take));
      remaining_ -= static_cast<uint32_t>(take);
      bytes.remove_prefix(take);
      continue;
    }
    header_[header_used_++] = static_cast<unsigned char>(bytes.front());
    bytes.remove_prefix(1);
    if (header_used_ < sizeof header_) continue;
    header_used_ = 0;
    if (header_[0] > 2) return common::fail(malformed("log frame for unknown stream " + std::to_string(header_[0])));
    stream_ = static_cast<LogStream>(header_[0]);
    remaining_ = (uint32_t{header_[4]} << 24) | (uint32_t{header_[5]} << 16) | (uint32_t{header_[6]} << 8) |
                 uint32_t{header_[7]};
  }
  return common::ok();
}

common::Status<> JsonObjectSplitter::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (depth_ == 0) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c != '{') return common::fail(malformed(std::string("unexpected '") + c + "' between JSON messages"));
    }
    current_ += c;
    if (current_.size() > kMaxObject) return common::fail(malformed("JSON message over 16 MiB"));
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ == 0) {
        sink_(current_);
        current_.clear();
      }
    }
  }
  return common::ok();
}

ProgressMessage parse_progress(std::string_view object_text) {
  ProgressMessage message;
  message.raw = nlohmann::json::parse(object_text, nullptr, /*allow_exceptions=*/false);
  if (!message.raw.is_object()) {
    message.error = "malformed progress message: " + std::string(object_text.substr(0, 200));
    return message;
  }
  message.status = string_member(message.raw, "status");
  message.id = string_member(message.raw, "id");
  message.progress = string_member(message.raw, "progress");
  message.stream = string_member(message.raw, "stream");
  auto detail = message.raw.find("errorDetail");
  if (detail != message.raw.end() && detail->is_object()) message.error = string_member(*detail, "message");
  if (message.error.empty()) message.error = string_member(message.raw, "error");
  if (message.error.empty() && (detail != message.raw.end() || message.raw.contains("error"))) {
    message.error = "the container engine reported an error without a message";
  }
  auto aux = message.raw.find("aux");
  if (aux != message.raw.end() && aux->is_object()) message.aux_id = string_member(*aux, "ID");
  return message;
}

}  // namespace runtime
