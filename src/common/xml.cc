#include "common/xml.h"

#include <expat.h>

#include <algorithm>
#include <memory>

namespace common::xml {
namespace {

std::string_view local_name(std::string_view name) {
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Builds the DOM from expat's callbacks. `stack` points into the tree: only the innermost
// open element's children grow, so the pointers to its ancestors stay valid.
struct Builder {
  XML_Parser parser = nullptr;
  Element root;
  bool have_root = false;
  std::vector<Element*> stack;
  std::string error;  // set by a callback that stopped the parser

  void fail(std::string message) {
    if (error.empty()) {
      error = std::move(message);
    }
    XML_StopParser(parser, XML_FALSE);
  }
};

void on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto* b = static_cast<Builder*>(data);
  if (b->stack.size() >= kMaxDepth) {
    b->fail("elements nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  Element* element = nullptr;
  if (b->stack.empty()) {
    b->have_root = true;
    element = &b->root;
  } else {
    element = &b->stack.back()->children.emplace_back();
  }
  element->name = std::string(local_name(name));
  for (const XML_Char** a = attributes; a[0] != nullptr; a += 2) {
    element->attributes.emplace_back(a[0], a[1]);
  }
  b->stack.push_back(element);
}

void on_end(void* data, const XML_Char* /*name*/) {
  auto* b = static_cast<Builder*>(data);
  if (!b->stack.empty()) {
    b->stack.pop_back();
  }
}

void on_text(void* data, const XML_Char* text, int length) {
  auto* b = static_cast<Builder*>(data);
  if (!b->stack.empty() && length > 0) {
    b->stack.back()->text.append(text, static_cast<size_t>(length));
  }
}

void on_doctype(void* data, const XML_Char* /*name*/, const XML_Char* /*sysid*/, const XML_Char* /*pubid*/,
                int /*has_internal_subset*/) {
  static_cast<Builder*>(data)->fail("DOCTYPE declarations are not allowed");
}

Error parse_error(std::string message) { return make_error(ErrorKind::InvalidArgument, std::move(message)); }

struct ParserDeleter {
  void operator()(XML_ParserStruct* parser) const { XML_ParserFree(parser); }
};

}  // namespace

const Element* Element::child(std::string_view local) const {
  for (const Element& c : children) {
    if (c.name == local) {
      return &c;
    }
  }
  return nullptr;
}

const std::string* Element::attribute(std::string_view name) const {
  for (const auto& [key, value] : attributes) {
    if (key == name) {
      return &value;
    }
  }
  const std::string_view local = local_name(name);
  for (const auto& [key, value] : attributes) {
    if (local_name(key) == local) {
      return &value;
    }
  }
  return nullptr;
}

Result<Element> parse(std::string_view document, size_t max_bytes) {
  if (document.size() > max_bytes) {
    return fail(parse_error("XML document larger than " + std::to_string(max_bytes) + " bytes"));
  }
  std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate(nullptr));
  if (parser == nullptr) {
    return fail(make_error(ErrorKind::Internal, "cannot create an XML parser"));
  }
  Builder builder;
  builder.parser = parser.get();
  XML_SetUserData(parser.get(), &builder);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);

  constexpr size_t kChunk = size_t{1} << 24;  // XML_Parse takes an int length
  size_t offset = 0;
  XML_Status status = XML_STATUS_OK;
  do {
    const size_t n = std::min(kChunk, document.size() - offset);
    const bool last = offset + n == document.size();
    status = XML_Parse(parser.get(), document.data() + offset, static_cast<int>(n), last ? XML_TRUE : XML_FALSE);
    offset += n;
  } while (status == XML_STATUS_OK && offset < document.size());

  if (status != XML_STATUS_OK || !builder.error.empty()) {
    std::string where = "line " + std::to_string(XML_GetCurrentLineNumber(parser.get())) + ", column " +
                        std::to_string(XML_GetCurrentColumnNumber(parser.get()) + 1) + ": ";
    if (!builder.error.empty()) {
      return fail(parse_error(where + builder.error));
    }
    return fail(parse_error(where + XML_ErrorString(XML_GetErrorCode(parser.get()))));
  }
  if (!builder.have_root) {
    return fail(parse_error("no root element"));
  }
  return std::move(builder.root);
}

void append_escaped_text(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\r': out += "&#13;"; break;  // a raw CR would be read back as LF
      default: out += c;
    }
  }
}

void append_escaped_attribute(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;
      case '\n': out += "&#10;"; break;  // attribute values are whitespace-normalized on reading
      case '\t': out += "&#9;"; break;
      default: out += c;
    }
  }
}

void Writer::declaration() { out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }

void Writer::close_start_tag() {
  if (start_tag_open_) {
    out_ += '>';
    start_tag_open_ = false;
  }
}

void Writer::start(std::string_view name) {
  close_start_tag();
  out_ += '<';
  out_ += name;
  open_.emplace_back(name);
  start_tag_open_ = true;
}

void Writer::attribute(std::string_view name, std::string_view value) {
  if (!start_tag_open_) {
    return;  // misuse: the element already has content
  }
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  append_escaped_attribute(out_, value);
  out_ += '"';
}

void Writer::text(std::string_view text) {
  if (text.empty()) {
    return;
  }
  close_start_tag();
  append_escaped_text(out_, text);
}

void Writer::end() {
  if (open_.empty()) {
    return;
  }
  if (start_tag_open_) {
    out_ += "/>";
    start_tag_open_ = false;
  } else {
    out_ += "</";
    out_ += open_.back();
    out_ += '>';
  }
  open_.pop_back();
}

void Writer::element(std::string_view name, std::string_view text) {
  start(name);
  this->text(text);
  end();
}

}  // namespace common::xml
