// rest-xml request decoding: URI labels, query string, headers and the XML (or raw) payload
// -> Json keyed by member name, the inverse of botocore's RestXMLSerializer; then validation.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "aws/protocol/codec.h"
#include "aws/protocol/rest_shared.h"
#include "aws/protocol/timestamp.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/xml.h"

namespace aws::protocol {
namespace {

using common::xml::Element;
using model::Member;
using model::Shape;
using model::ShapeType;

AwsError malformed_xml() {
  return make_aws_error("MalformedXML", 400,
                        "The XML you provided was not well-formed or did not validate against our published schema");
}

bool blank(std::string_view s) { return common::trim(s).empty(); }

const char* type_text(ShapeType type) {
  switch (type) {
    case ShapeType::Integer:
    case ShapeType::Long: return "an integer";
    case ShapeType::Float:
    case ShapeType::Double: return "a number";
    case ShapeType::Boolean: return "a boolean";
    case ShapeType::Timestamp: return "a date";
    default: return "a value";
  }
}

// Text -> the Json of a scalar shape; nullopt when the text is not of that type. Strings and
// blobs (already base64 on the wire) are kept as they are.
std::optional<Json> scalar(const Shape& shape, std::string_view raw) {
  switch (shape.type) {
    case ShapeType::Integer:
    case ShapeType::Long: {
      const std::string_view text = common::trim(raw);
      int64_t value = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
          (shape.type == ShapeType::Integer && (value > INT32_MAX || value < INT32_MIN))) {
        return std::nullopt;
      }
      return Json(value);
    }
    case ShapeType::Float:
    case ShapeType::Double: {
      const std::string text(common::trim(raw));
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
      }
      return Json(value);
    }
    case ShapeType::Boolean: {
      const std::string_view text = common::trim(raw);
      if (common::iequals(text, "true")) {
        return Json(true);
      }
      if (common::iequals(text, "false")) {
        return Json(false);
      }
      return std::nullopt;
    }
    case ShapeType::Timestamp:
      if (auto seconds = parse_any_timestamp(common::trim(raw))) {
        return Json(*seconds);
      }
      return std::nullopt;
    case ShapeType::Blob: {
      std::string compact;  // base64 may be wrapped
      for (char c : raw) {
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          compact += c;
        }
      }
      return Json(std::move(compact));
    }
    default: return Json(std::string(raw));
  }
}

// A header list value: comma-separated, items optionally double-quoted with \" escapes (the
// inverse of botocore's _escape_header_list_string).
std::vector<std::string> split_header_list(std::string_view value) {
  std::vector<std::string> items;
  size_t i = 0;
  while (i <= value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) {
      ++i;
    }
    std::string item;
    if (i < value.size() && value[i] == '"') {
      ++i;
      while (i < value.size() && value[i] != '"') {
        if (value[i] == '\\' && i + 1 < value.size()) {
          ++i;
        }
        item += value[i++];
      }
      ++i;  // closing quote
      while (i < value.size() && value[i] != ',') {
        ++i;
      }
    } else {
      size_t comma = value.find(',', i);
      if (comma == std::string_view::npos) {
        comma = value.size();
      }
      item = std::string(common::trim(value.substr(i, comma - i)));
      i = comma;
    }
    if (!item.empty()) {
      items.push_back(std::move(item));
    }
    ++i;  // past the comma
  }
  return items;
}

// Decodes the parts of a request outside the XML body; the first type error wins.
class PartsDecoder {
 public:
  PartsDecoder(const model::ServiceModel& service, const RestRequest& request) : service_(service), request_(request) {}

  // Decodes one non-body member into `out` (absent members are left out).
  void member(const Shape& input, const Member& member, const std::string& literal_query, Json& out) {
    const Shape& shape = service_.shape(member.shape);
    const std::string_view wire = rest::wire_name(member);
    switch (member.location) {
      case model::Location::Uri:
        for (const auto& [name, value] : request_.labels) {
          if (name == wire) {
            set(out, member, shape, wire, value);
            break;
          }
        }
        return;
      case model::Location::QueryString: query(input, member, shape, wire, literal_query, out); return;
      case model::Location::Header: header(member, shape, wire, out); return;
      case model::Location::Headers: prefix_headers(shape, wire, member, out); return;
      case model::Location::Body:
      case model::Location::StatusCode: return;
    }
  }

