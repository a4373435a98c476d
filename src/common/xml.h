// A small XML DOM for request bodies (parsed with expat) and a writer for responses.
// The DOM keeps what AWS's XML protocols need: element names (namespace prefix stripped),
// attributes as written, the element's own character data, and child elements in order.
// Comments and processing instructions are dropped; DOCTYPE declarations are refused (no
// entity expansion reaches us).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace common::xml {

struct Element {
  std::string name;                                             // local name: "Delete" for <s3:Delete>
  std::vector<std::pair<std::string, std::string>> attributes;  // as written: {"xsi:type", "CanonicalUser"}
  std::string text;                                             // character data directly inside, concatenated
  std::vector<Element> children;

  // The first child element with this local name; nullptr when there is none.
  const Element* child(std::string_view local_name) const;
  // An attribute by its name as written ("xsi:type"), else by local name ("type").
  const std::string* attribute(std::string_view name) const;
};

constexpr size_t kMaxDepth = 64;

// Parses a whole document. Fails (ErrorKind::InvalidArgument, with line and column) on
// malformed XML, a DOCTYPE, nesting deeper than kMaxDepth, or more than `max_bytes` of input.
Result<Element> parse(std::string_view document, size_t max_bytes);

// Appends escaped character data / attribute values to `out`.
void append_escaped_text(std::string& out, std::string_view text);
void append_escaped_attribute(std::string& out, std::string_view value);

// Writes a document into a string, escaping as it goes:
//   Writer w; w.declaration(); w.start("Tagging"); w.attribute("xmlns", ns);
//   w.element("Key", "a&b"); w.end(); std::string body = w.take();
// An element closed with nothing inside is written as <Name/>.
class Writer {
 public:
  // <?xml version="1.0" encoding="UTF-8"?> and a newline, as S3 writes it.
  void declaration();
  void start(std::string_view name);
  // Only between start() and the element's first content.
  void attribute(std::string_view name, std::string_view value);
  void text(std::string_view text);
  void end();
  // <name>text</name>
  void element(std::string_view name, std::string_view text);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void close_start_tag();

  std::string out_;
  std::vector<std::string> open_;
  bool start_tag_open_ = false;
};

}  // namespace common::xml
