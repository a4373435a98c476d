#include "aws/sigv4/chunked.h"

#include <algorithm>
#include <cstring>

#include "common/strings.h"

namespace sigv4 {
namespace {

// One inner read plus a partial line: lines are capped well below the buffer, so a header
// that straddles two reads always fits next to the next read.
constexpr size_t kBufferSize = 32 * 1024;
constexpr size_t kMaxLine = 4096;  // "10000;chunk-signature=<64 hex>" is 86 bytes
constexpr size_t kMaxSizeDigits = 16;
// S3's largest single PUT; chunk bytes are streamed, never buffered, so this only rejects nonsense.
constexpr uint64_t kMaxChunkSize = uint64_t{5} << 30;
constexpr size_t kMaxTrailerBytes = 16 * 1024;
constexpr size_t kMaxTrailers = 64;
constexpr std::string_view kChunkSignature = "chunk-signature=";
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";

bool is_signed(ChunkedMode mode) { return mode == ChunkedMode::Signed || mode == ChunkedMode::SignedWithTrailer; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_signature(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return hex_value(c) >= 0; });
}

// "<hex>" or "<hex>;ext[;ext...]"; whitespace before ';' is tolerated (RFC 9112's BWS).
bool parse_size(std::string_view text, uint64_t& size) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > kMaxSizeDigits) {
    return false;
  }
  size = 0;
  for (char c : text) {
    int digit = hex_value(c);
    if (digit < 0) {
      return false;
    }
    size = (size << 4) | static_cast<uint64_t>(digit);
  }
  return true;
}

// The chunk-signature extension's value, or "" when there is none.
std::string_view find_chunk_signature(std::string_view extensions) {
  for (std::string_view extension : common::split(extensions, ';')) {
    extension = common::trim(extension);
    if (extension.substr(0, kChunkSignature.size()) == kChunkSignature) {
      return common::trim(extension.substr(kChunkSignature.size()));
    }
  }
  return {};
}

}  // namespace