  std::optional<AwsError>& error() { return error_; }

 private:
  void set(Json& out, const Member& member, const Shape& shape, std::string_view wire, std::string_view text) {
    if (auto value = scalar(shape, text)) {
      out[std::string(member.name)] = std::move(*value);
    } else {
      bad_value(shape, wire, text);
    }
  }

  void bad_value(const Shape& shape, std::string_view wire, std::string_view text) {
    if (error_) {
      return;
    }
    error_ = make_aws_error("InvalidArgument", 400,
                            "Invalid value for " + std::string(wire) + ": '" + std::string(text) + "' is not " +
                                type_text(shape.type))
                 .with("ArgumentName", std::string(wire))
                 .with("ArgumentValue", std::string(text));
  }

  void query(const Shape& input, const Member& member, const Shape& shape, std::string_view wire,
             const std::string& literal_query, Json& out) {
    if (shape.type == ShapeType::Map) {
      // A querystring map takes every parameter no other member (nor the requestUri) names.
      Json map = Json::object();
      for (const auto& [key, value] : request_.query) {
        if (!claimed(input, key, literal_query) && !map.contains(key)) {
          map[key] = value;
        }
      }
      if (!map.empty()) {
        out[std::string(member.name)] = std::move(map);
      }
      return;
    }
    if (shape.type == ShapeType::List) {
      const Shape& item_shape = service_.shape(shape.list_member);
      Json list = Json::array();
      for (const auto& [key, value] : request_.query) {
        if (key != wire) {
          continue;
        }
        if (auto item = scalar(item_shape, value)) {
          list.push_back(std::move(*item));
        } else {
          bad_value(item_shape, wire, value);
        }
      }
      if (!list.empty()) {
        out[std::string(member.name)] = std::move(list);
      }
      return;
    }
    for (const auto& [key, value] : request_.query) {
      if (key == wire) {
        set(out, member, shape, wire, value);  // the first occurrence wins
        return;
      }
    }
  }

  // Whether a query key belongs to a querystring member, the requestUri's literal parts, or
  // presigned-URL authentication.
  static bool claimed(const Shape& input, std::string_view key, const std::string& literal_query) {
    for (uint16_t i = 0; i < input.member_count; ++i) {
      const Member& m = input.members[i];
      if (m.location == model::Location::QueryString && rest::wire_name(m) == key) {
        return true;
      }
    }
    for (std::string_view part : common::split(literal_query, '&')) {
      if (part.substr(0, part.find('=')) == key) {
        return true;
      }
    }
    return key.starts_with("X-Amz-");
  }

  void header(const Member& member, const Shape& shape, std::string_view wire, Json& out) {
    if (request_.headers == nullptr) {
      return;
    }
    const std::string* first = nullptr;
    std::string joined;  // every occurrence, for lists
    for (const http::Header& h : *request_.headers) {
      if (!common::iequals(h.name, wire)) {
        continue;
      }
      if (first == nullptr) {
        first = &h.value;
      }
      if (!joined.empty()) {
        joined += ',';
      }
      joined += h.value;
    }
    if (first == nullptr) {
      return;
    }
    if (shape.type == ShapeType::List) {
      const Shape& item_shape = service_.shape(shape.list_member);
      Json list = Json::array();
      for (const std::string& text : split_header_list(joined)) {
        if (auto item = scalar(item_shape, text)) {
          list.push_back(std::move(*item));
        } else {
          bad_value(item_shape, wire, text);
        }
      }
      out[std::string(member.name)] = std::move(list);
      return;
    }
    if (member.json_value && shape.type == ShapeType::String) {
      std::string decoded;
      Json parsed = Json::value_t::discarded;
      if (common::base64_decode(common::trim(*first), decoded) && !decoded.empty()) {
        parsed = Json::parse(decoded, nullptr, /*allow_exceptions=*/false);
      }
      if (parsed.is_discarded()) {
        if (!error_) {
          error_ = make_aws_error("InvalidArgument", 400,
                                  "Invalid value for " + std::string(wire) + ": not base64-encoded JSON")
                       .with("ArgumentName", std::string(wire))
                       .with("ArgumentValue", *first);
        }
        return;
      }
      out[std::string(member.name)] = std::move(parsed);
      return;
    }
    set(out, member, shape, wire, shape.type == ShapeType::String ? std::string_view(*first) : common::trim(*first));
  }

