// S3's aws-chunked request bodies (Content-Encoding: aws-chunked), decoded as they stream:
//   <hex size>[;chunk-signature=<64 hex>]\r\n<bytes>\r\n ... 0[;chunk-signature=..]\r\n
//   [<trailer-name>:<value>\r\n ... [x-amz-trailer-signature:<64 hex>\r\n]]\r\n
// X-Amz-Content-SHA256 names the variant:
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER            no chunk signatures, trailers
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD            signed chunks, no trailers
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER    signed chunks, signed trailer
// Signed chunks chain from the request's (seed) signature (sigv4.h chunk_string_to_sign).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/sigv4/sigv4.h"
#include "http/request.h"

namespace sigv4 {

// Unsigned: aws-chunked under a non-streaming X-Amz-Content-SHA256 (chunked_mode never returns
// it); like UnsignedWithTrailer, it accepts trailers. Unsigned modes ignore chunk-signature
// extensions and an x-amz-trailer-signature (there is nothing to check them against).
enum class ChunkedMode { Unsigned, Signed, SignedWithTrailer, UnsignedWithTrailer };

// The mode an X-Amz-Content-SHA256 value announces; nullopt when it is not a streaming one.
std::optional<ChunkedMode> chunked_mode(std::string_view content_sha256);

enum class ChunkedError {
  None,
  Malformed,          // bad chunk header/size/CRLF or trailer syntax -> S3 "IncompleteBody"/"InvalidRequest"
  SignatureMismatch,  // a chunk or trailer signature is wrong -> "SignatureDoesNotMatch"
  LengthMismatch,     // decoded bytes differ from X-Amz-Decoded-Content-Length -> "IncompleteBody"
  Truncated,          // the inner body ended (or broke) before the final chunk -> "IncompleteBody"
};

class AwsChunkedReader final : public http::BodyReader {
 public:
  // `inner` is the raw (HTTP-framing-decoded) body. For signed modes, `signing_key` and
  // `info` are the request's and `seed_signature` its Authorization signature.
  // `decoded_length` is X-Amz-Decoded-Content-Length (-1 when absent: not checked).
  AwsChunkedReader(http::BodyReader& inner, ChunkedMode mode, int64_t decoded_length,
                   std::optional<common::Sha256Digest> signing_key = std::nullopt, SignedInfo info = {},
                   std::string seed_signature = "");

  // Decoded payload bytes; 0 at the end (after the final chunk and trailers were read and
  // verified), -1 on error (see error()).
  long read(char* buffer, size_t size) override;

  ChunkedError error() const { return error_; }
  std::string_view error_message() const { return message_; }
  // Trailer headers (lower-cased names, trimmed values), available once read() returned 0.
  // x-amz-trailer-signature is verified and not listed.
  const std::vector<std::pair<std::string, std::string>>& trailers() const { return trailers_; }
  const std::string* trailer(std::string_view name) const;

 private:
  enum class LineStatus { Ok, End, Failed };
  long fill();                                   // reads more raw bytes into buf_; the inner read's result
  LineStatus next_line(std::string_view& line);  // one CRLF-terminated line (a view into buf_)
  long read_data(char* buffer, size_t size);     // bytes of the current chunk
  bool expect_crlf();                            // the CRLF after a chunk's data
  bool next_chunk();                             // parses a chunk header (and, at the end, the trailers)
  bool verify_chunk(std::string_view sha256_hex);
  bool finish_body();  // trailers, the closing empty line, the decoded length
  bool verify_trailer(std::string_view claimed, const std::string& raw_text, const std::string& canonical_text);
  bool fail(ChunkedError error, std::string message);

  http::BodyReader& inner_;
  ChunkedMode mode_;
  int64_t decoded_length_;
  std::optional<common::Sha256Digest> signing_key_;
  SignedInfo info_;
  std::string previous_signature_;
  std::unique_ptr<char[]> buf_;  // kBufferSize bytes: one inner read plus a partial header line
  size_t pos_ = 0;               // first unconsumed byte of buf_
  size_t end_ = 0;               // end of the bytes read into buf_
  uint64_t chunk_left_ = 0;
  bool need_crlf_ = false;  // a chunk's data was read; its CRLF is next
  std::string chunk_signature_;
  std::unique_ptr<common::Sha256Stream> chunk_hash_;  // signed modes: SHA-256 of the current chunk so far
  uint64_t decoded_ = 0;
  bool done_ = false;
  ChunkedError error_ = ChunkedError::None;
  std::string message_;
  std::vector<std::pair<std::string, std::string>> trailers_;
};

}  // namespace sigv4
