// JSON 1.1 (and rest-json body) codec. Decoding type-checks against the input shape with
// Coral's SerializationException texts, drops unknown members (AWS ignores them), turns
// timestamps into epoch seconds, then validates.
#include <cmath>
#include <string>

#include "aws/protocol/codec.h"
#include "aws/protocol/timestamp.h"

namespace aws::protocol {
namespace {

using model::Shape;
using model::ShapeType;

const char* token_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string: return "STRING_VALUE";
    case Json::value_t::boolean: return "BOOLEAN_VALUE";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "NUMBER_VALUE";
    default: return "VALUE";
  }
}

const char* type_name(ShapeType type) {
  switch (type) {
    case ShapeType::Structure: return "a Structure";
    case ShapeType::List: return "a List";
    case ShapeType::Map: return "a Map";
    case ShapeType::String: return "a String";
    case ShapeType::Integer: return "an Integer";
    case ShapeType::Long: return "a Long";
    case ShapeType::Float: return "a Float";
    case ShapeType::Double: return "a Double";
    case ShapeType::Boolean: return "a Boolean";
    case ShapeType::Timestamp: return "a Timestamp";
    case ShapeType::Blob: return "a Blob";
  }
  return "a value";
}

// The message for a JSON value of the wrong kind, as Coral words it.
std::string mismatch(const Json& value, ShapeType expected) {
  if (value.is_object()) {
    return "Start of structure or map found where not expected.";
  }
  if (value.is_array()) {
    return "Start of list found where not expected";
  }
  return std::string(token_name(value)) + " can not be converted to " + type_name(expected);
}

bool wants_object(ShapeType type) { return type == ShapeType::Structure || type == ShapeType::Map; }

// Converts `in` per shape into `out`; false with `error` set on a type mismatch.
bool decode_value(const model::ServiceModel& service, uint16_t index, const Json& in, Json& out, std::string& error) {
  const Shape& shape = service.shape(index);
  const bool container_ok = shape.type == ShapeType::List ? in.is_array() : wants_object(shape.type) == in.is_object();
  if (!container_ok || (shape.type != ShapeType::List && in.is_array())) {
    error = mismatch(in, shape.type);
    return false;
  }
  switch (shape.type) {
    case ShapeType::Structure: {
      out = Json::object();
      for (uint16_t i = 0; i < shape.member_count; ++i) {
        const model::Member& member = shape.members[i];
        std::string wire(member.location_name.empty() ? member.name : member.location_name);
        auto it = in.find(wire);
        if (it == in.end() || it->is_null()) {
          continue;
        }
        Json value;
        if (!decode_value(service, member.shape, *it, value, error)) {
          return false;
        }
        out[std::string(member.name)] = std::move(value);
      }
      return true;
    }
    case ShapeType::List: {
      out = Json::array();
      for (const Json& element : in) {
        if (element.is_null()) {
          continue;
        }
        Json value;
        if (!decode_value(service, shape.list_member, element, value, error)) {
          return false;
        }
        out.push_back(std::move(value));
      }
      return true;
    }
    case ShapeType::Map: {
      out = Json::object();
      for (auto it = in.begin(); it != in.end(); ++it) {
        if (it->is_null()) {
          continue;
        }
        Json value;
        if (!decode_value(service, shape.map_value, it.value(), value, error)) {
          return false;
        }
        out[it.key()] = std::move(value);
      }
      return true;
    }
    case ShapeType::String:
    case ShapeType::Blob:
      if (!in.is_string()) {
        error = mismatch(in, shape.type);
        return false;
      }
      out = in;
      return true;
    case ShapeType::Integer:
    case ShapeType::Long:
      if (in.is_number_integer()) {
        out = in;
        return true;
      }
      if (in.is_number_float() && std::isfinite(in.get<double>())) {
        out = static_cast<int64_t>(in.get<double>());  // Jackson truncates 1.5 -> 1
        return true;
      }
      error = mismatch(in, shape.type);
      return false;
    case ShapeType::Float:
    case ShapeType::Double:
      if (!in.is_number()) {
        error = mismatch(in, shape.type);
        return false;
      }
      out = in;
      return true;
    case ShapeType::Boolean:
      if (!in.is_boolean()) {
        error = mismatch(in, shape.type);
        return false;
      }
      out = in;
      return true;
    case ShapeType::Timestamp:
      if (in.is_number()) {
        out = in;
        return true;
      }
      if (in.is_string()) {
        if (auto seconds = parse_timestamp(in.get_ref<const std::string&>())) {
          out = *seconds;
          return true;
        }
      }
      error = mismatch(in, shape.type);
      return false;
  }
  return true;
}

