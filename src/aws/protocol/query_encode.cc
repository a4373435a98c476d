// Query protocol response encoding: <OpResponse xmlns=..><OpResult>members</OpResult>
// <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></OpResponse>, as botocore's
// QueryParser reads it.
#include <string>

#include "aws/protocol/codec.h"
#include "aws/protocol/timestamp.h"
#include "common/strings.h"

namespace aws::protocol {
namespace {

using model::Shape;
using model::ShapeType;

class XmlEncoder {
 public:
  explicit XmlEncoder(const model::ServiceModel& service) : service_(service) {}

  void structure_members(const Shape& shape, const Json& value) {
    if (!value.is_object()) {
      return;
    }
    for (uint16_t i = 0; i < shape.member_count; ++i) {
      const model::Member& member = shape.members[i];
      auto it = value.find(std::string(member.name));
      if (it == value.end() || it->is_null()) {
        continue;
      }
      std::string_view wire = member.location_name.empty() ? member.name : member.location_name;
      element(member.shape, wire, *it, member.flattened);
    }
  }

  std::string& out() { return out_; }

 private:
  void open(std::string_view name) {
    out_ += '<';
    out_ += name;
    out_ += '>';
  }
  void close(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
  }

  // Writes <name>value</name> (or, for flattened collections, the repeated elements).
  void element(uint16_t index, std::string_view name, const Json& value, bool member_flattened) {
    const Shape& shape = service_.shape(index);
    switch (shape.type) {
      case ShapeType::Structure:
        open(name);
        structure_members(shape, value);
        close(name);
        return;
      case ShapeType::List: {
        if (!value.is_array()) {
          return;
        }
        if (shape.flattened || member_flattened) {
          std::string_view item_name =
              shape.list_member_location_name.empty() || shape.list_member_location_name == "member"
                  ? name
                  : shape.list_member_location_name;
          for (const Json& item : value) {
            if (!item.is_null()) {
              element(shape.list_member, item_name, item, false);
            }
          }
          return;
        }
        std::string_view item_name =
            shape.list_member_location_name.empty() ? std::string_view("member") : shape.list_member_location_name;
        open(name);
        for (const Json& item : value) {
          if (!item.is_null()) {
            element(shape.list_member, item_name, item, false);
          }
        }
        close(name);
        return;
      }
      case ShapeType::Map: {
        if (!value.is_object()) {
          return;
        }
        std::string_view key_name = shape.map_key_location_name.empty() ? "key" : shape.map_key_location_name;
        std::string_view value_name = shape.map_value_location_name.empty() ? "value" : shape.map_value_location_name;
        if (!shape.flattened) {
          open(name);
        }
        for (auto it = value.begin(); it != value.end(); ++it) {
          if (it->is_null()) {
            continue;
          }
          open(shape.flattened ? name : std::string_view("entry"));
          element(shape.map_key, key_name, Json(it.key()), false);
          element(shape.map_value, value_name, it.value(), false);
          close(shape.flattened ? name : std::string_view("entry"));
        }
        if (!shape.flattened) {
          close(name);
        }
        return;
      }
      default:
        open(name);
        out_ += common::xml_escape(scalar_text(shape, value));
        close(name);
        return;
    }
  }

  static std::string scalar_text(const Shape& shape, const Json& value) {
    if (shape.type == ShapeType::Timestamp) {
      if (value.is_number()) {
        return shape.timestamp_format == "unixTimestamp" ? value.dump() : format_iso8601(value.get<double>());
      }
      if (value.is_string()) {
        auto seconds = parse_timestamp(value.get_ref<const std::string&>());
        if (seconds && shape.timestamp_format != "unixTimestamp") {
          return format_iso8601(*seconds);
        }
      }
    }
    if (value.is_string()) {
      return value.get<std::string>();
    }
    if (value.is_boolean()) {
      return value.get<bool>() ? "true" : "false";
    }
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  const model::ServiceModel& service_;
  std::string out_;
};

}  // namespace

std::string encode_query(const model::ServiceModel& service, const model::Operation& op, const Json& output,
                         std::string_view request_id) {
  XmlEncoder xml(service);
  std::string& out = xml.out();
  out += '<';
  out += op.name;
  out += "Response xmlns=\"";
  out += common::xml_escape(service.xml_namespace);
  out += "\">";
  if (op.output != model::kNoShape) {
    std::string wrapper = op.result_wrapper.empty() ? std::string(op.name) + "Result" : std::string(op.result_wrapper);
    out += '<' + wrapper + '>';
    xml.structure_members(service.shape(op.output), output);
    out += "</" + wrapper + '>';
  }
  out += "<ResponseMetadata><RequestId>";
  out += common::xml_escape(request_id);
  out += "</RequestId></ResponseMetadata></";
  out += op.name;
  out += "Response>";
  return std::move(out);
}

}  // namespace aws::protocol
