// OCI content digests ("sha256:<64 hex>"): parsing and validation. Only sha256 is stored;
// sha512 digests parse (so they can be refused with DIGEST_INVALID / UNSUPPORTED) but are
// never produced.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace oci {

struct Digest {
  std::string algorithm;  // "sha256" | "sha512"
  std::string hex;        // lower-case hex of the right length for the algorithm
  std::string str() const { return algorithm + ":" + hex; }
};

// Parses "<algorithm>:<hex>" as the OCI image spec's digest grammar, requiring a known
// algorithm (sha256: 64 hex, sha512: 128 hex) and lower-case hex. nullopt otherwise.
std::optional<Digest> parse_digest(std::string_view text);
// True when `text` looks like a digest reference rather than a tag (contains ':').
inline bool is_digest_reference(std::string_view text) { return text.find(':') != std::string_view::npos; }
// OCI tag grammar: [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
bool valid_tag(std::string_view tag);
// "sha256:" + hex(sha256(bytes)).
std::string sha256_digest(std::string_view bytes);

}  // namespace oci