std::optional<ChunkedMode> chunked_mode(std::string_view content_sha256) {
  if (content_sha256 == "STREAMING-UNSIGNED-PAYLOAD-TRAILER") return ChunkedMode::UnsignedWithTrailer;
  if (content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") return ChunkedMode::Signed;
  if (content_sha256 == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") return ChunkedMode::SignedWithTrailer;
  return std::nullopt;
}

AwsChunkedReader::AwsChunkedReader(http::BodyReader& inner, ChunkedMode mode, int64_t decoded_length,
                                   std::optional<common::Sha256Digest> signing_key, SignedInfo info,
                                   std::string seed_signature)
    : inner_(inner),
      mode_(mode),
      decoded_length_(decoded_length),
      signing_key_(std::move(signing_key)),
      info_(std::move(info)),
      previous_signature_(std::move(seed_signature)),
      buf_(new char[kBufferSize]) {}

const std::string* AwsChunkedReader::trailer(std::string_view name) const {
  for (const auto& [key, value] : trailers_) {
    if (common::iequals(key, name)) {
      return &value;
    }
  }
  return nullptr;
}

long AwsChunkedReader::read(char* buffer, size_t size) {
  for (;;) {
    if (error_ != ChunkedError::None) {
      return -1;
    }
    if (done_ || size == 0) {
      return 0;
    }
    if (chunk_left_ > 0) {
      return read_data(buffer, size);
    }
    if (need_crlf_ && !expect_crlf()) {
      return -1;
    }
    if (!next_chunk()) {
      return -1;
    }
  }
}

long AwsChunkedReader::fill() {
  if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == kBufferSize) {
    return -1;  // unreachable: lines are capped far below the buffer
  }
  long n = inner_.read(buf_.get() + end_, kBufferSize - end_);
  if (n > 0) {
    end_ += static_cast<size_t>(n);
  }
  return n;
}

AwsChunkedReader::LineStatus AwsChunkedReader::next_line(std::string_view& line) {
  size_t searched = 0;
  for (;;) {
    std::string_view pending(buf_.get() + pos_, end_ - pos_);
    size_t lf = pending.find('\n', searched);
    if (lf != std::string_view::npos) {
      if (lf == 0 || pending[lf - 1] != '\r') {
        fail(ChunkedError::Malformed, "aws-chunked line not terminated by CRLF");
        return LineStatus::Failed;
      }
      line = pending.substr(0, lf - 1);
      pos_ += lf + 1;
      return LineStatus::Ok;
    }
    if (pending.size() > kMaxLine) {
      fail(ChunkedError::Malformed, "aws-chunked header or trailer line too long");
      return LineStatus::Failed;
    }
    searched = pending.size();
    long n = fill();
    if (n < 0) {
      fail(ChunkedError::Truncated, "the request body broke off");
      return LineStatus::Failed;
    }
    if (n == 0) {
      if (pending.empty()) {
        return LineStatus::End;
      }
      fail(ChunkedError::Truncated, "the request body ended inside an aws-chunked header or trailer");
      return LineStatus::Failed;
    }
  }
}

long AwsChunkedReader::read_data(char* buffer, size_t size) {
  size_t want = static_cast<size_t>(std::min<uint64_t>(size, chunk_left_));
  long n;
  if (pos_ < end_) {
    n = static_cast<long>(std::min(want, end_ - pos_));
    std::memcpy(buffer, buf_.get() + pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
  } else {
    // Nothing buffered: straight into the caller's buffer, never past this chunk.
    n = inner_.read(buffer, want);
    if (n <= 0) {
      fail(ChunkedError::Truncated, "the request body ended inside an aws-chunked chunk");
      return -1;
    }
    n = std::min<long>(n, static_cast<long>(want));
  }
  if (chunk_hash_ != nullptr) {
    chunk_hash_->update(std::string_view(buffer, static_cast<size_t>(n)));
  }
  chunk_left_ -= static_cast<uint64_t>(n);
  decoded_ += static_cast<uint64_t>(n);
  if (chunk_left_ == 0) {
    need_crlf_ = true;
    if (chunk_hash_ != nullptr) {
      std::string hash = common::hex_encode(chunk_hash_->finish());
      chunk_hash_.reset();
      // A bad chunk fails this very read: its last bytes are never handed out.
      if (!verify_chunk(hash)) {
        return -1;
      }
    }
  }
  return n;
}

bool AwsChunkedReader::expect_crlf() {
  while (end_ - pos_ < 2) {
    long n = fill();
    if (n <= 0) {
      return fail(ChunkedError::Truncated, "the request body ended after an aws-chunked chunk's data");
    }
  }
  if (buf_[pos_] != '\r' || buf_[pos_ + 1] != '\n') {
    return fail(ChunkedError::Malformed, "aws-chunked chunk data not followed by CRLF");
  }
  pos_ += 2;
  need_crlf_ = false;
  return true;
}

bool AwsChunkedReader::next_chunk() {
  std::string_view line;
  switch (next_line(line)) {
    case LineStatus::Failed: return false;
    case LineStatus::End: return fail(ChunkedError::Truncated, "the request body ended before the final chunk");
    case LineStatus::Ok: break;
  }
  size_t semicolon = line.find(';');
  uint64_t size = 0;
  if (!parse_size(line.substr(0, semicolon), size)) {
    return fail(ChunkedError::Malformed, "invalid aws-chunked chunk size");
  }
  if (size > kMaxChunkSize) {
    return fail(ChunkedError::Malformed, "aws-chunked chunk size too large");
  }
  if (is_signed(mode_)) {
    std::string_view claimed =
        semicolon == std::string_view::npos ? std::string_view() : find_chunk_signature(line.substr(semicolon + 1));
    if (!is_signature(claimed)) {
      return fail(ChunkedError::Malformed, "aws-chunked chunk without a valid chunk-signature");
    }
    chunk_signature_ = common::to_lower(claimed);
  }
  // decoded_ never passes decoded_length_: every chunk header is checked here.
  if (decoded_length_ >= 0 && size > static_cast<uint64_t>(decoded_length_) - decoded_) {
    return fail(ChunkedError::LengthMismatch, "aws-chunked body longer than X-Amz-Decoded-Content-Length");
  }
  if (size == 0) {
    if (is_signed(mode_) && !verify_chunk(kEmptyPayloadSha256)) {
      return false;
    }
    return finish_body();
  }
  chunk_left_ = size;
  if (is_signed(mode_)) {
    chunk_hash_ = std::make_unique<common::Sha256Stream>();
  }
  return true;
}

bool AwsChunkedReader::verify_chunk(std::string_view sha256_hex) {
  if (!signing_key_.has_value()) {
    return fail(ChunkedError::SignatureMismatch, "no signing key for a signed aws-chunked body");
  }
  std::string expected = sign(*signing_key_, chunk_string_to_sign(info_, previous_signature_, sha256_hex));
  if (!common::constant_time_equals(expected, chunk_signature_)) {
    return fail(ChunkedError::SignatureMismatch,
                "aws-chunked chunk signature does not match (after " + std::to_string(decoded_) + " bytes)");
  }
  previous_signature_ = std::move(expected);
  return true;
}

// After the final chunk: trailer lines (trailer modes), x-amz-trailer-signature (signed
// trailers), then an empty line. Clients differ at the very end, so EOF instead of the empty
// line is accepted, except before a required trailer signature.
bool AwsChunkedReader::finish_body() {
  const bool signed_trailer = mode_ == ChunkedMode::SignedWithTrailer;
  bool signature_seen = false;
  std::string raw_text;        // the trailer lines as received, each ending in "\n"
  std::string canonical_text;  // "name:value\n" with a lower-case name and trimmed value
  for (;;) {
    std::string_view line;
    LineStatus status = next_line(line);
    if (status == LineStatus::Failed) {
      return false;
    }
    if (status == LineStatus::End || line.empty()) {
      if (signed_trailer && !signature_seen) {
        return status == LineStatus::End
                   ? fail(ChunkedError::Truncated, "the request body ended before x-amz-trailer-signature")
                   : fail(ChunkedError::Malformed, "aws-chunked trailers without x-amz-trailer-signature");
      }
      break;
    }
    if (mode_ == ChunkedMode::Signed) {
      return fail(ChunkedError::Malformed, "trailer in an aws-chunked body that announced none");
    }
    if (signature_seen) {
      return fail(ChunkedError::Malformed, "aws-chunked trailer after x-amz-trailer-signature");
    }
    size_t colon = line.find(':');
    std::string name = common::to_lower(common::trim(line.substr(0, colon)));
    if (colon == std::string_view::npos || name.empty()) {
      return fail(ChunkedError::Malformed, "invalid aws-chunked trailer line");
    }
    std::string_view value = common::trim(line.substr(colon + 1));
    if (name == kTrailerSignature) {
      signature_seen = true;
      // Unsigned modes have nothing to check it against; it is dropped like the signed one.
      if (signed_trailer && !verify_trailer(value, raw_text, canonical_text)) {
        return false;
      }
      continue;
    }
    if (trailers_.size() >= kMaxTrailers || raw_text.size() + line.size() + 1 > kMaxTrailerBytes) {
      return fail(ChunkedError::Malformed, "too many aws-chunked trailers");
    }
    raw_text.append(line).append("\n");
    canonical_text.append(name).append(":").append(value).append("\n");
    trailers_.emplace_back(std::move(name), std::string(value));
  }
  if (decoded_length_ >= 0 && decoded_ != static_cast<uint64_t>(decoded_length_)) {
    return fail(ChunkedError::LengthMismatch, "aws-chunked body shorter than X-Amz-Decoded-Content-Length (" +
                                                  std::to_string(decoded_) + " of " + std::to_string(decoded_length_) +
                                                  " bytes)");
  }
  done_ = true;
  return true;
}

// The trailer's string to sign hashes the trailer lines with "\n" endings. Signers (aws-c-auth,
// the Java and Kotlin SDKs) build it from lower-case names and trimmed values, which is exactly
// what they send; the text as received is tried first and the canonical form only if it differs.
bool AwsChunkedReader::verify_trailer(std::string_view claimed, const std::string& raw_text,
                                      const std::string& canonical_text) {
  if (!signing_key_.has_value()) {
    return fail(ChunkedError::SignatureMismatch, "no signing key for a signed aws-chunked body");
  }
  std::string claimed_lower = common::to_lower(claimed);
  auto matches = [&](const std::string& text) {
    return common::constant_time_equals(
        sign(*signing_key_, trailer_string_to_sign(info_, previous_signature_, common::sha256_hex(text))),
        claimed_lower);
  };
  if (matches(raw_text) || (canonical_text != raw_text && matches(canonical_text))) {
    return true;
  }
  return fail(ChunkedError::SignatureMismatch, "x-amz-trailer-signature does not match");
}

bool AwsChunkedReader::fail(ChunkedError error, std::string message) {
  if (error_ == ChunkedError::None) {
    error_ = error;
    message_ = std::move(message);
  }
  return false;
}

}  // namespace sigv4