  void prefix_headers(const Shape& shape, std::string_view prefix, const Member& member, Json& out) {
    if (request_.headers == nullptr || shape.type != ShapeType::Map) {
      return;
    }
    Json map = Json::object();
    for (const http::Header& h : *request_.headers) {
      if (h.name.size() <= prefix.size() || !common::starts_with_icase(h.name, prefix)) {
        continue;
      }
      const std::string key = common::to_lower(std::string_view(h.name).substr(prefix.size()));
      auto it = map.find(key);
      if (it == map.end()) {
        map[key] = h.value;
      } else {
        it->get_ref<std::string&>() += "," + h.value;  // repeated headers combine, as HTTP does
      }
    }
    if (!map.empty()) {
      out[std::string(member.name)] = std::move(map);
    }
  }

  const model::ServiceModel& service_;
  const RestRequest& request_;
  std::optional<AwsError> error_;
};

// Decodes XML elements per shape; any mismatch makes the document invalid (MalformedXML).
class XmlBodyDecoder {
 public:
  explicit XmlBodyDecoder(const model::ServiceModel& service) : service_(service) {}

  // The members of `shape` found in `element` (only Body members: the top-level input's others
  // come from the URI, query and headers).
  bool members(const Shape& shape, const Element& element, Json& out) {
    for (uint16_t i = 0; i < shape.member_count; ++i) {
      const Member& member = shape.members[i];
      if (member.location != model::Location::Body) {
        continue;
      }
      const Shape& member_shape = service_.shape(member.shape);
      const std::string_view wire = rest::wire_name(member);
      if (member.xml_attribute) {
        if (const std::string* text = element.attribute(wire)) {
          auto value = scalar(member_shape, *text);
          if (!value) {
            return false;
          }
          out[std::string(member.name)] = std::move(*value);
        }
        continue;
      }
      const bool flattened = member.flattened || member_shape.flattened;
      if (flattened && (member_shape.type == ShapeType::List || member_shape.type == ShapeType::Map)) {
        Json value;
        if (!flattened_collection(member_shape, wire, element, value)) {
          return false;
        }
        if (!value.is_null()) {
          out[std::string(member.name)] = std::move(value);
        }
        continue;
      }
      const Element* child = element.child(wire);
      if (child == nullptr) {
        continue;
      }
      Json value;
      if (!decode(member.shape, *child, value)) {
        return false;
      }
      out[std::string(member.name)] = std::move(value);
    }
    return true;
  }

  // The value `element` holds for shape `index`.
  bool decode(uint16_t index, const Element& element, Json& out) {
    const Shape& shape = service_.shape(index);
    switch (shape.type) {
      case ShapeType::Structure: out = Json::object(); return members(shape, element, out);
      case ShapeType::List:
        // Wrapped: every child element is an item (botocore reads them regardless of name).
        out = Json::array();
        for (const Element& item : element.children) {
          Json value;
          if (!decode(shape.list_member, item, value)) {
            return false;
          }
          out.push_back(std::move(value));
        }
        return true;
      case ShapeType::Map:
        out = Json::object();
        for (const Element& entry : element.children) {
          if (!map_entry(shape, entry, out)) {
            return false;
          }
        }
        return true;
      default: {
        if (!element.children.empty()) {
          return false;  // a scalar with elements inside
        }
        auto value = scalar(shape, element.text);
        if (!value) {
          return false;
        }
        out = std::move(*value);
        return true;
      }
    }
  }

