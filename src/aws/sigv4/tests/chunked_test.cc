#include "aws/sigv4/chunked.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>

#include "common/checksum.h"
#include "common/crypto.h"

namespace {

using sigv4::AwsChunkedReader;
using sigv4::ChunkedError;
using sigv4::ChunkedMode;

// The raw body as the HTTP layer would hand it over: at most `piece` bytes per read, then 0
// (or -1 when `broken`, as a dropped connection reads).
class FakeBody final : public http::BodyReader {
 public:
  explicit FakeBody(std::string data, size_t piece = SIZE_MAX, bool broken = false)
      : data_(std::move(data)), piece_(piece), broken_(broken) {}
  long read(char* buffer, size_t size) override {
    if (offset_ == data_.size()) {
      return broken_ ? -1 : 0;
    }
    size_t n = std::min({size, piece_, data_.size() - offset_});
    std::memcpy(buffer, data_.data() + offset_, n);
    offset_ += n;
    return static_cast<long>(n);
  }

 private:
  std::string data_;
  size_t piece_;
  bool broken_;
  size_t offset_ = 0;
};

struct Decoded {
  std::string data;
  long last = 0;  // 0: clean end; -1: error
};

Decoded read_all(AwsChunkedReader& reader, size_t buffer_size = 4096) {
  Decoded out;
  std::string buffer(buffer_size, '\0');
  for (;;) {
    long n = reader.read(buffer.data(), buffer.size());
    if (n <= 0) {
      out.last = n;
      // Both ends are sticky.
      EXPECT_EQ(reader.read(buffer.data(), buffer.size()), n);
      return out;
    }
    out.data.append(buffer.data(), static_cast<size_t>(n));
  }
}

Decoded decode(const std::string& body, ChunkedMode mode, int64_t decoded_length, size_t piece = SIZE_MAX,
               size_t buffer_size = 4096, ChunkedError* error = nullptr) {
  FakeBody inner(body, piece);
  AwsChunkedReader reader(inner, mode, decoded_length);
  Decoded out = read_all(reader, buffer_size);
  if (error != nullptr) {
    *error = reader.error();
  }
  return out;
}

ChunkedError decode_error(const std::string& body, ChunkedMode mode, int64_t decoded_length = -1) {
  ChunkedError error = ChunkedError::None;
  Decoded out = decode(body, mode, decoded_length, SIZE_MAX, 4096, &error);
  EXPECT_EQ(out.last, error == ChunkedError::None ? 0 : -1);
  return error;
}

// ---------------------------------------------------------------------------------------------
// Unsigned bodies.

// botocore 1.43 over HTTPS (STREAMING-UNSIGNED-PAYLOAD-TRAILER), shared/reference §1.5.
constexpr std::string_view kBotocoreBody = "b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";

TEST(AwsChunked, BotocoreTrailerBodyInOnePieceAndByteByByte) {
  for (size_t piece : {SIZE_MAX, size_t{1}, size_t{2}, size_t{5}}) {
    for (size_t buffer_size : {size_t{1}, size_t{3}, size_t{4096}}) {
      FakeBody inner(std::string(kBotocoreBody), piece);
      AwsChunkedReader reader(inner, ChunkedMode::UnsignedWithTrailer, 11);
      Decoded out = read_all(reader, buffer_size);
      ASSERT_EQ(out.last, 0) << reader.error_message() << " piece " << piece << " buffer " << buffer_size;
      EXPECT_EQ(out.data, "hello world");
      ASSERT_EQ(reader.trailers().size(), 1u);
      EXPECT_EQ(reader.trailers()[0].first, "x-amz-checksum-crc32");
      ASSERT_NE(reader.trailer("X-Amz-Checksum-CRC32"), nullptr);
      EXPECT_EQ(*reader.trailer("X-Amz-Checksum-CRC32"), "DUoRhQ==");
      EXPECT_EQ(*reader.trailer("x-amz-checksum-crc32"),
                common::checksum_base64(common::ChecksumAlgorithm::CRC32, out.data));
      EXPECT_EQ(reader.trailer("x-amz-checksum-crc32c"), nullptr);
    }
  }
}

// botocore's AwsChunkedWrapper with chunk_size=8, and its empty-object body.
TEST(AwsChunked, BotocoreMultiChunkAndEmptyBodies) {
  const std::string multi =
      "8\r\nhello wo\r\n8\r\nrld, hel\r\n8\r\nlo aws-c\r\n7\r\nhunked!\r\n0\r\nx-amz-checksum-crc32:J4WpkQ==\r\n\r\n";
  for (size_t piece : {SIZE_MAX, size_t{1}, size_t{9}}) {
    Decoded out = decode(multi, ChunkedMode::UnsignedWithTrailer, 31, piece, 5);
    EXPECT_EQ(out.last, 0);
    EXPECT_EQ(out.data, "hello world, hello aws-chunked!");
  }
  FakeBody inner("0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
  AwsChunkedReader reader(inner, ChunkedMode::UnsignedWithTrailer, 0);
  Decoded out = read_all(reader);
  EXPECT_EQ(out.last, 0);
  EXPECT_EQ(out.data, "");
  ASSERT_NE(reader.trailer("x-amz-checksum-crc32"), nullptr);
  EXPECT_EQ(*reader.trailer("x-amz-checksum-crc32"), "AAAAAA==");
}

TEST(AwsChunked, UnsignedMultiChunkWithSeveralTrailers) {
  std::string body = "3\r\nabc\r\nA\r\n0123456789\r\n1\r\n\n\r\n0\r\n";
  body += "x-amz-checksum-crc32c:AAAAAA==\r\nX-Amz-Meta-Note:  spaced value \r\n\r\n";
  FakeBody inner(body, 4);
  AwsChunkedReader reader(inner, ChunkedMode::UnsignedWithTrailer, -1);
  Decoded out = read_all(reader, 7);
  ASSERT_EQ(out.last, 0) << reader.error_message();
  EXPECT_EQ(out.data, "abc0123456789\n");
  ASSERT_EQ(reader.trailers().size(), 2u);
  EXPECT_EQ(reader.trailers()[1].first, "x-amz-meta-note");
  EXPECT_EQ(reader.trailers()[1].second, "spaced value");
}

TEST(AwsChunked, LenientEndings) {
  // No empty line at EOF: plain and signed-less modes, and trailer lines directly followed by EOF.
  EXPECT_EQ(decode("3\r\nabc\r\n0\r\n", ChunkedMode::Unsigned, 3).data, "abc");
  EXPECT_EQ(decode_error("3\r\nabc\r\n0\r\n", ChunkedMode::Unsigned, 3), ChunkedError::None);
  EXPECT_EQ(decode_error("3\r\nabc\r\n0\r\n", ChunkedMode::UnsignedWithTrailer, 3), ChunkedError::None);
  EXPECT_EQ(decode_error("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n", ChunkedMode::UnsignedWithTrailer, 3),
            ChunkedError::None);
  // Chunk extensions other than a signature are ignored in unsigned modes, as is a signature.
  EXPECT_EQ(decode_error("3;chunk-signature=00;x=y\r\nabc\r\n0;chunk-signature=00\r\n\r\n", ChunkedMode::Unsigned, 3),
            ChunkedError::None);
  // Upper-case hex and whitespace before the extensions.
  EXPECT_EQ(decode("A \r\n0123456789\r\n0\r\n\r\n", ChunkedMode::Unsigned, 10).data, "0123456789");
}

TEST(AwsChunked, MalformedFraming) {
  const std::pair<const char*, std::string> cases[] = {
      {"non-hex size", "zz\r\nabc\r\n0\r\n\r\n"},
      {"empty size", "\r\nabc\r\n0\r\n\r\n"},
      {"0x prefix", "0x3\r\nabc\r\n0\r\n\r\n"},
      {"negative", "-3\r\nabc\r\n0\r\n\r\n"},
      {"17 hex digits", "00000000000000003\r\nabc\r\n0\r\n\r\n"},
      {"absurd size", "ffffffffffffffff\r\nabc\r\n0\r\n\r\n"},
      {"just over 5 GiB", "140000001\r\nabc\r\n0\r\n\r\n"},
      {"bare LF after size", "3\nabc\r\n0\r\n\r\n"},
      {"data longer than size", "3\r\nabcd\r\n0\r\n\r\n"},
      {"data not followed by CRLF", "3\r\nabc\n\r0\r\n\r\n"},
      {"header line too long", std::string(5000, '1')},
      {"trailer without colon", "3\r\nabc\r\n0\r\nx-amz-checksum-crc32\r\n\r\n"},
      {"trailer with empty name", "3\r\nabc\r\n0\r\n:value\r\n\r\n"},
  };
  for (const auto& [name, body] : cases) {
    EXPECT_EQ(decode_error(body, ChunkedMode::UnsignedWithTrailer), ChunkedError::Malformed) << name;
  }
  std::string many_trailers = "0\r\n";
  for (int i = 0; i < 100; ++i) {
    many_trailers += "x-amz-meta-" + std::to_string(i) + ":v\r\n";
  }
  EXPECT_EQ(decode_error(many_trailers + "\r\n", ChunkedMode::UnsignedWithTrailer), ChunkedError::Malformed);
}

TEST(AwsChunked, TruncatedBodies) {
  const std::string full = "5\r\nhello\r\n3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
  // Every cut before the final chunk's header is complete is Truncated; a cut inside a trailer
  // line too. (Cuts at a trailer line boundary are the accepted lenient endings.)
  for (size_t cut = 0; cut < full.size(); ++cut) {
    std::string prefix = full.substr(0, cut);
    bool lenient_end = prefix.ends_with("0\r\n") || prefix.ends_with("==\r\n") || prefix.ends_with("==\r\n\r");
    if (prefix.ends_with("==\r\n\r")) {
      continue;  // a lone CR at EOF after the trailers: Truncated, checked below
    }
    ChunkedError error = decode_error(prefix, ChunkedMode::UnsignedWithTrailer);
    EXPECT_EQ(error, lenient_end ? ChunkedError::None : ChunkedError::Truncated) << "cut at " << cut;
  }
  EXPECT_EQ(decode_error(full.substr(0, full.size() - 1), ChunkedMode::UnsignedWithTrailer), ChunkedError::Truncated);
  // A connection that breaks (-1) instead of ending is Truncated even where EOF would be fine.
  FakeBody broken(full.substr(0, 10), SIZE_MAX, true);
  AwsChunkedReader reader(broken, ChunkedMode::UnsignedWithTrailer, -1);
  EXPECT_EQ(read_all(reader).last, -1);
  EXPECT_EQ(reader.error(), ChunkedError::Truncated);
}

TEST(AwsChunked, DecodedLengthIsEnforced) {
  const std::string body = "5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n";
  EXPECT_EQ(decode_error(body, ChunkedMode::Unsigned, 8), ChunkedError::None);
  EXPECT_EQ(decode_error(body, ChunkedMode::Unsigned, -1), ChunkedError::None);
  EXPECT_EQ(decode_error(body, ChunkedMode::Unsigned, 9), ChunkedError::LengthMismatch);
  EXPECT_EQ(decode_error(body, ChunkedMode::Unsigned, 0), ChunkedError::LengthMismatch);
  // Too long is caught at the chunk header that overshoots, before its bytes are returned.
  ChunkedError error = ChunkedError::None;
  Decoded out = decode(body, ChunkedMode::Unsigned, 6, SIZE_MAX, 4096, &error);
  EXPECT_EQ(error, ChunkedError::LengthMismatch);
  EXPECT_EQ(out.data, "hello");
}

TEST(AwsChunked, ModeFromContentSha256) {
  EXPECT_EQ(sigv4::chunked_mode("STREAMING-UNSIGNED-PAYLOAD-TRAILER"), ChunkedMode::UnsignedWithTrailer);
  EXPECT_EQ(sigv4::chunked_mode("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), ChunkedMode::Signed);
  EXPECT_EQ(sigv4::chunked_mode("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"), ChunkedMode::SignedWithTrailer);
  EXPECT_EQ(sigv4::chunked_mode("UNSIGNED-PAYLOAD"), std::nullopt);
  EXPECT_EQ(sigv4::chunked_mode("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"), std::nullopt);
  EXPECT_EQ(sigv4::chunked_mode(sigv4::kEmptyPayloadSha256), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Signed bodies.

constexpr std::string_view kDocSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

sigv4::SignedInfo doc_info() {
  sigv4::SignedInfo info;
  info.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  info.amz_date = "20130524T000000Z";
  info.scope_date = "20130524";
  info.region = "us-east-1";
  info.service = "s3";
  return info;
}

common::Sha256Digest doc_key() { return sigv4::derive_signing_key(kDocSecret, "20130524", "us-east-1", "s3"); }

std::string signed_chunk(size_t size, std::string_view signature) {
  char hex[32];
  std::snprintf(hex, sizeof hex, "%zx", size);
  std::string out = std::string(hex) + ";chunk-signature=" + std::string(signature) + "\r\n";
  if (size > 0) {
    out += std::string(size, 'a') + "\r\n";
  }
  return out;
}

// The S3 documentation's "Example: PUT Object" for STREAMING-AWS4-HMAC-SHA256-PAYLOAD
// ("Signature Calculations for the Authorization Header: Transferring Payload in Multiple
// Chunks"): 64 KiB + 1 KiB of 'a'; the example's Content-Length is 66824.
std::string doc_signed_body() {
  return signed_chunk(65536, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648") +
         signed_chunk(1024, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497") +
         signed_chunk(0, "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9") + "\r\n";
}
constexpr std::string_view kDocSeed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

TEST(AwsChunked, AwsDocumentationSignedExample) {
  std::string body = doc_signed_body();
  EXPECT_EQ(body.size(), 66824u);
  for (size_t piece : {SIZE_MAX, size_t{1000}, size_t{1}}) {
    FakeBody inner(body, piece);
    AwsChunkedReader reader(inner, ChunkedMode::Signed, 66560, doc_key(), doc_info(), std::string(kDocSeed));
    Decoded out = read_all(reader, 8192);
    ASSERT_EQ(out.last, 0) << reader.error_message();
    EXPECT_EQ(out.data, std::string(66560, 'a'));
    EXPECT_TRUE(reader.trailers().empty());
  }
  // The wrong seed breaks the chain at the first chunk.
  FakeBody inner(body);
  AwsChunkedReader reader(inner, ChunkedMode::Signed, 66560, doc_key(), doc_info(), std::string(64, '0'));
  EXPECT_EQ(read_all(reader).last, -1);
  EXPECT_EQ(reader.error(), ChunkedError::SignatureMismatch);
}

// The S3 documentation's trailer example ("Signature calculations for trailing headers"):
// the same 65 KiB under STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with a CRC32C trailer.
std::string doc_trailer_body(std::string_view trailer_signature) {
  return signed_chunk(65536, "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2") +
         signed_chunk(1024, "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7") +
         signed_chunk(0, "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992") +
         "x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:" + std::string(trailer_signature) + "\r\n\r\n";
}
constexpr std::string_view kDocTrailerSeed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
constexpr std::string_view kDocTrailerSignature = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435";

TEST(AwsChunked, AwsDocumentationSignedTrailerExample) {
  for (size_t piece : {SIZE_MAX, size_t{1}}) {
    FakeBody inner(doc_trailer_body(kDocTrailerSignature), piece);
    AwsChunkedReader reader(inner, ChunkedMode::SignedWithTrailer, 66560, doc_key(), doc_info(),
                            std::string(kDocTrailerSeed));
    Decoded out = read_all(reader, 65536);
    ASSERT_EQ(out.last, 0) << reader.error_message();
    EXPECT_EQ(out.data, std::string(66560, 'a'));
    ASSERT_EQ(reader.trailers().size(), 1u);  // the signature is verified, not listed
    ASSERT_NE(reader.trailer("x-amz-checksum-crc32c"), nullptr);
    EXPECT_EQ(*reader.trailer("x-amz-checksum-crc32c"),
              common::checksum_base64(common::ChecksumAlgorithm::CRC32C, out.data));
  }
  std::string wrong(kDocTrailerSignature);
  wrong[10] = wrong[10] == '0' ? '1' : '0';
  FakeBody inner(doc_trailer_body(wrong));
  AwsChunkedReader reader(inner, ChunkedMode::SignedWithTrailer, 66560, doc_key(), doc_info(),
                          std::string(kDocTrailerSeed));
  Decoded out = read_all(reader, 65536);
  EXPECT_EQ(out.last, -1);
  EXPECT_EQ(reader.error(), ChunkedError::SignatureMismatch);
  EXPECT_EQ(out.data.size(), 66560u);  // every byte was handed out, but the end never was
}

// Builds signed bodies with the same sigv4 functions a client uses.
class BodySigner {
 public:
  BodySigner() : key_(doc_key()), info_(doc_info()), previous_(kSeed) {}
  static constexpr std::string_view kSeed = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  // The chunks in order, then the final 0-size chunk (its header only).
  std::string chunks(std::initializer_list<std::string_view> pieces) {
    std::string out;
    for (std::string_view piece : pieces) {
      out += chunk(piece);
    }
    return out + chunk("");
  }
  // `wire` as sent, `signed_text` what the client hashed for the string to sign.
  std::string trailer(std::string_view wire, std::string_view signed_text) {
    std::string signature =
        sigv4::sign(key_, sigv4::trailer_string_to_sign(info_, previous_, common::sha256_hex(signed_text)));
    return std::string(wire) + "x-amz-trailer-signature:" + signature + "\r\n\r\n";
  }
  AwsChunkedReader reader(http::BodyReader& inner, ChunkedMode mode, int64_t decoded_length) {
    return AwsChunkedReader(inner, mode, decoded_length, key_, info_, std::string(kSeed));
  }

 private:
  // One chunk signed after the previous one; evaluation order matters, hence chunks().
  std::string chunk(std::string_view data) {
    previous_ = sigv4::sign(key_, sigv4::chunk_string_to_sign(info_, previous_, common::sha256_hex(data)));
    char hex[32];
    std::snprintf(hex, sizeof hex, "%zx", data.size());
    std::string out = std::string(hex) + ";chunk-signature=" + previous_ + "\r\n";
    if (!data.empty()) {
      out.append(data).append("\r\n");
    }
    return out;
  }

  common::Sha256Digest key_;
  sigv4::SignedInfo info_;
  std::string previous_;
};

std::string signed_trailer_body() {
  BodySigner signer;
  std::string body = signer.chunks({"hello", "abc"});
  return body + signer.trailer("x-amz-checksum-crc32:AAAAAA==\r\n", "x-amz-checksum-crc32:AAAAAA==\n");
}

struct Outcome {
  ChunkedError error;
  std::string data;
};

Outcome decode_signed(const std::string& body, ChunkedMode mode, int64_t decoded_length, size_t piece = SIZE_MAX) {
  FakeBody inner(body, piece);
  BodySigner signer;
  AwsChunkedReader reader = signer.reader(inner, mode, decoded_length);
  Decoded out = read_all(reader, 4096);
  EXPECT_EQ(out.last, reader.error() == ChunkedError::None ? 0 : -1);
  return {reader.error(), out.data};
}

TEST(AwsChunked, GeneratedSignedBodiesDecode) {
  EXPECT_EQ(decode_signed(signed_trailer_body(), ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::None);
  BodySigner signer;
  std::string body = signer.chunks({"hello"}) + "\r\n";
  Outcome outcome = decode_signed(body, ChunkedMode::Signed, 5);
  EXPECT_EQ(outcome.error, ChunkedError::None);
  EXPECT_EQ(outcome.data, "hello");
  // The final empty line may be missing at EOF.
  EXPECT_EQ(decode_signed(body.substr(0, body.size() - 2), ChunkedMode::Signed, 5).error, ChunkedError::None);
  // Signatures may arrive in upper case.
  std::string upper = body;
  for (size_t at = upper.find("signature="); at != std::string::npos; at = upper.find("signature=", at + 1)) {
    std::transform(upper.begin() + at + 10, upper.begin() + at + 74, upper.begin() + at + 10,
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  }
  ASSERT_NE(upper, body);
  EXPECT_EQ(decode_signed(upper, ChunkedMode::Signed, 5).error, ChunkedError::None);
}

TEST(AwsChunked, FlippedChunkSignatureFailsBeforeTheEnd) {
  const std::string body = signed_trailer_body();
  size_t first = body.find("chunk-signature=");
  // Every chunk's signature, the final one's included.
  for (size_t at = first; at != std::string::npos; at = body.find("chunk-signature=", at + 1)) {
    std::string flipped = body;
    char& c = flipped[at + 16 + 20];
    c = c == 'f' ? 'e' : 'f';
    for (size_t piece : {SIZE_MAX, size_t{1}}) {
      EXPECT_EQ(decode_signed(flipped, ChunkedMode::SignedWithTrailer, 8, piece).error, ChunkedError::SignatureMismatch)
          << "signature at " << at;
    }
  }
  // The second chunk's last byte is never returned when its signature is wrong.
  std::string flipped = body;
  size_t second = body.find("chunk-signature=", first + 1);
  flipped[second + 16] = flipped[second + 16] == 'f' ? 'e' : 'f';
  EXPECT_EQ(decode_signed(flipped, ChunkedMode::SignedWithTrailer, 8, 1).data, "helloab");
}

TEST(AwsChunked, AlteredChunkDataFailsItsSignature) {
  std::string body = signed_trailer_body();
  body[body.find("hello")] = 'j';
  EXPECT_EQ(decode_signed(body, ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::SignatureMismatch);
}

TEST(AwsChunked, SignedTrailerFailures) {
  BodySigner signer;
  std::string chunks = signer.chunks({"hello", "abc"});
  // Signed over a different value.
  std::string body = chunks + signer.trailer("x-amz-checksum-crc32:AAAAAA==\r\n", "x-amz-checksum-crc32:AAAAAB==\n");
  EXPECT_EQ(decode_signed(body, ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::SignatureMismatch);
  // A trailer added after signing.
  std::string good = signed_trailer_body();
  std::string added = good;
  added.insert(added.find("x-amz-trailer-signature"), "x-amz-meta-evil:1\r\n");
  EXPECT_EQ(decode_signed(added, ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::SignatureMismatch);
  // Missing signature line.
  std::string missing = chunks + "x-amz-checksum-crc32:AAAAAA==\r\n\r\n";
  EXPECT_EQ(decode_signed(missing, ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::Malformed);
  EXPECT_EQ(decode_signed(chunks + "x-amz-checksum-crc32:AAAAAA==\r\n", ChunkedMode::SignedWithTrailer, 8).error,
            ChunkedError::Truncated);
  // Anything after the signature line but the empty line.
  std::string after = good.substr(0, good.size() - 2) + "x-amz-meta-late:1\r\n\r\n";
  EXPECT_EQ(decode_signed(after, ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::Malformed);
  // Trailers in a signed body that announced none.
  EXPECT_EQ(decode_signed(good, ChunkedMode::Signed, 8).error, ChunkedError::Malformed);
}

// Signers hash "name:value\n" with lower-case names and trimmed values; both that and the text
// as received are accepted.
TEST(AwsChunked, TrailerSignatureOverCanonicalOrReceivedText) {
  BodySigner canonical_signer;
  std::string chunks = canonical_signer.chunks({"hi"});
  std::string canonical = chunks + canonical_signer.trailer("X-Amz-Meta-Foo: bar\r\n", "x-amz-meta-foo:bar\n");
  Outcome outcome = decode_signed(canonical, ChunkedMode::SignedWithTrailer, 2);
  EXPECT_EQ(outcome.error, ChunkedError::None);
  BodySigner raw_signer;
  chunks = raw_signer.chunks({"hi"});
  std::string raw = chunks + raw_signer.trailer("X-Amz-Meta-Foo: bar\r\n", "X-Amz-Meta-Foo: bar\n");
  EXPECT_EQ(decode_signed(raw, ChunkedMode::SignedWithTrailer, 2).error, ChunkedError::None);
  // No trailers at all: the signature covers the empty text.
  BodySigner empty_signer;
  chunks = empty_signer.chunks({"hi"});
  EXPECT_EQ(decode_signed(chunks + empty_signer.trailer("", ""), ChunkedMode::SignedWithTrailer, 2).error,
            ChunkedError::None);
}

TEST(AwsChunked, SignedTruncationAndLength) {
  const std::string body = signed_trailer_body();
  // Accepted cuts: only after the signature line (with or without the closing empty line).
  size_t complete = body.size() - 2;
  for (size_t cut = 0; cut < complete; ++cut) {
    EXPECT_EQ(decode_signed(body.substr(0, cut), ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::Truncated)
        << "cut at " << cut;
  }
  EXPECT_EQ(decode_signed(body.substr(0, complete), ChunkedMode::SignedWithTrailer, 8).error, ChunkedError::None);
  EXPECT_EQ(decode_signed(body, ChunkedMode::SignedWithTrailer, 9).error, ChunkedError::LengthMismatch);
  EXPECT_EQ(decode_signed(body, ChunkedMode::SignedWithTrailer, 7).error, ChunkedError::LengthMismatch);
}

TEST(AwsChunked, SignedChunkHeadersMustCarryAValidSignature) {
  EXPECT_EQ(decode_signed("5\r\nhello\r\n0\r\n\r\n", ChunkedMode::Signed, 5).error, ChunkedError::Malformed);
  EXPECT_EQ(decode_signed("5;chunk-signature=abc\r\nhello\r\n", ChunkedMode::Signed, 5).error, ChunkedError::Malformed);
  EXPECT_EQ(decode_signed("5;chunk-signature=" + std::string(64, 'g') + "\r\nhello\r\n", ChunkedMode::Signed, 5).error,
            ChunkedError::Malformed);
  // A well-formed but wrong signature is a mismatch.
  EXPECT_EQ(decode_signed("5;chunk-signature=" + std::string(64, 'a') + "\r\nhello\r\n", ChunkedMode::Signed, 5).error,
            ChunkedError::SignatureMismatch);
  // Signed mode without a key cannot verify anything.
  BodySigner signer;
  std::string body = signer.chunks({"hello"}) + "\r\n";
  FakeBody inner(body);
  AwsChunkedReader reader(inner, ChunkedMode::Signed, 5);
  EXPECT_EQ(read_all(reader).last, -1);
  EXPECT_EQ(reader.error(), ChunkedError::SignatureMismatch);
}

// A large chunk streams through without being buffered whole: reads never return more than
// the caller asked for and the decoder keeps pace with a slow, small-piece inner body.
TEST(AwsChunked, LargeSignedChunkStreams) {
  BodySigner signer;
  std::string data(3 * 1024 * 1024 + 17, 'z');
  for (size_t i = 0; i < data.size(); i += 4093) {
    data[i] = static_cast<char>('a' + i % 26);
  }
  std::string body = signer.chunks({data}) + "\r\n";
  FakeBody inner(body, 1500);
  AwsChunkedReader reader = signer.reader(inner, ChunkedMode::Signed, static_cast<int64_t>(data.size()));
  std::string out;
  char buffer[65536];
  for (;;) {
    long n = reader.read(buffer, sizeof buffer);
    ASSERT_GE(n, 0) << reader.error_message();
    ASSERT_LE(n, 1500);
    if (n == 0) {
      break;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_TRUE(out == data);
}

}  // namespace
