// rest-xml response encoding: handler Json -> headers, status and an XML (or raw) body, as
// botocore's RestXMLParser reads them.
#include <cmath>
#include <string>

#include "aws/protocol/codec.h"
#include "aws/protocol/rest_shared.h"
#include "aws/protocol/timestamp.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "common/xml.h"

namespace aws::protocol {
namespace {

using common::xml::Writer;
using model::Member;
using model::Shape;
using model::ShapeType;

std::string number_text(const Json& value) {
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
      return std::to_string(static_cast<int64_t>(d));
    }
  }
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Epoch seconds (or a parseable string) in the given format; "" format = `fallback`.
std::string timestamp_text(const Json& value, std::string_view format, std::string_view fallback) {
  double seconds = 0;
  if (value.is_number()) {
    seconds = value.get<double>();
  } else if (value.is_string()) {
    auto parsed = parse_any_timestamp(value.get_ref<const std::string&>());
    if (!parsed) {
      return value.get<std::string>();
    }
    seconds = *parsed;
  } else {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  const std::string_view f = format.empty() ? fallback : format;
  if (f == "rfc822") {
    return format_rfc822(seconds);
  }
  if (f == "unixTimestamp") {
    return number_text(Json(seconds));
  }
  return format_iso8601_millis(seconds);
}

// A scalar's text; timestamps per `format` (member or shape), else `fallback`.
std::string scalar_text(const Shape& shape, const Json& value, std::string_view format, std::string_view fallback) {
  if (shape.type == ShapeType::Timestamp) {
    return timestamp_text(value, format.empty() ? shape.timestamp_format : format, fallback);
  }
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? "true" : "false";
  }
  if (value.is_number()) {
    return number_text(value);
  }
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// botocore's _escape_header_list_string: quote items holding a comma or a double quote.
std::string header_list_item(const std::string& item) {
  if (item.find_first_of(",\"") == std::string::npos) {
    return item;
  }
  std::string out = "\"";
  for (char c : item) {
    if (c == '"') {
      out += '\\';
    }
    out += c;
  }
  return out + '"';
}

class XmlBodyEncoder {
 public:
  XmlBodyEncoder(const model::ServiceModel& service, Writer& writer) : service_(service), w_(writer) {}

  // <name ns attrs>members</name> for a structure; for the document root `ns` is the
  // namespace to declare.
  void structure(const Shape& shape, std::string_view name, const model::XmlNamespace& ns, const Json& value) {
    w_.start(name);
    declare(ns);
    attributes(shape, value);
    children(shape, value);
    w_.end();
  }

  // The root element whose text is its only scalar member's value (S3's GetBucketLocation).
  bool text_root(const Shape& shape, std::string_view name, const model::XmlNamespace& ns, const Json& value) {
    const Member* only = nullptr;
    for (uint16_t i = 0; i < shape.member_count; ++i) {
      if (shape.members[i].location != model::Location::Body) {
        continue;
      }
      if (only != nullptr) {
        return false;
      }
      only = &shape.members[i];
    }
    if (only == nullptr || rest::wire_name(*only) != name || only->xml_attribute) {
      return false;
    }
    const Shape& member_shape = service_.shape(only->shape);
    if (member_shape.type == ShapeType::Structure || member_shape.type == ShapeType::List ||
        member_shape.type == ShapeType::Map) {
      return false;
    }
    w_.start(name);
    declare(ns);
    auto it = value.find(std::string(only->name));
    if (it != value.end() && !it->is_null()) {
      w_.text(scalar_text(member_shape, *it, only->timestamp_format, "iso8601"));
    }
    w_.end();
    return true;
  }

 private:
  void declare(const model::XmlNamespace& ns) {
    if (ns.uri.empty()) {
      return;
    }
    if (ns.prefix.empty()) {
      w_.attribute("xmlns", ns.uri);
    } else {
      w_.attribute("xmlns:" + std::string(ns.prefix), ns.uri);
    }
  }

  void attributes(const Shape& shape, const Json& value) {
    if (!value.is_object()) {
      return;
    }
    for (uint16_t i = 0; i < shape.member_count; ++i) {
      const Member& member = shape.members[i];
      if (!member.xml_attribute || member.location != model::Location::Body) {
        continue;
      }
      auto it = value.find(std::string(member.name));
      if (it != value.end() && !it->is_null()) {
        w_.attribute(rest::wire_name(member),
                     scalar_text(service_.shape(member.shape), *it, member.timestamp_format, "iso8601"));
      }
    }
  }

  void children(const Shape& shape, const Json& value) {
    if (!value.is_object()) {
      return;
    }
    for (uint16_t i = 0; i < shape.member_count; ++i) {
      const Member& member = shape.members[i];
      if (member.xml_attribute || member.location != model::Location::Body) {
        continue;
      }
      auto it = value.find(std::string(member.name));
      if (it == value.end() || it->is_null()) {
        continue;
      }
      element(&member, member.shape, rest::wire_name(member), *it);
    }
  }

  // One value under `name`; flattened collections write their items in place.
  void element(const Member* member, uint16_t index, std::string_view name, const Json& value) {
    const Shape& shape = service_.shape(index);
    const bool flattened = shape.flattened || (member != nullptr && member->flattened);
    switch (shape.type) {
      case ShapeType::Structure: structure(shape, name, rest::namespace_of(member, shape), value); return;
      case ShapeType::List: {
        if (!value.is_array()) {
          return;
        }
        if (flattened) {
          const std::string_view item_name = rest::flattened_item_name(shape, name);
          for (const Json& item : value) {
            if (!item.is_null()) {
              element(nullptr, shape.list_member, item_name, item);
            }
          }
          return;
        }
        const std::string_view item_name =
            shape.list_member_location_name.empty() ? std::string_view("member") : shape.list_member_location_name;
        w_.start(name);
        declare(rest::namespace_of(member, shape));
        for (const Json& item : value) {
          if (!item.is_null()) {
            element(nullptr, shape.list_member, item_name, item);
          }
        }
        w_.end();
        return;
      }
      case ShapeType::Map: {
        if (!value.is_object()) {
          return;
        }
        const std::string_view key_name = shape.map_key_location_name.empty() ? "key" : shape.map_key_location_name;
        const std::string_view value_name =
            shape.map_value_location_name.empty() ? "value" : shape.map_value_location_name;
        if (!flattened) {
          w_.start(name);
          declare(rest::namespace_of(member, shape));
        }
        for (auto it = value.begin(); it != value.end(); ++it) {
          if (it->is_null()) {
            continue;
          }
          w_.start(flattened ? name : std::string_view("entry"));
          w_.element(key_name, it.key());
          element(nullptr, shape.map_value, value_name, it.value());
          w_.end();
        }
        if (!flattened) {
          w_.end();
        }
        return;
      }
      default:
        w_.start(name);
        declare(rest::namespace_of(member, shape));
        w_.text(scalar_text(shape, value, member != nullptr ? member->timestamp_format : "", "iso8601"));
        w_.end();
        return;
    }
  }

  const model::ServiceModel& service_;
  Writer& w_;
};

bool has_body_members(const Shape& shape) {
  for (uint16_t i = 0; i < shape.member_count; ++i) {
    if (shape.members[i].location == model::Location::Body) {
      return true;
    }
  }
  return false;
}

void header_members(const model::ServiceModel& service, const Shape& shape, const Json& output,
                    http::Response& response) {
  for (uint16_t i = 0; i < shape.member_count; ++i) {
    const Member& member = shape.members[i];
    auto it = output.find(std::string(member.name));
    if (it == output.end() || it->is_null()) {
      continue;
    }
    const Shape& member_shape = service.shape(member.shape);
    const std::string_view wire = rest::wire_name(member);
    switch (member.location) {
      case model::Location::Header: {
        if (common::iequals(wire, "Content-Length")) {
          continue;  // the HTTP layer frames the body it is given (or the file segments)
        }
        std::string text;
        if (member_shape.type == ShapeType::List) {
          if (!it->is_array()) {
            continue;
          }
          const Shape& item_shape = service.shape(member_shape.list_member);
          for (const Json& item : *it) {
            if (item.is_null()) {
              continue;
            }
            if (!text.empty()) {
              text += ',';
            }
            const std::string item_text = scalar_text(item_shape, item, "", "rfc822");
            text += item_shape.type == ShapeType::String ? header_list_item(item_text) : item_text;
          }
          if (text.empty()) {
            continue;  // botocore sends no header for an empty list
          }
        } else if (member.json_value) {
          text = common::base64_encode(it->dump(-1, ' ', false, Json::error_handler_t::replace));
        } else {
          text = scalar_text(member_shape, *it, member.timestamp_format, "rfc822");
        }
        response.set_header(std::string(wire), std::move(text));
        continue;
      }
      case model::Location::Headers: {
        if (!it->is_object()) {
          continue;
        }
        const Shape& value_shape = service.shape(member_shape.map_value);
        for (auto entry = it->begin(); entry != it->end(); ++entry) {
          if (!entry->is_null()) {
            response.set_header(std::string(wire) + entry.key(), scalar_text(value_shape, *entry, "", "rfc822"));
          }
        }
        continue;
      }
      case model::Location::StatusCode:
        if (it->is_number_integer()) {
          response.status = it->get<int>();
        }
        continue;
      case model::Location::Body:
      case model::Location::Uri:
      case model::Location::QueryString: continue;
    }
  }
}

void set_xml_body(Writer& writer, http::Response& response) {
  response.body = writer.take();
  response.set_header("Content-Type", "application/xml");
}

}  // namespace

void encode_rest_xml(const model::ServiceModel& service, const model::Operation& op, const Json& output,
                     http::Response& response) {
  if (op.output == model::kNoShape || !output.is_object()) {
    return;
  }
  const Shape& shape = service.shape(op.output);
  header_members(service, shape, output, response);

  const model::XmlNamespace service_ns{service.xml_namespace, ""};
  if (const Member* payload = rest::payload_member(shape)) {
    auto it = output.find(std::string(payload->name));
    if (it == output.end() || it->is_null()) {
      return;  // absent: no body at all
    }
    const Shape& payload_shape = service.shape(payload->shape);
    if (rest::is_raw(payload_shape.type)) {
      if (payload->streaming || payload_shape.streaming || !it->is_string()) {
        return;  // a stream is the caller's to send
      }
      if (payload_shape.type == ShapeType::Blob) {
        common::base64_decode(it->get_ref<const std::string&>(), response.body);
      } else {
        response.body = it->get<std::string>();
      }
      return;
    }
    if (payload_shape.type != ShapeType::Structure) {
      return;
    }
    Writer writer;
    writer.declaration();
    XmlBodyEncoder encoder(service, writer);
    const model::XmlNamespace& ns = rest::namespace_of(payload, payload_shape);
    encoder.structure(payload_shape, rest::wire_name(*payload), ns.uri.empty() ? service_ns : ns, *it);
    set_xml_body(writer, response);
    return;
  }
  if (!has_body_members(shape)) {
    return;
  }
  Writer writer;
  writer.declaration();
  XmlBodyEncoder encoder(service, writer);
  const std::string_view root = shape.xml_name.empty() ? shape.name : shape.xml_name;
  const model::XmlNamespace& ns = shape.xml_namespace.uri.empty() ? service_ns : shape.xml_namespace;
  if (!encoder.text_root(shape, root, ns, output)) {
    encoder.structure(shape, root, ns, output);
  }
  set_xml_body(writer, response);
}

std::string rest_xml_host_id(std::string_view request_id) {
  const common::Sha256Digest digest = common::sha256(request_id);
  return common::base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace aws::protocol