 private:
  // Repeated elements directly inside `parent`; `out` stays null when there are none.
  bool flattened_collection(const Shape& shape, std::string_view wire, const Element& parent, Json& out) {
    const std::string_view item_name =
        shape.type == ShapeType::List ? rest::flattened_item_name(shape, wire) : std::string_view(wire);
    for (const Element& child : parent.children) {
      // botocore's serializer repeats the member's name; its parser the list member's name.
      if (child.name != item_name && child.name != wire) {
        continue;
      }
      if (out.is_null()) {
        out = shape.type == ShapeType::List ? Json::array() : Json::object();
      }
      if (shape.type == ShapeType::Map) {
        if (!map_entry(shape, child, out)) {
          return false;
        }
        continue;
      }
      Json value;
      if (!decode(shape.list_member, child, value)) {
        return false;
      }
      out.push_back(std::move(value));
    }
    return true;
  }

  // <entry><key>k</key><value>v</value></entry> (element names per the model).
  bool map_entry(const Shape& shape, const Element& entry, Json& out) {
    const std::string_view key_name = shape.map_key_location_name.empty() ? "key" : shape.map_key_location_name;
    const std::string_view value_name = shape.map_value_location_name.empty() ? "value" : shape.map_value_location_name;
    const Element* key = entry.child(key_name);
    if (key == nullptr) {
      return false;
    }
    Json value;
    if (const Element* v = entry.child(value_name)) {
      if (!decode(shape.map_value, *v, value)) {
        return false;
      }
    }
    out[key->text] = std::move(value);
    return true;
  }

  const model::ServiceModel& service_;
};

// The XML document in `body`, whose root must be named `root` (when not empty).
Result<Json, AwsError> decode_document(const model::ServiceModel& service, uint16_t shape, std::string_view root,
                                       std::string_view body) {
  auto document = common::xml::parse(body, kMaxRestXmlBodyBytes);
  if (!document.ok() || (!root.empty() && document->name != root)) {
    return common::fail(malformed_xml());
  }
  XmlBodyDecoder decoder(service);
  Json value;
  if (!decoder.decode(shape, *document, value)) {
    return common::fail(malformed_xml());
  }
  return value;
}

bool has_body_members(const Shape& shape) {
  for (uint16_t i = 0; i < shape.member_count; ++i) {
    if (shape.members[i].location == model::Location::Body) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<Json, AwsError> decode_rest_xml(const model::ServiceModel& service, const model::Operation& op,
                                       const RestRequest& request) {
  if (op.input == model::kNoShape) {
    return Json::object();
  }
  const Shape& input = service.shape(op.input);
  const size_t question = op.request_uri.find('?');
  const std::string literal_query(question == std::string_view::npos ? std::string_view()
                                                                     : op.request_uri.substr(question + 1));
  Json out = Json::object();
  PartsDecoder parts(service, request);
  for (uint16_t i = 0; i < input.member_count; ++i) {
    parts.member(input, input.members[i], literal_query, out);
    if (parts.error()) {
      return common::fail(std::move(*parts.error()));
    }
  }

  if (const Member* payload = rest::payload_member(input)) {
    const Shape& payload_shape = service.shape(payload->shape);
    if (rest::is_raw(payload_shape.type)) {
      // A streaming body is the handler's to read; a small one (a bucket policy) is the value.
      if (!payload->streaming && !payload_shape.streaming && !request.body.empty()) {
        out[std::string(payload->name)] =
            payload_shape.type == ShapeType::Blob ? common::base64_encode(request.body) : std::string(request.body);
      }
    } else if (blank(request.body)) {
      if (payload->required) {
        return common::fail(make_aws_error("MissingRequestBodyError", 400, "Request body is empty."));
      }
    } else {
      auto value = decode_document(service, payload->shape, rest::wire_name(*payload), request.body);
      if (!value.ok()) {
        return common::fail(std::move(value).error());
      }
      out[std::string(payload->name)] = std::move(*value);
    }
  } else if (has_body_members(input) && !blank(request.body)) {
    auto document = common::xml::parse(request.body, kMaxRestXmlBodyBytes);
    if (!document.ok()) {
      return common::fail(malformed_xml());
    }
    XmlBodyDecoder decoder(service);
    if (!decoder.members(input, *document, out)) {
      return common::fail(malformed_xml());
    }
  }

  std::vector<std::string> errors;
  validate(service, op.input, out, "", errors);
  if (!errors.empty()) {
    return common::fail(make_aws_error("InvalidArgument", 400, validation_message(errors)));
  }
  return out;
}

}  // namespace aws::protocol