Json encode_value(const model::ServiceModel& service, uint16_t index, const Json& in) {
  const Shape& shape = service.shape(index);
  switch (shape.type) {
    case ShapeType::Structure: {
      if (!in.is_object()) {
        return in;
      }
      Json out = Json::object();
      for (uint16_t i = 0; i < shape.member_count; ++i) {
        const model::Member& member = shape.members[i];
        if (member.location != model::Location::Body) {
          continue;  // rest-json headers/status are not part of the body
        }
        auto it = in.find(std::string(member.name));
        if (it == in.end() || it->is_null()) {
          continue;
        }
        std::string wire(member.location_name.empty() ? member.name : member.location_name);
        out[wire] = encode_value(service, member.shape, *it);
      }
      return out;
    }
    case ShapeType::List: {
      if (!in.is_array()) {
        return in;
      }
      Json out = Json::array();
      for (const Json& element : in) {
        if (!element.is_null()) {
          out.push_back(encode_value(service, shape.list_member, element));
        }
      }
      return out;
    }
    case ShapeType::Map: {
      if (!in.is_object()) {
        return in;
      }
      Json out = Json::object();
      for (auto it = in.begin(); it != in.end(); ++it) {
        if (!it->is_null()) {
          out[it.key()] = encode_value(service, shape.map_value, it.value());
        }
      }
      return out;
    }
    case ShapeType::Timestamp: {
      double seconds = 0;
      if (in.is_number()) {
        seconds = in.get<double>();
      } else if (in.is_string()) {
        auto parsed = parse_timestamp(in.get_ref<const std::string&>());
        if (!parsed) {
          return in;
        }
        seconds = *parsed;
      } else {
        return in;
      }
      if (shape.timestamp_format == "iso8601") {
        return format_iso8601(seconds);
      }
      if (in.is_number_integer()) {
        return in;
      }
      return seconds;
    }
    default: return in;
  }
}

AwsError serialization_error(std::string message) {
  return make_aws_error("SerializationException", 400, std::move(message));
}

bool blank(std::string_view body) {
  for (char c : body) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<Json, AwsError> decode_json(const model::ServiceModel& service, const model::Operation& op,
                                   std::string_view body) {
  Json parsed = blank(body) ? Json::object() : Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return common::fail(serialization_error("Unexpected character or end of input in the JSON request body"));
  }
  if (parsed.is_null()) {
    parsed = Json::object();
  }
  if (op.input == model::kNoShape) {
    if (!parsed.is_object()) {
      return common::fail(serialization_error(mismatch(parsed, model::ShapeType::Structure)));
    }
    return Json::object();
  }
  Json decoded;
  std::string error;
  if (!decode_value(service, op.input, parsed, decoded, error)) {
    return common::fail(serialization_error(std::move(error)));
  }
  std::vector<std::string> errors;
  validate(service, op.input, decoded, "", errors);
  if (!errors.empty()) {
    return common::fail(make_aws_error("ValidationException", 400, validation_message(errors)));
  }
  return decoded;
}

std::string encode_json(const model::ServiceModel& service, const model::Operation& op, const Json& output) {
  if (op.output == model::kNoShape || output.is_null()) {
    return "{}";
  }
  return encode_value(service, op.output, output).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace aws::protocol
